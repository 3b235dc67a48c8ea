package dev.slipway.core.engine;

import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.AppEnvironment;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** What one attempt of one step sees. */
final class RunStepContext implements StepContext {
    private final RunRecord run;
    private final SlipwaySpec spec;
    private final StageSpec stage;
    private final StepName step;
    private final int attempt;
    private final Function<StepName, Optional<Outputs>> outputs;
    private final Optional<Release> previous;
    private final Consumer<String> log;
    private final Masker masker;
    private final UnaryOperator<String> env;
    private final Instant deadline;
    private final Clock clock;
    private final String journalKey;
    private final String journalLocation;
    private final Sources sources;
    private final java.util.function.Supplier<Optional<Outputs>> earlierBuild;

    RunStepContext(String journalKey, String journalLocation, Sources sources, java.util.function.Supplier<Optional<Outputs>> earlierBuild, RunRecord run, SlipwaySpec spec, StepName step, int attempt, Function<StepName, Optional<Outputs>> outputs,
                   Optional<Release> previous, Consumer<String> log, Masker masker, UnaryOperator<String> env,
                   Instant deadline, Clock clock) {
        this.journalKey = journalKey;
        this.journalLocation = journalLocation;
        this.sources = sources;
        this.earlierBuild = earlierBuild;
        this.run = run;
        this.spec = spec;
        this.stage = spec.stage(run.stage()).orElseThrow(() -> new IllegalStateException("stage " + run.stage() + " vanished (bug)"));
        this.step = step;
        this.attempt = attempt;
        this.outputs = outputs;
        this.previous = previous;
        this.log = log;
        this.masker = masker;
        this.env = env;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public long runId() {
        return run.id();
    }

    @Override
    public String runKey() {
        return run.key();
    }

    @Override
    public String journalKey() {
        return journalKey;
    }

    @Override
    public String journalLocation() {
        return journalLocation;
    }

    @Override
    public java.nio.file.Path sourceDir() {
        return sources.sourceDir(run, spec);
    }

    @Override
    public Optional<String> requestedImage() {
        return Optional.ofNullable(run.image());
    }

    @Override
    public Optional<Outputs> earlierBuild() {
        return earlierBuild.get();
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
        return run.commit();
    }

    @Override
    public StepName step() {
        return step;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public Optional<Outputs> outputsOf(StepName name) {
        return outputs.apply(name);
    }

    @Override
    public Optional<Release> previousRelease() {
        return previous;
    }

    @Override
    public void log(String line) {
        log.accept(masker.mask(line));
    }

    @Override
    public String resolve(ConfigValue value, String path) {
        String resolved = value.resolve(env, path);
        if (value.isSecret()) {
            masker.add(value, env, resolved);
            Masker.refuseShort(path, resolved);
        }
        return resolved;
    }

    @Override
    public Map<String, String> appEnvironment() {
        Map<String, String> out = new LinkedHashMap<>();
        AppEnvironment.of(spec, stage, run.commit()).forEach((name, v) -> out.put(name, resolve(v.value(), v.path())));
        return out;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
