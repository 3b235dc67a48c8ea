package dev.slipway.aws;

import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A StepContext for unit tests: a clock the test (or a recording pause) moves, logs kept in a list. */
final class TestContext implements StepContext {
    final List<String> logs = new CopyOnWriteArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Outputs of this run's steps that "succeeded": what {@link #outputsOf} answers. */
    final Map<StepName, Outputs> outputs = new java.util.concurrent.ConcurrentHashMap<>();
    volatile String key = "01jb0test0key0000000000007";
    volatile String image;
    volatile Outputs earlierBuild;
    /** The commit's tree; the spec's base directory unless a test says otherwise. */
    volatile java.nio.file.Path sourceDir;
    private final SlipwaySpec spec;
    private final Instant deadline;

    TestContext(SlipwaySpec spec, Duration timeout) {
        this.spec = spec;
        this.deadline = clock.instant().plus(timeout);
    }

    @Override
    public long runId() {
        return 7;
    }

    @Override
    public String runKey() {
        return key;
    }

    @Override
    public String journalKey() {
        return "testjournal";
    }

    @Override
    public String journalLocation() {
        return "sqlite:/test/state.db";
    }

    @Override
    public java.nio.file.Path sourceDir() {
        return sourceDir != null ? sourceDir : spec.baseDir();
    }

    @Override
    public Optional<String> requestedImage() {
        return Optional.ofNullable(image);
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
        return spec.stages().values().iterator().next();
    }

    @Override
    public String commit() {
        return "abc123";
    }

    @Override
    public StepName step() {
        return StepName.DEPLOY;
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public Optional<Outputs> outputsOf(StepName step) {
        return Optional.ofNullable(outputs.get(step));
    }

    @Override
    public Optional<Release> previousRelease() {
        return Optional.empty();
    }

    @Override
    public void log(String line) {
        logs.add(line);
    }

    @Override
    public String resolve(ConfigValue value, String path) {
        return value.resolve(name -> "resolved-" + name, path);
    }

    @Override
    public Map<String, String> appEnvironment() {
        throw new UnsupportedOperationException("the ecs target builds its own environment (TaskEnvironment)");
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** A clock that only moves when told. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
