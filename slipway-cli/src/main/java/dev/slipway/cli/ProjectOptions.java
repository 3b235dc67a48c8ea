package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.spec.StateSpec;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetProvider;
import dev.slipway.core.spec.SpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** Options every project command shares, and the objects they make from them (lazily, so validate stays fast). */
final class ProjectOptions {
    @Option(names = {"-f", "--file"}, defaultValue = "slipway.yml", description = "The project file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    boolean json() {
        if (!output.equals("text") && !output.equals("json")) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, "--output must be text or json, not '" + output + "'");
        }
        return output.equals("json");
    }

    SlipwaySpec spec() {
        return new SpecLoader().load(file);
    }

    /** Opens the journal: SLIPWAY_STATE_URL, else state.url, else .slipway/state.db beside the project file. */
    static Journal journal(SlipwaySpec spec) {
        StateSpec state = spec.state();
        String envUrl = System.getenv("SLIPWAY_STATE_URL");
        String url = envUrl != null ? envUrl
                : state.url() != null ? state.url().resolve(System::getenv, "state.url") : Journals.defaultUrl(spec.baseDir());
        String user = state.user() == null ? System.getenv("SLIPWAY_STATE_USER") : state.user().resolve(System::getenv, "state.user");
        String password = state.password() == null ? System.getenv("SLIPWAY_STATE_PASSWORD")
                : state.password().resolve(System::getenv, "state.password");
        return Journals.open(url, user, password);
    }

    static Engine engine(SlipwaySpec spec, Journal journal) {
        return engine(spec, journal, targets(spec));
    }

    static Engine engine(SlipwaySpec spec, Journal journal, Function<StageSpec, Target> targets) {
        Engine engine = new Engine(journal, spec, targets, EngineOptions.defaults(spec.state().leaseTtl()).withSources(new GitSources()));
        // A step that does not stop when told could still act after the lease passes to another process: exit instead.
        engine.onStuckStep(() -> {
            System.err.println("slipway: a step did not stop within its stop window; exiting so that no other process"
                    + " runs steps on the stage while this one still acts (the next deploy resumes the run)");
            System.err.flush();
            Runtime.getRuntime().halt(3);
        });
        return engine;
    }

    /**
     * As {@link #targets(SlipwaySpec)}, with {@code stageName}'s target made now: a stage whose target cannot be made
     * (no AWS credentials, say) is refused before the journal is opened or a run is queued.
     */
    static Function<StageSpec, Target> targetsWith(SlipwaySpec spec, String stageName) {
        Function<StageSpec, Target> all = targets(spec);
        StageSpec stage = spec.requireStage(stageName);
        Target made = all.apply(stage);
        return s -> s.name().equals(stage.name()) ? made : all.apply(s);
    }

    /**
     * The target providers' own checks of {@code stages} ({@link TargetProvider#check}): warnings go to {@code err}, and
     * any error is a {@link SpecException} listing every one (exit 2) before anything is built or changed.
     */
    void checkTargets(SlipwaySpec spec, Collection<StageSpec> stages, PrintWriter err) {
        Map<String, TargetProvider> providers = providers();
        List<String> errors = new ArrayList<>();
        for (StageSpec stage : stages) {
            TargetProvider p = providers.get(stage.target());
            for (TargetProvider.Finding f : p == null ? List.<TargetProvider.Finding>of() : p.check(spec, stage)) {
                if (f.warning()) {
                    err.println("warning: " + f);
                } else {
                    errors.add(f.toString());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new SpecException(file.toString(), errors);
        }
    }

    private static Map<String, TargetProvider> providers() {
        return ServiceLoader.load(TargetProvider.class).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toMap(TargetProvider::type, p -> p, (a, b) -> a));
    }

    /** Picks each stage's target once, by its {@code target:} name, from the providers on the class path. */
    static Function<StageSpec, Target> targets(SlipwaySpec spec) {
        Map<String, TargetProvider> providers = providers();
        return stage -> {
            TargetProvider p = providers.get(stage.target());
            if (p == null) {
                throw new SlipwayException(ErrorCode.BAD_CONFIG, "stages." + stage.name() + ".target: no implementation of target '"
                        + stage.target() + "' is installed (available: " + String.join(", ", providers.keySet()) + ")");
            }
            return p.create(spec, stage);
        };
    }
}
