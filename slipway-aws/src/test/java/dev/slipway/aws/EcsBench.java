package dev.slipway.aws;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.journal.RunView.StepView;
import dev.slipway.core.spec.EcsSpec;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageEngines;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Slipway half of bench/aws/run.sh, against a moto_server the script started. Two modes:
 * <ul>
 * <li>{@code setup ENDPOINT DIR}: empties moto and creates the stage (cluster, service on revision 1 x2, RDS instance,
 * log group); prints shell assignments for the AWS CLI half, among them the ecs target's poll schedule
 * ({@link Poller#DEFAULT}), so the CLI can poll on exactly that schedule.</li>
 * <li>{@code slipway ENDPOINT DIR CONTEXT REGISTRY BASE_IMAGE}: the same setup, then one deploy through the engine with
 * the real ecs target, including a REAL image build of CONTEXT's Containerfile and its push to REGISTRY (slipway.yml's
 * {@code ecs.registry}; moto's ECR keeps no layers) through the container engine at DOCKER_HOST. Prints the run's
 * duration, its steps', the image build's and push's, and the whole process's (JVM start, class loading, SDK and
 * Docker clients, journal) less the stage setup.</li>
 * </ul>
 */
public final class EcsBench {
    /** The ECR repository, and the repository in the local registry: the bench's own, so cleaning up is safe. */
    static final String REPOSITORY = "slipway-bench";
    static final List<String> MIGRATE = List.of("java", "-jar", "/app/hello-server.jar", "migrate");

    private EcsBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !(args[0].equals("setup") || args[0].equals("slipway") && args.length == 6)) {
            throw new IllegalArgumentException("usage: EcsBench setup ENDPOINT DIR | slipway ENDPOINT DIR CONTEXT REGISTRY BASE_IMAGE");
        }
        MotoServer moto = MotoServer.at(args[1]);
        Path dir = Path.of(args[2]);
        Files.createDirectories(dir);
        long setupStart = System.nanoTime();
        moto.reset();
        try (EcsWorld world = EcsWorld.on(moto, dir)) {
            long setupMs = millisSince(setupStart);
            if (args[0].equals("setup")) {
                printSetup(world);
            } else {
                deploy(world, Path.of(args[3]).toAbsolutePath(), args[4], args[5], setupMs);
            }
        }
    }

    private static void printSetup(EcsWorld world) {
        System.out.println("INITIAL_TD=" + world.initialTaskDefinition);
        System.out.println("SUBNET=" + world.subnet());
        System.out.println("SG=" + world.securityGroup());
        System.out.println("POLL_DELAYS_MS=\"" + schedule(Poller.DEFAULT) + "\"");
    }

    /** The pauses after probe 1, 2, … in ms, up to the first that reaches the cap (which then repeats). */
    static String schedule(Poller poller) {
        List<String> ms = new ArrayList<>();
        for (int attempt = 0; attempt < 100; attempt++) {
            Duration d = poller.delayAfter(attempt);
            ms.add(String.valueOf(d.toMillis()));
            if (d.equals(poller.delayAfter(attempt + 1))) {
                break;
            }
        }
        return String.join(" ", ms);
    }

    private static void deploy(EcsWorld world, Path context, String registry, String baseImage, long setupMs) throws Exception {
        SlipwaySpec spec = spec(world.dir, context, world.moto.endpoint(), registry, baseImage);
        EcsSpec ecs = spec.stage(EcsWorld.STAGE).orElseThrow().ecs();
        Path journal = world.dir.resolve("bench-state-" + System.nanoTime() + ".db");
        try (TimedImageEngine images = new TimedImageEngine();
             AwsClients aws = AwsClients.create(ecs);
             Engine engine = EcsWorld.engine(spec, new EcsTarget(EcsSettings.of(ecs), aws, () -> images), journal)) {
            long start = System.nanoTime();
            RunView run = EcsWorld.deploy(engine, "bench" + System.currentTimeMillis());
            long ms = millisSince(start);
            if (run.state() != RunState.SUCCEEDED) {
                throw new IllegalStateException("bench deploy ended " + run.state() + ": " + run.reason());
            }
            report(run, images, ms, setupMs);
            System.out.println("service_td=" + world.service().taskDefinition());
        }
    }

    private static void report(RunView run, TimedImageEngine images, long ms, long setupMs) {
        run.steps().forEach((name, step) -> System.out.println("step_" + name.replace('-', '_') + "_ms="
                + step.duration().map(Duration::toMillis).orElse(-1L)));
        System.out.println("image_engine_open_ms=" + images.openMs);
        System.out.println("image_build_ms=" + images.buildMs);
        System.out.println("image_push_ms=" + images.pushMs);
        System.out.println("phase_build_snapshot_ms=" + between(run, Stream.of("build", "snapshot")));
        System.out.println("phase_rollout_ms=" + between(run, Stream.of("stop-old", "migrate", "deploy", "verify")));
        System.out.println("image_local=" + images.built);
        System.out.println("image_pushed=" + images.pushed);
        System.out.println("slipway_ms=" + ms);
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("process_ms=" + (sinceJvmStart - setupMs));
    }

    /** From the first of these steps' starts to the last of their ends: the wall time of that part of the run. */
    private static long between(RunView run, Stream<String> names) {
        List<StepView> steps = names.map(n -> run.step(n).orElseThrow()).toList();
        Instant first = steps.stream().map(StepView::startedAt).min(Instant::compareTo).orElseThrow();
        Instant last = steps.stream().map(StepView::endedAt).max(Instant::compareTo).orElseThrow();
        return Duration.between(first, last).toMillis();
    }

    /**
     * slipway.yml of the bench: the stage of {@link EcsWorld}, the real build context and its base image, and
     * {@code ecs.registry}, so the target pushes where podman can (the production path; no test-only override).
     */
    static SlipwaySpec spec(Path dir, Path context, String endpoint, String registry, String baseImage) {
        String yaml = """
                app: hello
                build:
                  context: %s
                  dockerfile: Containerfile
                  args:
                    BASE_IMAGE: %s
                migrations:
                  command: [%s]
                  timeout: 60s
                health:
                  timeout: 60s
                timeouts:
                  build: 300s
                  snapshot: 60s
                  stop: 60s
                  deploy: 60s
                  compensate: 60s
                stages:
                  staging:
                    branch: main
                    target: ecs
                    replicas: 1
                    environment:
                      GREETING: hi
                    snapshots:
                      keep: 2
                    ecs:
                      region: %s
                      cluster: %s
                      service: %s
                      task-definition: task.json
                      ecr-repository: %s
                      rds-instance: %s
                      endpoint: %s
                      registry: %s
                """.formatted(context, baseImage, String.join(", ", MIGRATE), EcsWorld.REGION, EcsWorld.CLUSTER,
                EcsWorld.SERVICE, REPOSITORY, EcsWorld.INSTANCE, endpoint, registry);
        return new SpecLoader(Set.of("ecs", "local")).parse(yaml, "slipway.yml", dir);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /**
     * The real engine at DOCKER_HOST, opened on first use as the ecs target's provider does, timing the opening (the
     * Docker client's class loading, in a fresh JVM), the build and the push, so the report can tell image work from
     * AWS work.
     */
    private static final class TimedImageEngine implements ImageEngine {
        private ImageEngine engine;
        private volatile long openMs = -1;
        private volatile long buildMs = -1;
        private volatile long pushMs = -1;
        private volatile String built;
        private volatile String pushed;

        private synchronized ImageEngine engine() {
            if (engine == null) {
                long start = System.nanoTime();
                engine = ImageEngines.fromEnvironment();
                openMs = millisSince(start);
            }
            return engine;
        }

        @Override
        public BuiltImage build(BuildRequest request, Consumer<String> log) {
            ImageEngine images = engine();
            long start = System.nanoTime();
            BuiltImage image = images.build(request, log);
            buildMs = millisSince(start);
            built = image.ref();
            return image;
        }

        @Override
        public String push(String image, String targetRef, RegistryAuth auth, Consumer<String> log) {
            long start = System.nanoTime();
            String digest = engine().push(image, targetRef, auth, log);
            pushMs = millisSince(start);
            pushed = targetRef + "@" + digest;
            return digest;
        }

        @Override
        public boolean exists(String ref) {
            return engine().exists(ref);
        }

        @Override
        public synchronized void close() {
            if (engine != null) {
                engine.close();
            }
        }
    }
}
