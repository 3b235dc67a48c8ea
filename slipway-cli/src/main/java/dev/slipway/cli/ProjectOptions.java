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
import java.io.IOException;
import java.nio.file.Files;
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
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options every project command shares, and the objects they make from them (lazily, so validate stays fast). */
final class ProjectOptions {
    /** Far larger than any real project file; a larger one is a mistake (or /dev/zero), not worth reading. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    @Option(names = {"-f", "--file"}, defaultValue = "slipway.yml", paramLabel = "FILE", description = "The project file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--output", defaultValue = "text", paramLabel = "FORMAT", converter = Format.class,
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    boolean json() {
        return output.equals("json");
    }

    /** {@code --output}: checked while picocli reads it, so every command refuses a bad one (exit 2) before doing anything. */
    static final class Format implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.equals("text") && !value.equals("json")) {
                throw new TypeConversionException("must be text or json, not '" + Display.value(value) + "'");
            }
            return value;
        }
    }

    SlipwaySpec spec() {
        requireReadableFile();
        return new SpecLoader().load(file);
    }

    /**
     * The project file must be a regular file of sensible size before it is read: a directory, FIFO or device
     * (/dev/zero, /dev/stdin) would fail late with a cryptic message, block forever or exhaust the heap.
     */
    private void requireReadableFile() {
        if (file.toString().isEmpty()) {
            throw bad("--file is empty; it names the project file, e.g. --file slipway.yml");
        }
        String shown = Display.path(file);
        String where = shown + " (--file)";
        try {
            if (!Files.exists(file)) {
                throw bad(shown + ": no such file; create one (see docs/config.md) or pass --file PATH");
            }
            if (Files.isDirectory(file)) {
                throw bad(where + " is a directory; --file names the project file, e.g. " + Display.path(file.resolve("slipway.yml")));
            }
            if (!Files.isRegularFile(file)) {
                throw bad(where + " is not a regular file (a FIFO, device or socket); --file names the project file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw bad(where + " is " + size + " bytes; a project file is at most " + MAX_FILE_BYTES + " bytes");
            }
        } catch (IOException | SecurityException e) {
            throw bad(where + ": cannot read: " + e.getMessage());
        }
    }

    private static SlipwayException bad(String message) {
        return new SlipwayException(ErrorCode.BAD_CONFIG, message);
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
        return engine(spec, journal, targets, dev.slipway.core.engine.ApprovalSource.NONE);
    }

    /** An engine that asks {@code approvals} before it queues a run of a stage with approvals. */
    static Engine engine(SlipwaySpec spec, Journal journal, Function<StageSpec, Target> targets,
                         dev.slipway.core.engine.ApprovalSource approvals) {
        Engine engine = new Engine(journal, spec, targets, EngineOptions.defaults(spec.state().leaseTtl()).withSources(new GitSources())
                .withApprovals(approvals));
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
