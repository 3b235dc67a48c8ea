package dev.slipway.core.metrics;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The four DORA figures of one stage over a window, computed from its journaled runs only (pure: no clock, no I/O).
 *
 * <ul>
 * <li><b>deployment</b>: a {@code DEPLOY} run that ended {@code SUCCEEDED} and changed the live release (its commit
 * differs from the release that served before it). Redeploying the live commit is not a deployment.</li>
 * <li><b>failed change</b>: a {@code DEPLOY} run that changed the stage and then failed ({@code ROLLED_BACK} or
 * {@code NEEDS_ATTENTION}), or a deployment the next release-changing run undid with {@code slipway rollback}. A run
 * ending {@code FAILED} changed nothing (it failed before stop-old) and is neither a change nor a failure.</li>
 * <li><b>deployments per day</b>: deployments ending in the window / the window's length in days.</li>
 * <li><b>lead time</b>: median of (verify step end, else run end) − commit time over the window's deployments whose
 * request journaled the commit time ({@code committed-at} on {@code RUN_QUEUED}).</li>
 * <li><b>change failure ratio</b>: failed changes / (deployments + failed changes that were not deployments),
 * counted over changes ending in the window.</li>
 * <li><b>time to restore</b>: median, over the window's failed changes, of the time from the failure (the failed
 * run's end; for a deployment later rolled back, its end, when the bad release went live) to the end of the next
 * {@code SUCCEEDED} deploy or rollback of the stage. A failure nothing has restored yet is left out.</li>
 * </ul>
 * The median of an even count is the mean of the two middle values. A figure with nothing to measure is empty.
 */
public record Dora(Duration window, int deployments, double deploymentsPerDay, Optional<Duration> leadTime,
                   int failedChanges, OptionalDouble changeFailureRatio, Optional<Duration> timeToRestore) {
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    /** Where a request journals the commit's committer time (ISO-8601), on its {@code RUN_QUEUED} event. */
    public static final String COMMITTED_AT = "committed-at";

    /** The figures over {@code (now - window, now]} for {@code runs}, all of one app and stage, in any order. */
    public static Dora of(List<RunView> runs, Instant now, Duration window) {
        List<RunView> ordered = runs.stream().filter(r -> r.state().isTerminal() && r.endedAt() != null)
                .sorted(Comparator.comparing(RunView::endedAt).thenComparing(r -> r.run().id())).toList();
        Instant from = now.minus(window);
        List<RunView> deployments = new ArrayList<>();
        List<Instant> failures = new ArrayList<>();
        List<Duration> leadTimes = new ArrayList<>();
        List<Duration> restores = new ArrayList<>();
        int changes = 0;
        String live = null;
        for (int i = 0; i < ordered.size(); i++) {
            RunView r = ordered.get(i);
            boolean inWindow = r.endedAt().isAfter(from) && !r.endedAt().isAfter(now);
            boolean deployment = isDeployment(r, live);
            boolean failed = r.run().kind() == RunKind.DEPLOY
                    && (r.state() == RunState.ROLLED_BACK || r.state() == RunState.NEEDS_ATTENTION);
            boolean undone = deployment && undoneByRollback(ordered, i);
            if (r.state() == RunState.SUCCEEDED && r.run().kind().makesRelease()) {
                live = r.run().commit();
            }
            if (!inWindow) {
                continue;
            }
            if (deployment) {
                deployments.add(r);
                leadTime(r).ifPresent(leadTimes::add);
            }
            if (deployment || failed) {
                changes++;
            }
            if (failed || undone) {
                failures.add(r.endedAt());
                restoredAt(ordered, i).ifPresent(t -> restores.add(Duration.between(r.endedAt(), t)));
            }
        }
        double days = window.toMillis() / (double) Duration.ofDays(1).toMillis();
        return new Dora(window, deployments.size(), deployments.size() / days, median(leadTimes), failures.size(),
                changes == 0 ? OptionalDouble.empty() : OptionalDouble.of(failures.size() / (double) changes),
                median(restores));
    }

    private static boolean isDeployment(RunView r, String live) {
        return r.run().kind() == RunKind.DEPLOY && r.state() == RunState.SUCCEEDED && !r.run().commit().equals(live);
    }

    /** Whether the next run that changed the release after {@code ordered[i]} is a successful rollback. */
    private static boolean undoneByRollback(List<RunView> ordered, int i) {
        for (RunView next : ordered.subList(i + 1, ordered.size())) {
            if (next.state() == RunState.SUCCEEDED && next.run().kind().makesRelease()) {
                return next.run().kind() == RunKind.ROLLBACK;
            }
        }
        return false;
    }

    /** The end of the first successful deploy or rollback after {@code ordered[i]}. */
    private static Optional<Instant> restoredAt(List<RunView> ordered, int i) {
        return ordered.subList(i + 1, ordered.size()).stream()
                .filter(n -> n.state() == RunState.SUCCEEDED && n.run().kind().makesRelease())
                .map(RunView::endedAt).findFirst();
    }

    /** Commit time → live (verify's end; the run's end when the journal has no verify step). */
    static Optional<Duration> leadTime(RunView r) {
        Optional<Instant> committed = r.events().stream().filter(e -> e.type() == EventType.RUN_QUEUED)
                .map(e -> e.get(COMMITTED_AT)).filter(s -> s != null).findFirst().flatMap(Dora::instant);
        Instant live = r.step("verify").map(RunView.StepView::endedAt).orElse(r.endedAt());
        return committed.map(c -> Duration.between(c, live));
    }

    private static Optional<Instant> instant(String s) {
        try {
            return Optional.of(Instant.parse(s));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty(); // a journal written by hand or by a future version: no lead time, no failure
        }
    }

    /** {@code window} as a label value: {@code 30d}, {@code 12h}, {@code 90m}, else seconds ({@code 45s}). */
    public static String label(Duration window) {
        long s = window.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    static Optional<Duration> median(List<Duration> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return Optional.of(sorted.size() % 2 == 1 ? sorted.get(mid) : sorted.get(mid - 1).plus(sorted.get(mid)).dividedBy(2));
    }
}
