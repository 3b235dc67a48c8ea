package dev.slipway.local;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A Slipway process for the crash ITs: deploys with the real local target, but at one point writes a marker file and
 * hangs, so the test can SIGKILL it exactly there: when migrate begins (stop-old's success is journaled), or, with
 * {@code stop-old} as the seventh argument, right after stop-old stopped the old release but before the engine could
 * journal that it succeeded.
 * Arguments: spec file, base dir, journal URL, stage, commit, marker file[, stop-old].
 */
public final class CrashingDeploy {
    private CrashingDeploy() {
    }

    public static void main(String[] args) throws Exception {
        SlipwaySpec spec = new SpecLoader(Set.of("local")).parse(Files.readString(Path.of(args[0])), args[0], Path.of(args[1]));
        Path marker = Path.of(args[5]);
        boolean inStopOld = args.length > 6 && args[6].equals("stop-old");
        Target real = new LocalTargetProvider().create(spec, spec.stage(args[3]).orElseThrow());
        Target hanging = new Target() {
            @Override
            public Outputs build(StepContext ctx) {
                return real.build(ctx);
            }

            @Override
            public Outputs snapshot(StepContext ctx) {
                return real.snapshot(ctx);
            }

            @Override
            public void claim(StepContext ctx) {
                real.claim(ctx);
            }

            @Override
            public Outputs stopOld(StepContext ctx) {
                Outputs out = real.stopOld(ctx);
                if (inStopOld) {
                    hang();
                }
                return out;
            }

            @Override
            public Outputs migrate(StepContext ctx) {
                hang();
                return real.migrate(ctx);
            }

            private void hang() {
                try {
                    Files.writeString(marker, "stop-old done");
                    new CountDownLatch(1).await();
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("unreachable: the test kills this process");
            }

            @Override
            public Outputs deploy(StepContext ctx) {
                return real.deploy(ctx);
            }

            @Override
            public Outputs verify(StepContext ctx) {
                return real.verify(ctx);
            }

            @Override
            public Outputs compensate(StepContext ctx, boolean restoreSnapshot) {
                return real.compensate(ctx, restoreSnapshot);
            }
        };
        try (Engine engine = new Engine(Journals.open(args[2], null, null), spec, s -> hanging,
                EngineOptions.defaults(Duration.ofSeconds(10)))) {
            engine.run(engine.request(args[3], args[4], RunKind.DEPLOY, "crashing").id(), RunListener.NONE);
        }
    }
}
