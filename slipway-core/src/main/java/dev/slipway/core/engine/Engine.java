package dev.slipway.core.engine;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.StepContext.Release;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.SnapshotInfo;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs deploys: queues requests, takes the stage lease, drives runs through their steps and compensation, and
 * records everything in the {@link Journal}. One engine serves one process; several engines (processes) may share
 * a journal and never run steps of two runs on one stage at once.
 */
public final class Engine implements AutoCloseable {
    private final Journal journal;
    private final SlipwaySpec spec;
    private final Function<StageSpec, Target> targetFactory;
    private final EngineOptions options;
    private final Map<String, Target> targets = new HashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(daemon("slipway-step"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("slipway-lease"));
    private final Releases releases;
    private final Approvals approvals;
    private volatile CancelToken current = new CancelToken();
    private volatile Thread driver;

    public Engine(Journal journal, SlipwaySpec spec, Function<StageSpec, Target> targetFactory, EngineOptions options) {
        this.journal = journal;
        this.spec = spec;
        this.targetFactory = targetFactory;
        this.options = options;
        this.releases = new Releases(journal);
        this.approvals = new Approvals(journal, options.clock(), options.sleeper(), options.poll());
    }

    /** Queues a request; joins an unfinished run of the same stage, kind and commit instead of making another. */
    public RunRecord request(String stageName, String commit, RunKind kind, String requestedBy) {
        stage(stageName);
        return journal.enqueue(spec.app(), stageName, commit, kind, requestedBy, options.clock().instant());
    }

    /** Queues a rollback of {@code stageName} to the release before the current one. */
    public RunRecord requestRollback(String stageName, String requestedBy) {
        List<Release> all = releases.all(stageName).limit(2).toList();
        if (all.size() < 2) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, "stage " + stageName + " has " + all.size()
                    + " successful release(s); a rollback needs an earlier one to go back to");
        }
        return request(stageName, all.get(1).commit(), RunKind.ROLLBACK, requestedBy);
    }

    /**
     * Drives the queue of the run's stage until run {@code runId} has ended, then returns its final view. While
     * another process holds the stage, waits (showing the run's events as they come) and takes over if that
     * process dies. Runs started earlier are resumed first; of the queued ones only the newest runs.
     */
    public RunView run(long runId, RunListener listener) {
        RunRecord mine = journal.run(runId).orElseThrow(() -> new SlipwayException(ErrorCode.BAD_USAGE, "no run " + runId));
        driver = Thread.currentThread();
        int seen = 0;
        for (int attempt = 1; ; attempt++) {
            RunView view = view(mine);
            seen = replay(view, seen, listener);
            if (view.state().isTerminal()) {
                return view;
            }
            if (current.cancelled()) {
                return withdraw(mine, view, listener);
            }
            if (journal.tryAcquire(mine.stage(), options.holder(), runId, options.clock().instant(), options.leaseTtl(),
                    Holder::isDead)) {
                attempt = 0;
                seen = drainOrExplain(mine, listener, seen);
            } else {
                pause(attempt);
            }
        }
    }

    /** Cancelled while still waiting in the queue: the request ends here, unless another process already runs it. */
    private RunView withdraw(RunRecord mine, RunView view, RunListener listener) {
        boolean someoneRunsIt = journal.lease(mine.stage()).map(l -> l.runId() == mine.id()).orElse(false);
        if (view.state() == dev.slipway.core.journal.RunState.QUEUED && !someoneRunsIt) {
            listener.onEvent(journal.append(mine.id(), EventType.RUN_FAILED, null, Map.of("reason", "cancelled before it started ("
                    + current.exception().getMessage() + "); nothing was changed"), options.clock().instant()));
        }
        return view(mine);
    }

    /** A store that fails mid-run leaves the run unfinished in the journal: say so, and how it continues. */
    private int drainOrExplain(RunRecord mine, RunListener listener, int seen) {
        try {
            return drain(mine, listener, seen);
        } catch (SlipwayException e) {
            if (e.code() != ErrorCode.STATE_STORE) {
                throw e;
            }
            throw new SlipwayException(ErrorCode.NEEDS_ATTENTION, "the state store failed while run " + mine.id() + " was driving stage "
                    + mine.stage() + " (" + e.getMessage() + "). The stage may be part-way through the run. When the store"
                    + " is back, run `slipway deploy " + mine.stage() + " --commit " + mine.commit() + "` to resume it.", e);
        }
    }

    private int drain(RunRecord mine, RunListener listener, int seenBefore) {
        int seen = seenBefore;
        AtomicLong driving = new AtomicLong(mine.id());
        ScheduledFuture<?> beat = heartbeat(mine.stage(), driving);
        try {
            Optional<RunRecord> next;
            while (!current.cancelled() && (next = next(mine.stage())).isPresent()) {
                RunRecord run = next.get();
                driving.set(run.id());
                journal.heartbeat(mine.stage(), options.holder(), run.id(), options.clock().instant(), options.leaseTtl());
                boolean isMine = run.id() == mine.id();
                if (isMine) {
                    seen = replay(view(mine), seen, listener);
                }
                Recorder recorder = new Recorder(journal, run.id(), options.clock(), new Masker(), isMine ? listener : RunListener.NONE);
                execution(run, recorder).execute(options.holder());
                if (isMine) {
                    seen = view(mine).events().size();
                }
                if (view(mine).state().isTerminal()) {
                    break;
                }
            }
        } finally {
            beat.cancel(false);
            journal.release(mine.stage(), options.holder());
        }
        return seen;
    }

    /** The run to drive next: one already started (resume it), else the newest queued one; older queued ones end. */
    private Optional<RunRecord> next(String stageName) {
        List<RunRecord> unfinished = journal.unfinishedRuns(stageName);
        for (RunRecord r : unfinished) {
            if (view(r).events().size() > 1) {
                return Optional.of(r);
            }
        }
        if (unfinished.isEmpty()) {
            return Optional.empty();
        }
        RunRecord newest = unfinished.get(unfinished.size() - 1);
        for (RunRecord older : unfinished.subList(0, unfinished.size() - 1)) {
            journal.append(older.id(), EventType.RUN_SUPERSEDED, null, Map.of("by", String.valueOf(newest.id()),
                    "commit", newest.commit()), options.clock().instant());
        }
        return Optional.of(newest);
    }

    private RunExecution execution(RunRecord run, Recorder recorder) {
        Target target = targets.computeIfAbsent(run.stage(), name -> targetFactory.apply(stage(name)));
        StepRunner steps = new StepRunner(recorder, pool, options.sleeper(), options.clock(), options.retries(), current);
        return new RunExecution(journal.key(), run, spec, target, recorder, steps, pool, current, options.clock(), options.env(),
                () -> view(run), releases, approvals, options.parallel());
    }

    private ScheduledFuture<?> heartbeat(String stageName, AtomicLong driving) {
        long every = Math.max(50, options.leaseTtl().toMillis() / 3);
        AtomicLong lastRenewed = new AtomicLong(options.clock().millis());
        return heartbeats.scheduleAtFixedRate(() -> {
            try {
                if (!journal.heartbeat(stageName, options.holder(), driving.get(), options.clock().instant(), options.leaseTtl())) {
                    cancel("lost the lease of stage " + stageName + " to another process", false);
                }
                lastRenewed.set(options.clock().millis());
            } catch (RuntimeException e) {
                // A store hiccup: the next beat tries again. Past two thirds of the TTL another process may soon take
                // the stage over, so this one stops touching it; whoever runs next resumes the run.
                if (options.clock().millis() - lastRenewed.get() > options.leaseTtl().toMillis() * 2 / 3) {
                    cancel("could not renew the lease of stage " + stageName + ": " + e.getMessage(), false);
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the run this engine is driving: the current step is interrupted and, if the stage was already changed,
     * the previous version is brought back. {@code reason} is journaled (e.g. "interrupted by SIGINT").
     */
    public void cancel(String reason) {
        cancel(reason, true);
    }

    private void cancel(String reason, boolean compensate) {
        current.cancel(reason, compensate);
        Thread t = driver;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Records {@code by}'s approval of a run waiting in AWAITING_APPROVAL (see {@link dev.slipway.core.spec.ApprovalsSpec}). */
    public JournalEvent approve(long runId, String by) {
        RunRecord run = journal.run(runId).orElseThrow(() -> new SlipwayException(ErrorCode.BAD_USAGE, "no run " + runId));
        return approvals.approve(run, stage(run.stage()).approvals(), by);
    }

    public RunView view(long runId) {
        return view(journal.run(runId).orElseThrow(() -> new SlipwayException(ErrorCode.BAD_USAGE, "no run " + runId)));
    }

    private RunView view(RunRecord run) {
        return RunView.of(run, journal.events(run.id()));
    }

    /** The release now live on {@code stageName}, if any run of it succeeded. */
    public Optional<Release> currentRelease(String stageName) {
        return releases.latest(stageName, -1);
    }

    /**
     * What a deploy of {@code commit} to {@code stageName} would do, step by step, with the target's own details.
     * Reads only; changes nothing.
     */
    public List<String> plan(String stageName, String commit) {
        List<String> lines = new ArrayList<>(PlanText.of(spec, stage(stageName), commit, currentRelease(stageName)));
        target(stageName).plan(maintenance(stageName, commit, StepName.BUILD, line -> { }, Duration.ofMinutes(1)))
                .forEach(l -> lines.add("   " + l));
        return lines;
    }

    /** Slipway's snapshots of {@code stageName}, newest first. */
    public List<SnapshotInfo> snapshots(String stageName) {
        return target(stageName).snapshots(maintenance(stageName, "-", StepName.SNAPSHOT, line -> { }, Duration.ofMinutes(1)));
    }

    /** Restores snapshot {@code id} of {@code stageName}; {@code log} sees the target's progress. */
    public void restore(String stageName, String id, java.util.function.Consumer<String> log) {
        target(stageName).restore(maintenance(stageName, "-", StepName.SNAPSHOT, log, spec.timeouts().snapshot()), id);
    }

    /** A context for work outside a run (plan, snapshots): run id 0, nothing succeeded yet. */
    private StepContext maintenance(String stageName, String commit, StepName step, java.util.function.Consumer<String> log,
                                    Duration timeout) {
        return new RunStepContext(journal.key(), new RunRecord(0, spec.app(), stageName, commit, RunKind.DEPLOY, "cli", options.clock().instant()),
                spec, step, 1, s -> Optional.empty(), currentRelease(stageName), log, new Masker(), options.env(),
                options.clock().instant().plus(timeout), options.clock());
    }

    /** The target of {@code stageName}, made once. */
    public Target target(String stageName) {
        return targets.computeIfAbsent(stageName, name -> targetFactory.apply(stage(name)));
    }

    private StageSpec stage(String name) {
        return spec.requireStage(name);
    }

    private int replay(RunView view, int seen, RunListener listener) {
        List<JournalEvent> events = view.events();
        for (int i = seen; i < events.size(); i++) {
            listener.onEvent(events.get(i));
        }
        return Math.max(seen, events.size());
    }

    private void pause(int attempt) {
        try {
            options.sleeper().sleep(options.poll().delayAfter(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        heartbeats.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
