package dev.slipway.core.bench;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * The engine's own cost per run: a whole deploy (queue, lease, six journaled steps, release) against a target whose
 * steps do nothing. Run by bench/engine-overhead.sh; prints the figures. Args: [runs] [jdbc-url].
 */
public final class EngineOverheadBench {
    private static final String SPEC = """
            app: bench
            build: {context: .}
            migrations: {command: [migrate]}
            stages:
              staging: {branch: main, target: noop}
            """;

    private EngineOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("slipway-bench");
        String url = args.length > 1 ? args[1] : "jdbc:sqlite:" + dir.resolve("state.db");
        SlipwaySpec spec = new SpecLoader(Set.of("noop")).parse(SPEC, "bench.yml", dir);

        long openStart = System.nanoTime();
        Journal journal = Journals.open(url, System.getenv("SLIPWAY_TEST_PG_USER"), System.getenv("SLIPWAY_TEST_PG_PASSWORD"));
        long openNanos = System.nanoTime() - openStart;
        try (journal; Engine engine = new Engine(journal, spec, s -> new NoopTarget(), EngineOptions.defaults(Duration.ofSeconds(30)))) {
            long first = deploy(engine, "first");
            for (int i = 0; i < 20; i++) {
                deploy(engine, "warm" + i);
            }
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                nanos[i] = deploy(engine, "c" + i);
            }
            Arrays.sort(nanos);
            System.out.printf("store: %s%n", url.startsWith("jdbc:sqlite:") ? "sqlite (file)" : url);
            System.out.printf("open store (schema check/migrate): %.1f ms%n", openNanos / 1e6);
            System.out.printf("first run in a fresh process:      %.1f ms%n", first / 1e6);
            System.out.printf("runs measured: %d (after 20 warm-up runs)%n", runs);
            System.out.printf("per run: mean %.1f ms, p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                    Arrays.stream(nanos).average().orElse(0) / 1e6, nanos[runs / 2] / 1e6, nanos[(int) (runs * 0.95)] / 1e6,
                    nanos[runs - 1] / 1e6);
        }
    }

    private static long deploy(Engine engine, String commit) {
        long start = System.nanoTime();
        RunState state = engine.run(engine.request("staging", commit, RunKind.DEPLOY, "bench").id(), RunListener.NONE).state();
        if (state != RunState.SUCCEEDED) {
            throw new IllegalStateException("bench run ended " + state);
        }
        return System.nanoTime() - start;
    }

    /** A target whose steps do nothing, so what is measured is the engine. */
    private static final class NoopTarget implements Target {
        @Override
        public Outputs build(StepContext ctx) {
            return Outputs.of("image", "bench:" + ctx.commit(), "digest", "sha256:0");
        }

        @Override
        public Outputs snapshot(StepContext ctx) {
            return Outputs.NONE;
        }

        @Override
        public Outputs stopOld(StepContext ctx) {
            return Outputs.NONE;
        }

        @Override
        public Outputs migrate(StepContext ctx) {
            return Outputs.NONE;
        }

        @Override
        public Outputs deploy(StepContext ctx) {
            return Outputs.NONE;
        }

        @Override
        public Outputs verify(StepContext ctx) {
            return Outputs.NONE;
        }

        @Override
        public Outputs compensate(StepContext ctx, boolean restoreSnapshot) {
            return Outputs.NONE;
        }
    }
}
