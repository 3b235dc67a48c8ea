package dev.slipway.local;

import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A hand-made {@link StepContext}: fixed run, outputs set by the test, log kept in a list. */
final class FixedContext implements StepContext {
    final SlipwaySpec spec;
    final StageSpec stage;
    final long runId;
    final String commit;
    final Map<StepName, Outputs> outputs = new EnumMap<>(StepName.class);
    final List<String> log = new CopyOnWriteArrayList<>();
    final Map<String, String> env = new LinkedHashMap<>();
    Release previous;
    String runKey;
    String journalKey = "testjournal";
    String journalLocation = "sqlite:/project/.slipway/state.db";
    java.nio.file.Path sourceDir;
    String requestedImage;
    Outputs earlierBuild;
    Clock clock = Clock.systemUTC();
    Duration timeout = Duration.ofMinutes(1);
    StepName step = StepName.BUILD;
    private Instant deadline;

    FixedContext(SlipwaySpec spec, String stage, long runId, String commit) {
        this.spec = spec;
        this.stage = spec.stage(stage).orElseThrow();
        this.runId = runId;
        this.commit = commit;
    }

    /** Starts step {@code s} now: its deadline is {@link #timeout} from the clock's now. */
    FixedContext at(StepName s) {
        step = s;
        deadline = clock.instant().plus(timeout);
        return this;
    }

    FixedContext with(StepName s, Outputs out) {
        outputs.put(s, out);
        return this;
    }

    @Override
    public long runId() {
        return runId;
    }

    @Override
    public String runKey() {
        return runKey == null ? String.valueOf(runId) : runKey;
    }

    @Override
    public String journalKey() {
        return journalKey;
    }

    @Override
    public String journalLocation() {
        return journalLocation;
    }

    /** The spec's base directory unless the test set another (the engine hands the commit's tree here). */
    @Override
    public java.nio.file.Path sourceDir() {
        return sourceDir == null ? spec.baseDir() : sourceDir;
    }

    @Override
    public Optional<String> requestedImage() {
        return Optional.ofNullable(requestedImage);
    }

    @Override
    public Optional<Outputs> earlierBuild() {
        return Optional.ofNullable(earlierBuild);
    }

    @Override
    public SlipwaySpec spec() {
        return spec;
    }

    @Override
    public StageSpec stage() {
        return stage;
    }

    @Override
    public String commit() {
        return commit;
    }

    @Override
    public StepName step() {
        return step;
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public Optional<Outputs> outputsOf(StepName s) {
        return Optional.ofNullable(outputs.get(s));
    }

    @Override
    public Optional<Release> previousRelease() {
        return Optional.ofNullable(previous);
    }

    @Override
    public void log(String line) {
        log.add(line);
    }

    @Override
    public String resolve(ConfigValue value, String path) {
        return value.resolve(env::get, path);
    }

    /** What the engine gives the app ({@link dev.slipway.core.spec.AppEnvironment}), resolved against {@link #env}. */
    @Override
    public Map<String, String> appEnvironment() {
        Map<String, String> out = new LinkedHashMap<>();
        dev.slipway.core.spec.AppEnvironment.of(spec, stage, commit).forEach((k, v) -> out.put(k, resolve(v.value(), v.path())));
        return out;
    }

    @Override
    public Instant deadline() {
        return deadline == null ? clock.instant().plus(timeout) : deadline;
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
