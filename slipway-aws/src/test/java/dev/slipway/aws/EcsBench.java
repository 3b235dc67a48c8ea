package dev.slipway.aws;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Slipway half of bench/aws/run.sh, against a moto_server the script started.
 * {@code setup ENDPOINT DIR}: empties moto and creates the stage (cluster, service on revision 1 x2, RDS instance, log
 * group), printing shell assignments for the AWS CLI half. {@code slipway ENDPOINT DIR}: the same setup, then one
 * deploy through the engine (ECR repository, task definition, RDS snapshot, stop-old, migration task, deploy, verify)
 * with a FAKE image engine (the benchmark is about AWS calls and waits, not image builds), printing its duration
 * and the whole process's (JVM start, class loading, SDK clients, journal) less the stage setup.
 */
public final class EcsBench {
    private EcsBench() {
    }

    public static void main(String[] args) throws Exception {
        MotoServer moto = MotoServer.at(args[1]);
        Path dir = Path.of(args[2]);
        Files.createDirectories(dir);
        long setupStart = System.nanoTime();
        moto.reset();
        try (EcsWorld world = EcsWorld.on(moto, dir)) {
            long setupMs = (System.nanoTime() - setupStart) / 1_000_000;
            if (args[0].equals("setup")) {
                System.out.println("INITIAL_TD=" + world.initialTaskDefinition);
                System.out.println("SUBNET=" + world.subnet());
                System.out.println("SG=" + world.securityGroup());
                return;
            }
            SlipwaySpec spec = world.spec(moto.endpoint());
            Path journal = dir.resolve("bench-state-" + System.nanoTime() + ".db");
            try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), journal)) {
                long start = System.nanoTime();
                RunView run = EcsWorld.deploy(engine, "bench" + System.currentTimeMillis());
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (run.state() != RunState.SUCCEEDED) {
                    throw new IllegalStateException("bench deploy ended " + run.state() + ": " + run.reason());
                }
                run.steps().forEach((name, step) -> System.out.println("step_" + name.replace('-', '_') + "_ms="
                        + step.duration().map(java.time.Duration::toMillis).orElse(-1L)));
                System.out.println("slipway_ms=" + ms);
                long sinceJvmStart = System.currentTimeMillis()
                        - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                System.out.println("process_ms=" + (sinceJvmStart - setupMs));
                System.out.println("service_td=" + world.service().taskDefinition());
            }
        }
    }
}
