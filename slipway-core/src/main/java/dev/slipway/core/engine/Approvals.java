package dev.slipway.core.engine;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.ApprovalsSpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Outputs;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The approval gate: a run waits in AWAITING_APPROVAL until enough distinct, allowed people approve its built digest. */
final class Approvals {
    private final Journal journal;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff poll;

    Approvals(Journal journal, Clock clock, Sleeper sleeper, Backoff poll) {
        this.journal = journal;
        this.clock = clock;
        this.sleeper = sleeper;
        this.poll = poll;
    }

    /** Blocks until the gate opens; the step's timeout (approvals.timeout) ends the wait from outside. */
    Outputs await(RunRecord run, ApprovalsSpec spec, String digest, Recorder recorder, CancelToken cancel) {
        RunView view = RunView.of(run, journal.events(run.id()));
        boolean given = view.approvers().size() >= spec.required(); // by an approval source before the run was queued
        if (!given && view.events().stream().noneMatch(e -> e.type() == EventType.APPROVAL_REQUESTED)) {
            recorder.event(EventType.APPROVAL_REQUESTED, "approval", "digest", digest, "required",
                    String.valueOf(spec.required()), "approvers", String.join(",", spec.approvers()));
        }
        for (int attempt = 1; ; attempt++) {
            Set<String> approvers = RunView.of(run, journal.events(run.id())).approvers();
            if (approvers.size() >= spec.required()) {
                return Outputs.of("approvedBy", String.join(",", approvers), "digest", digest);
            }
            cancel.checkpoint();
            try {
                sleeper.sleep(poll.delayAfter(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancel.exception();
            }
        }
    }

    /** Whether enough people had approved {@code run} by {@code deadline} (approvals journaled at or before it). */
    boolean openedBy(RunRecord run, ApprovalsSpec spec, Instant deadline) {
        List<JournalEvent> inTime = journal.events(run.id()).stream()
                .filter(e -> e.type() != EventType.APPROVED || !e.at().isAfter(deadline)).toList();
        return RunView.of(run, inTime).approvers().size() >= spec.required();
    }

    /**
     * Records {@code by}'s approval of a run that is waiting for one. Refuses, naming why, when the run is not
     * waiting, {@code by} is not an allowed approver, requested the run (unless self-approval is allowed), or already
     * approved it.
     */
    JournalEvent approve(RunRecord run, ApprovalsSpec spec, String by) {
        RunView view = RunView.of(run, journal.events(run.id()));
        String id = "run " + run.id() + " (" + run.stage() + ", " + run.commit() + ")";
        if (view.state() != RunState.AWAITING_APPROVAL) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, id + " is " + view.state() + ", not waiting for approval");
        }
        if (!spec.approvers().isEmpty() && !spec.approvers().contains(by)) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, by + " may not approve " + id + "; approvers are "
                    + String.join(", ", spec.approvers()));
        }
        if (by.equals(run.requestedBy()) && !spec.allowSelfApproval()) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, by + " requested " + id + " and may not approve it"
                    + " (stages." + run.stage() + ".approvals forbids self-approval)");
        }
        if (view.approvers().contains(by)) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, by + " already approved " + id);
        }
        Optional<JournalEvent> requested = view.events().stream().filter(e -> e.type() == EventType.APPROVAL_REQUESTED).findFirst();
        String digest = requested.map(e -> e.get("digest")).orElse("");
        Instant now = clock.instant();
        Optional<Instant> deadline = requested.map(e -> e.at().plus(spec.timeout()));
        if (deadline.isPresent() && now.isAfter(deadline.get())) { // it would not count: the run fails when it is resumed
            throw new SlipwayException(ErrorCode.BAD_USAGE, id + " stopped waiting for approval at " + deadline.get()
                    + " (approvals.timeout " + Durations.format(spec.timeout()) + " after it was requested); it fails when"
                    + " resumed. Deploy again to ask for approval anew");
        }
        return journal.append(run.id(), EventType.APPROVED, "approval", Map.of("by", by, "digest", digest), now);
    }

    /**
     * The approvals of {@code given} that count for {@code stage}, the rules of {@link #approve} applied: each person
     * once (logins compared without case), not who started the run unless self-approval is allowed, only the listed
     * approvers when there is a list. Refuses (exit 2), naming what is missing, when they are fewer than required.
     */
    static List<ApprovalSource.Approval> counted(ApprovalSource.Given given, StageSpec stage, String requestedBy) {
        ApprovalsSpec spec = stage.approvals();
        Set<String> requesters = new HashSet<>();
        given.requesters().forEach(r -> requesters.add(r.toLowerCase(Locale.ROOT)));
        requesters.add(unprefixed(given.scheme(), requestedBy).toLowerCase(Locale.ROOT));
        Set<String> seen = new HashSet<>();
        List<ApprovalSource.Approval> counted = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (ApprovalSource.Approval a : given.approvals()) {
            String login = a.login().toLowerCase(Locale.ROOT);
            if (!seen.add(login)) {
                continue;
            }
            String name = given.scheme() + ":" + a.login();
            if (!spec.allowSelfApproval() && requesters.contains(login)) {
                ignored.add(name + " (started this run; stages." + stage.name() + ".approvals forbids self-approval)");
            } else if (!spec.approvers().isEmpty() && spec.approvers().stream()
                    .noneMatch(p -> unprefixed(given.scheme(), p).equalsIgnoreCase(a.login()))) {
                ignored.add(name + " (not in stages." + stage.name() + ".approvals.approvers)");
            } else {
                counted.add(a);
            }
        }
        if (counted.size() < spec.required()) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, "refused: stage " + stage.name() + " needs " + spec.required()
                    + " approval(s) from " + given.where() + " and has " + counted.size()
                    + (counted.isEmpty() ? "" : " (" + String.join(", ", counted.stream().map(a -> given.scheme() + ":" + a.login()).toList()) + ")")
                    + (ignored.isEmpty() ? "" : "; not counted: " + String.join(", ", ignored))
                    + (counted.isEmpty() && given.hint() != null ? ". " + given.hint() : "")
                    + ". Nothing was built or changed.");
        }
        return counted;
    }

    /** Journals the approvals an approval source gave, each once, as the run's approvals. */
    void record(RunRecord run, ApprovalSource.Given given, List<ApprovalSource.Approval> approvals) {
        Set<String> already = new HashSet<>();
        RunView.of(run, journal.events(run.id())).approvers().forEach(a -> already.add(a.toLowerCase(Locale.ROOT)));
        for (ApprovalSource.Approval a : approvals) {
            String by = given.scheme() + ":" + a.login();
            if (already.add(by.toLowerCase(Locale.ROOT))) {
                journal.append(run.id(), EventType.APPROVED, "approval", Map.of("by", by, "via", given.where()), a.at());
            }
        }
    }

    private static String unprefixed(String scheme, String name) {
        return name.regionMatches(true, 0, scheme + ":", 0, scheme.length() + 1) ? name.substring(scheme.length() + 1) : name;
    }
}
