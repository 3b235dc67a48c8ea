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
import dev.slipway.core.target.Outputs;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
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
        if (view.events().stream().noneMatch(e -> e.type() == EventType.APPROVAL_REQUESTED)) {
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
        String digest = view.events().stream().filter(e -> e.type() == EventType.APPROVAL_REQUESTED)
                .map(e -> e.get("digest")).findFirst().orElse("");
        Instant now = clock.instant();
        return journal.append(run.id(), EventType.APPROVED, "approval", Map.of("by", by, "digest", digest), now);
    }
}
