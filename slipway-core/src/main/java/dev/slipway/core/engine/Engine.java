package dev.slipway.core.engine;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Fence;
import dev.slipway.core.journal.LeaseLostException;
import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunKeys;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs deploys: queues requests, takes the stage lease, drives runs through their steps and compensation, and
 * records everything in the {@link Journal}. One engine serves one process; several engines (processes) may share
 * a journal and never run steps of two runs on one stage at once.
 */
public final class Engine implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);
    private final Journal journal;
    private final SlipwaySpec spec;
    private final Function<StageSpec, Target> targetFactory;
    private final EngineOptions options;
    private final Map<String, Target> targets = new HashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(daemon("slipway-step"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("slipway-lease"));
    private final Releases releases;
    private final Promotion promotion;
    private final Approvals approvals;
    /** One for every run of this engine: masking a secret of another run too costs nothing and can only help. */
    private final Masker masker;
    private final Object driverLock = new Object();
    /** Each run() in progress: the thread driving it and its own cancel token. Guarded by driverLock. */
    private final Map<Thread, CancelToken> drivers = new HashMap<>();
    /**
     * A cancel that came while no run() was in progress (a signal during start-up, between queueing a request and
     * driving it): the next run() takes it, so the run being started is cancelled. Guarded by driverLock.
     */
    private CancelToken pending;
    private volatile Runnable onStuck = () -> { };

    public Engine(Journal journal, SlipwaySpec spec, Function<StageSpec, Target> targetFactory, EngineOptions options) {
        this.journal = journal;
        this.spec = spec;
        this.targetFactory = targetFactory;
        this.options = options;
        this.releases = new Releases(journal);
        this.promotion = new Promotion(journal, releases);
        this.approvals = new Approvals(journal, options.clock(), options.sleeper(), options.poll());
        this.masker = Masker.of(spec, options.env());
    }

    /**
     * {@code text} with every secret this engine knows (each value the spec takes from the environment, whole and inside
     * longer text) and every URL credential masked: for whatever a caller prints besides the run's events and logs.
     */
    public String mask(String text) {
        return masker.mask(text);
    }

    /** Queues a request; joins an unfinished run of the same stage, kind and commit instead of making another. */
    public RunRecord request(String stageName, String commit, RunKind kind, String requestedBy) {
        return request(new RunRequest(spec.app(), stageName, commit, kind, requestedBy));
    }

    /**
     * Queues {@code request} (an image to deploy without building, the requester's git directory). For a deploy or
     * rollback of a stage with approvals, the {@link ApprovalSource} is asked first: when it has a say and its approvals
     * fall short, the request is refused (exit 2) and nothing is queued; when they suffice they are journaled with it.
     */
    public RunRecord request(RunRequest request) {
        StageSpec st = stage(request.stage());
        if (request.kind() == RunKind.DEPLOY && st.strategy() == dev.slipway.core.spec.Strategy.ONLINE) {
            Optional<String> why = target(st.name()).onlineUnsupported(st);
            if (why.isPresent()) {
                throw new SlipwayException(ErrorCode.BAD_CONFIG, Assessment.onlineRefused(st, why.get()) + "; nothing was changed");
            }
        }
        if (request.kind() == RunKind.DEPLOY && request.image() != null && st.promoteFrom() == null) {
            Optional<String> why = target(st.name()).imageRefused(st, request.image());
            if (why.isPresent()) {
                throw new SlipwayException(ErrorCode.BAD_USAGE, masker.mask(why.get()));
            }
        }
        RunRequest r = request;
        if (r.tree() == null && r.kind() != RunKind.RESTORE) { // recorded so that a stage promoting from this one finds it
            r = r.withTree(options.sources().tree(spec, r.commit(), r.origin()).orElse(null));
        }
        if (r.kind() == RunKind.DEPLOY && st.promoteFrom() != null) {
            r = promotion.resolve(st, r);
        }
        Optional<ApprovalSource.Given> given = r.kind() == RunKind.RESTORE || !st.approvals().gated() ? Optional.empty()
                : options.approvals().approvals(r, st);
        List<ApprovalSource.Approval> approved = given.map(g -> Approvals.counted(g, st, request.requestedBy())).orElse(List.of());
        RunRecord run = journal.enqueue(r, options.clock().instant());
        given.ifPresent(g -> approvals.record(run, g, approved));
        return run;
    }

    /**
     * What happens when a step does not stop within its stop window (a quarter of the lease TTL) after being
     * interrupted: the lease may then pass to another process while the step still acts, so the command line exits.
     */
    public void onStuckStep(Runnable action) {
        this.onStuck = action;
    }

    /** How long an interrupted step gets to stop: well inside the lease, so a takeover never overlaps a live step. */
    Duration stopWait() {
        return options.leaseTtl().dividedBy(4);
    }

    /** Queues a rollback of {@code stageName} to the release before the current one. */
    public RunRecord requestRollback(String stageName, String requestedBy) {
        List<Release> all = releases.all(stageName, 2).toList();
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
        CancelToken current;
        synchronized (driverLock) { // a fresh token per run: a cancel stops the runs it finds, never a later one
            current = pending != null ? pending : new CancelToken();
            pending = null;
            drivers.put(Thread.currentThread(), current);
        }
        try {
            return drive(mine, listener, current);
        } finally {
            synchronized (driverLock) { // a signal from now on must not interrupt whatever the caller does next
                drivers.remove(Thread.currentThread());
                if (current.cancelled()) {
                    Thread.interrupted(); // the engine's own interrupt, meant for the run
                }
            }
        }
    }

    private RunView drive(RunRecord mine, RunListener listener, CancelToken current) {
        int seen = 0;
        for (int attempt = 1; ; attempt++) {
            RunView view = view(mine);
            seen = replay(view, seen, listener);
            if (view.state().isTerminal()) {
                return view;
            }
            if (current.cancelled()) {
                return withdraw(mine, view, listener, current);
            }
            Optional<Fence> fence = journal.tryAcquire(mine.stage(), options.holder(), mine.id(), options.leaseTtl(), Holder::isDead);
            if (fence.isPresent()) {
                attempt = 0;
                seen = drainOrExplain(mine, listener, seen, fence.get(), current);
            } else {
                pause(attempt);
            }
        }
    }

    /** Cancelled while still waiting in the queue: the request ends here, unless another process already runs it. */
    private RunView withdraw(RunRecord mine, RunView view, RunListener listener, CancelToken current) {
        boolean someoneRunsIt = journal.lease(mine.stage()).filter(l -> !l.isFree()).map(l -> l.runId() == mine.id()).orElse(false);
        if (view.state() == dev.slipway.core.journal.RunState.QUEUED && !someoneRunsIt) {
            listener.onEvent(journal.append(mine.id(), EventType.RUN_FAILED, null, Map.of("reason", masker.mask("cancelled before it started ("
                    + current.exception().getMessage() + "); nothing was changed")), options.clock().instant()));
        }
        return view(mine);
    }

    /** A store that fails mid-run leaves the run unfinished in the journal: say so, and how it continues. */
    private int drainOrExplain(RunRecord mine, RunListener listener, int seen, Fence fence, CancelToken current) {
        try {
            return drain(mine, listener, seen, fence, current);
        } catch (SlipwayException e) {
            if (e.code() != ErrorCode.STATE_STORE) {
                throw e;
            }
            throw new SlipwayException(ErrorCode.NEEDS_ATTENTION, "the state store failed while run " + mine.id() + " was driving stage "
                    + mine.stage() + " (" + masker.mask(e.getMessage()) + "). The stage may be part-way through the run. When the store"
                    + " is back, run `slipway deploy " + mine.stage() + " --commit " + mine.commit() + "` to resume it.", e);
        }
    }

    private int drain(RunRecord mine, RunListener listener, int seenBefore, Fence fence, CancelToken current) {
        int seen = seenBefore;
        AtomicLong driving = new AtomicLong(mine.id());
        AtomicBoolean holding = new AtomicBoolean(true);
        Thread drivingThread = Thread.currentThread();
        ScheduledFuture<?> beat = heartbeat(fence, driving, holding, current, drivingThread);
        try {
            Optional<RunRecord> next;
            while (!current.cancelled() && (next = next(fence)).isPresent()) {
                RunRecord run = next.get();
                driving.set(run.id());
                if (!journal.heartbeat(fence, run.id(), options.leaseTtl())) {
                    lose(current, drivingThread, "lost the lease of stage " + fence.stage() + " to another process");
                    break;
                }
                boolean isMine = run.id() == mine.id();
                if (isMine) {
                    seen = replay(view(mine), seen, listener);
                }
                Recorder recorder = new Recorder(journal, fence, run.id(), options.clock(), masker,
                        isMine ? listener : RunListener.NONE, current);
                execution(run, recorder, current).execute(options.holder());
                if (isMine) {
                    seen = view(mine).events().size();
                }
                if (view(mine).state().isTerminal()) {
                    break;
                }
            }
        } catch (LeaseLostException lost) {
            lose(current, drivingThread, lost.getMessage());
        } finally {
            holding.set(false); // a renewal still under way is refused once the lease is released: that loses nothing
            beat.cancel(false);
            if (current.leaseLost()) {
                LOG.warn("stopped acting on stage {} (run {}): {}", fence.stage(), driving.get(), masker.mask(current.exception().getMessage()));
            } else {
                journal.release(fence);
            }
        }
        return seen;
    }

    /**
     * The run to drive next: one already started (resume it), else the oldest queued one, except that deploys and
     * rollbacks queued one after another collapse to the newest of them (the older ones end SUPERSEDED). A restore is
     * no release: it runs in its turn, and neither supersedes a deploy nor is superseded by one.
     */
    private Optional<RunRecord> next(Fence fence) {
        List<RunRecord> unfinished = journal.unfinishedRuns(fence.stage());
        for (RunRecord r : unfinished) { // approvals journaled with the request do not make a run started
            if (view(r).events().stream().anyMatch(e -> e.type() != EventType.RUN_QUEUED && e.type() != EventType.APPROVED)) {
                return Optional.of(r);
            }
        }
        if (unfinished.isEmpty()) {
            return Optional.empty();
        }
        if (!unfinished.get(0).kind().makesRelease()) {
            return Optional.of(unfinished.get(0));
        }
        int releases = 1;
        while (releases < unfinished.size() && unfinished.get(releases).kind().makesRelease()) {
            releases++;
        }
        RunRecord newest = unfinished.get(releases - 1);
        for (RunRecord older : unfinished.subList(0, releases - 1)) {
            journal.append(fence, older.id(), EventType.RUN_SUPERSEDED, null, Map.of("by", String.valueOf(newest.id()),
                    "commit", newest.commit()), options.clock().instant());
        }
        return Optional.of(newest);
    }

    private RunExecution execution(RunRecord run, Recorder recorder, CancelToken current) {
        Target target = target(run.stage());
        StepRunner steps = new StepRunner(recorder, pool, options.sleeper(), options.clock(), options.retries(), current,
                stopWait(), () -> onStuck.run());
        Map<StepName, dev.slipway.core.target.Outputs> outputs = new java.util.concurrent.ConcurrentHashMap<>();
        Optional<Release> previous = releases.latest(run.stage(), run.id());
        RunExecution.RunContexts contexts = (step, attempt, deadline) -> new RunStepContext(journal.key(), journal.location(), options.sources(),
                () -> earlierBuild(run), run, spec, step, attempt, name -> Optional.ofNullable(outputs.get(name)), previous,
                line -> recorder.log(step.id(), line), recorder.masker(), options.env(), deadline, options.clock());
        return new RunExecution(run, spec, target, recorder, steps, contexts, () -> view(run), releases, approvals,
                new BothSteps(pool, options.parallel(), current, stopWait()), outputs, options.sources());
    }

    /** The newest build of the run's commit by a stage with the same kind of target (one image per commit). */
    private Optional<dev.slipway.core.target.Outputs> earlierBuild(RunRecord run) {
        String kind = stage(run.stage()).target();
        List<String> alike = spec.stages().values().stream().filter(s -> s.target().equals(kind)).map(StageSpec::name).toList();
        return journal.build(spec.app(), run.commit(), alike).map(dev.slipway.core.target.Outputs::new);
    }

    /**
     * Renews the lease every third of its TTL. A renewal the store refuses means another process took the stage: stop
     * at once. A store that cannot be reached for half the TTL: stop too, since the lease may soon pass to another
     * process, and a step then gets a quarter of the TTL to stop, so it has stopped before the lease expires.
     */
    private ScheduledFuture<?> heartbeat(Fence fence, AtomicLong driving, AtomicBoolean holding, CancelToken current, Thread driver) {
        long every = Math.max(50, options.leaseTtl().toMillis() / 3);
        AtomicLong lastRenewed = new AtomicLong(System.nanoTime());
        return heartbeats.scheduleAtFixedRate(() -> {
            try {
                if (!journal.heartbeat(fence, driving.get(), options.leaseTtl())) {
                    if (holding.get()) {
                        lose(current, driver, "lost the lease of stage " + fence.stage() + " to another process");
                    }
                    return;
                }
                lastRenewed.set(System.nanoTime());
            } catch (RuntimeException e) {
                if (holding.get() && System.nanoTime() - lastRenewed.get() > options.leaseTtl().toNanos() / 2) {
                    lose(current, driver, "could not renew the lease of stage " + fence.stage() + ": " + e.getMessage());
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the runs this engine is driving: the current step is interrupted and, if the stage was already changed,
     * the previous version is brought back. {@code reason} is journaled (e.g. "interrupted by SIGINT"). With no run in
     * progress, the next {@link #run} is cancelled instead (a signal while the command line starts one); a run started
     * after a cancelled one has ended is not affected.
     */
    public void cancel(String reason) {
        synchronized (driverLock) {
            if (drivers.isEmpty()) {
                if (pending == null) {
                    pending = new CancelToken();
                }
                pending.cancel(reason, true);
                return;
            }
            drivers.forEach((thread, token) -> {
                token.cancel(reason, true);
                thread.interrupt();
            });
        }
    }

    /** The lease of the run {@code token} belongs to is lost: that run stops at once, compensation included; others go on. */
    private void lose(CancelToken token, Thread driver, String reason) {
        token.cancel(reason, false);
        synchronized (driverLock) {
            if (drivers.get(driver) == token) {
                driver.interrupt();
            }
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
        StageSpec st = stage(stageName);
        Optional<Release> live = currentRelease(stageName);
        Assessment assessed = null;
        String unassessed = null;
        try {
            RunRecord none = new RunRecord(0, spec.app(), stageName, commit, RunKind.DEPLOY, "cli", options.clock().instant());
            assessed = Assessment.of(spec, st, options.sources(), live.map(Release::commit).orElse(null), commit,
                    () -> options.sources().sourceDir(none, spec), target(stageName).onlineUnsupported(st));
        } catch (RuntimeException e) {
            unassessed = e.getMessage();
        }
        List<String> lines = new ArrayList<>(PlanText.of(spec, st, commit, live, assessed, unassessed,
                st.promoteFrom() == null ? null : promotion.planLine(st, commit, options.sources().tree(spec, commit, null).orElse(null)),
                target(stageName).preflightUnsupported(st)));
        target(stageName).plan(maintenance(stageName, commit, promotedImage(st, commit), StepName.BUILD, line -> { }, Duration.ofMinutes(1)))
                .forEach(l -> lines.add("   " + l));
        return lines.stream().map(masker::mask).toList();
    }

    /** Slipway's snapshots of {@code stageName}, newest first. */
    public List<SnapshotInfo> snapshots(String stageName) {
        return target(stageName).snapshots(maintenance(stageName, "-", StepName.SNAPSHOT, line -> { }, Duration.ofMinutes(1)));
    }

    /**
     * Queues a restore of snapshot {@code id} of {@code stageName}: like a deploy it runs under the stage's lease (it
     * waits for a running deploy) and is journaled as a run of kind {@link RunKind#RESTORE}.
     */
    public RunRecord requestRestore(String stageName, String id, String requestedBy) {
        return request(stageName, "snapshot:" + id, RunKind.RESTORE, requestedBy);
    }

    /**
     * Restores snapshot {@code id} of {@code stageName} as a journaled run under the stage's lease; {@code log} sees the
     * target's progress. Fails with the run's reason unless the restore succeeded.
     */
    public RunView restore(String stageName, String id, String requestedBy, java.util.function.Consumer<String> log) {
        RunRecord run = requestRestore(stageName, id, requestedBy);
        RunView view = run(run.id(), new RunListener() {
            @Override
            public void onLog(dev.slipway.core.journal.LogLine line) {
                log.accept(line.line());
            }
        });
        if (view.state() != dev.slipway.core.journal.RunState.SUCCEEDED) {
            throw new SlipwayException(ErrorCode.NEEDS_ATTENTION,
                    "restore of snapshot " + id + " into stage " + stageName + " (run " + run.id() + ") ended " + view.state()
                            + (view.reason() == null ? "" : ": " + view.reason()));
        }
        return view;
    }

    /** {@link #restore(String, String, String, java.util.function.Consumer)} requested by "cli". */
    public RunView restore(String stageName, String id, java.util.function.Consumer<String> log) {
        return restore(stageName, id, "cli", log);
    }

    /** The image a deploy of {@code commit} to a promoting stage would take from its source stage, or null. */
    private String promotedImage(StageSpec st, String commit) {
        if (st.promoteFrom() == null) {
            return null;
        }
        try {
            return promotion.source(st, options.sources().tree(spec, commit, null).orElse(null)).map(Promotion::reference).orElse(null);
        } catch (SlipwayException e) {
            return null; // the plan's promote line already says what is wrong
        }
    }

    private StepContext maintenance(String stageName, String commit, StepName step, java.util.function.Consumer<String> log,
                                    Duration timeout) {
        return maintenance(stageName, commit, null, step, log, timeout);
    }

    /** A context for work outside a run (plan, snapshots): run id 0, nothing succeeded yet; {@code image} as if given. */
    private StepContext maintenance(String stageName, String commit, String image, StepName step,
                                    java.util.function.Consumer<String> log, Duration timeout) {
        RunRecord none = new RunRecord(0, RunKeys.next(), spec.app(), stageName, commit, RunKind.DEPLOY, "cli",
                options.clock().instant(), image, null);
        return new RunStepContext(journal.key(), journal.location(), options.sources(), () -> earlierBuild(none), none, spec,
                step, 1, s -> Optional.empty(),
                currentRelease(stageName), log, masker, options.env(), options.clock().instant().plus(timeout), options.clock());
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
