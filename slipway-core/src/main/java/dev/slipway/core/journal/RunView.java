package dev.slipway.core.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A run's state derived from its events: what every report (status, runs, logs, the server) shows. */
public record RunView(RunRecord run, RunState state, String reason, Map<String, StepView> steps,
                      Set<String> approvers, Instant startedAt, Instant endedAt, List<JournalEvent> events) {
    public RunView {
        steps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        approvers = Set.copyOf(approvers);
        events = List.copyOf(events);
    }

    /** One step as the journal saw it; {@code state} is RUNNING, SUCCEEDED or FAILED. */
    public record StepView(String name, String state, Instant startedAt, Instant endedAt, int attempts,
                           Map<String, String> outputs, String reason) {
        public Optional<Duration> duration() {
            return startedAt == null || endedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, endedAt));
        }
    }

    private static final String APPROVAL = "approval";

    public static RunView of(RunRecord run, List<JournalEvent> events) {
        Map<String, StepView> steps = new LinkedHashMap<>();
        Set<String> approvers = new LinkedHashSet<>();
        RunState state = RunState.QUEUED;
        String reason = null;
        Instant started = null;
        Instant ended = null;
        boolean approvalPending = false; // requested, and the approval step has not ended: survives a resume
        for (JournalEvent e : events) {
            switch (e.type()) {
                case RUN_QUEUED -> state = RunState.QUEUED;
                case RUN_STARTED, RUN_RESUMED -> {
                    state = state == RunState.COMPENSATING ? RunState.COMPENSATING
                            : approvalPending ? RunState.AWAITING_APPROVAL : RunState.RUNNING;
                    started = started == null ? e.at() : started;
                }
                case STEP_STARTED, STEP_SUCCEEDED, STEP_FAILED, STEP_RETRYING -> {
                    steps.put(e.step(), step(steps.get(e.step()), e));
                    if (APPROVAL.equals(e.step()) && (e.type() == EventType.STEP_SUCCEEDED || e.type() == EventType.STEP_FAILED)) {
                        approvalPending = false;
                    }
                    if (state == RunState.QUEUED || state == RunState.AWAITING_APPROVAL && !approvalPending) {
                        state = RunState.RUNNING;
                    }
                }
                case APPROVAL_REQUESTED -> {
                    state = RunState.AWAITING_APPROVAL;
                    approvalPending = true;
                }
                case APPROVED -> approvers.add(e.get("by"));
                case RUN_INTERRUPTED -> reason = e.get("reason");
                case COMPENSATION_STARTED -> {
                    state = RunState.COMPENSATING;
                    reason = e.get("reason");
                }
                case ROLLED_BACK -> state = RunState.ROLLED_BACK;
                case COMPENSATION_FAILED -> {
                    state = RunState.NEEDS_ATTENTION;
                    // a restore has nothing to compensate: its failure says all (and there may be no earlier reason)
                    reason = reason == null || run.kind() == RunKind.RESTORE ? e.get("reason")
                            : reason + "; compensation failed: " + e.get("reason");
                }
                case RUN_SUCCEEDED -> state = RunState.SUCCEEDED;
                case RUN_FAILED -> {
                    state = RunState.FAILED;
                    reason = e.get("reason");
                }
                case RUN_SUPERSEDED -> {
                    state = RunState.SUPERSEDED;
                    reason = "superseded by run " + e.get("by");
                }
                default -> throw new IllegalStateException("unhandled event " + e.type() + " (bug)");
            }
            if (e.type().isTerminal()) {
                ended = e.at();
            }
        }
        return new RunView(run, state, reason, steps, approvers, started, ended, events);
    }

    private static StepView step(StepView prev, JournalEvent e) {
        int attempts = prev == null ? 0 : prev.attempts();
        Instant start = prev == null ? null : prev.startedAt();
        return switch (e.type()) {
            case STEP_STARTED -> new StepView(e.step(), "RUNNING", start == null ? e.at() : start, null, attempts + 1, Map.of(), null);
            case STEP_SUCCEEDED -> new StepView(e.step(), "SUCCEEDED", start == null ? e.at() : start, e.at(), Math.max(attempts, 1),
                    e.data(), null);
            case STEP_RETRYING -> new StepView(e.step(), "RETRYING", start, null, attempts, Map.of(), e.get("reason"));
            default -> new StepView(e.step(), "FAILED", start, e.at(), attempts, Map.of(), e.get("reason"));
        };
    }

    public Optional<StepView> step(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    public boolean succeeded(String step) {
        return step(step).map(s -> s.state().equals("SUCCEEDED")).orElse(false);
    }

    public Optional<Duration> duration() {
        return startedAt == null || endedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, endedAt));
    }
}
