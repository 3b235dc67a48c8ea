package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.SnapshotInfo;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.Target;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4: plan and deploy agree. The test runs {@code plan}, then the deploy it describes, through the fault proxy
 * (here only to record calls), and per step checks that every call the plan writes {@code service:Operation} was made in
 * that step and every changing call (not Describe/List/Get) made in that step was planned there. Steps are serialised by
 * {@link Recording} (build and snapshot otherwise overlap) so that each call belongs to one step. The image push is not
 * an AWS API call (a registry protocol push), so the fake engine's stand-in PutImage goes to moto around the proxy.
 */
class EcsPlanAgreesWithDeployIT {
    static final Pattern STEP = Pattern.compile("^\\s*(build|snapshot|stop-old|migrate|deploy|verify|on failure[^:]*):");
    static final Pattern CALL = Pattern.compile("\\b(?:ecs|ecr|rds|logs|elasticloadbalancing):([A-Z][A-Za-z]+)");
    static final String REGISTRY = System.getenv().getOrDefault("SLIPWAY_REGISTRY", "127.0.0.1:5000");
    @TempDir
    Path dir;
    EcsWorld world;
    FaultProxy proxy;
    HttpServer health;

    @BeforeEach
    void setUp() throws IOException {
        world = EcsWorld.create(dir);
        proxy = FaultProxy.start(world.moto.endpoint());
        health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        health.createContext("/healthz", e -> {
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        health.start();
    }

    @AfterEach
    void tearDown() {
        health.stop(0);
        proxy.close();
        world.close();
    }

    @Test
    void planThenDeploy_firstDeployToEcrWithoutHealthUrl_agreeStepByStep() {
        SlipwaySpec spec = EcsWorld.specOn(dir, proxy.endpoint(), "20s", "20s", null, null);

        Map<String, List<String>> plan = agree(spec, "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111");

        String text = String.join("\n", plan.get("text"));
        assertThat(text).contains("ecr:CreateRepository hello", "ecr:GetAuthorizationToken", "(no ecs.health-url: no HTTP check)",
                "ecs:UpdateService back to hello:1 x2", "runs `java -jar /app/hello-server.jar migrate` in place of")
                .doesNotContain("on port 8080", "nothing (first deploy)", "GET http");
    }

    @Test
    void planThenDeploy_laterDeployToEcrWithHealthUrl_agreeStepByStep() {
        String url = "http://127.0.0.1:" + health.getAddress().getPort() + "/healthz";
        SlipwaySpec spec = EcsWorld.specOn(dir, proxy.endpoint(), "20s", "20s", url, null);
        agree(spec, "bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222");

        Map<String, List<String>> plan = agree(spec, "cccc3333cccc3333cccc3333cccc3333cccc3333");

        String text = String.join("\n", plan.get("text"));
        assertThat(text).contains("GET " + url + " until it answers 2xx", "ecs:UpdateService back to hello:2 x2",
                "live now: bbbb2222", "bring back what ran before (bbbb2222").doesNotContain("ecr:CreateRepository");
    }

    @Test
    void planThenDeploy_sameCommitAgain_plansTheReuseAndNoPush() {
        SlipwaySpec spec = EcsWorld.specOn(dir, proxy.endpoint(), "20s", "20s", null, null);
        agree(spec, "dddd4444dddd4444dddd4444dddd4444dddd4444");

        Map<String, List<String>> plan = agree(spec, "dddd4444dddd4444dddd4444dddd4444dddd4444");

        assertThat(String.join("\n", plan.get("text"))).contains("this commit's earlier build): reuse it")
                .doesNotContain("GetAuthorizationToken");
    }

    @Test
    void planThenDeploy_registryOverride_agreeAndNeverAskEcrForAuthorization() {
        SlipwaySpec spec = EcsWorld.specOn(dir, proxy.endpoint(), "20s", "20s", null, REGISTRY);

        Map<String, List<String>> plan = agree(spec, "eeee" + Long.toHexString(System.nanoTime()));

        String text = String.join("\n", plan.get("text"));
        assertThat(text).contains("push it to " + REGISTRY + "/hello:", "no ECR authorization").doesNotContain("GetAuthorizationToken");
        assertThat(proxy.operations()).doesNotContain("GetAuthorizationToken");
    }

    /** Plans, deploys {@code commit}, checks that they agree; returns the plan's calls per step and its text ("text"). */
    private Map<String, List<String>> agree(SlipwaySpec spec, String commit) {
        FakeImageEngine images = new FakeImageEngine();
        EcsTarget ecs = EcsWorld.target(spec, images);
        images.pushInto(world.admin.ecr());
        Recording target = new Recording(ecs, proxy);
        Map<String, List<String>> planned;
        RunView run;
        try (Engine engine = EcsWorld.engine(spec, target, dir.resolve("state.db"))) {
            List<String> lines = engine.plan(EcsWorld.STAGE, commit);
            planned = calls(lines);
            planned.put("text", lines);
            run = EcsWorld.deploy(engine, commit);
        }
        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        for (String step : List.of("build", "snapshot", "stop-old", "migrate", "deploy", "verify")) {
            List<String> made = target.calls.getOrDefault(step, List.of());
            List<String> plannedHere = planned.getOrDefault(step, List.of());
            assertThat(made).as("calls of step %s (plan: %s)", step, plan(planned)).containsAll(plannedHere);
            assertThat(plannedHere).as("changing calls of step %s made (plan: %s)", step, plan(planned))
                    .containsAll(made.stream().filter(op -> !op.matches("(Describe|List|Get)[A-Za-z]+")).toList());
        }
        return planned;
    }

    private static String plan(Map<String, List<String>> planned) {
        return String.join("\n", planned.get("text"));
    }

    /** The {@code service:Operation} calls of each step's lines in the target's part of the plan. */
    static Map<String, List<String>> calls(List<String> lines) {
        Map<String, List<String>> calls = new LinkedHashMap<>();
        String step = null;
        boolean target = false;
        for (String line : lines) {
            target |= line.contains("ecs target, region");
            Matcher m = STEP.matcher(line);
            if (m.find()) {
                step = m.group(1).startsWith("on failure") ? "on failure" : m.group(1);
            }
            if (!target || step == null) {
                continue;
            }
            Matcher c = CALL.matcher(line);
            while (c.find()) {
                calls.computeIfAbsent(step, k -> new ArrayList<>()).add(c.group(1));
            }
        }
        calls.replaceAll((k, v) -> List.copyOf(new LinkedHashSet<>(v)));
        return calls;
    }

    /** The ecs target, one step at a time, noting which proxied calls each step made. */
    static final class Recording implements Target {
        final Map<String, List<String>> calls = new LinkedHashMap<>();
        private final EcsTarget target;
        private final FaultProxy proxy;

        Recording(EcsTarget target, FaultProxy proxy) {
            this.target = target;
            this.proxy = proxy;
        }

        private synchronized Outputs step(String name, Supplier<Outputs> step) {
            int from = proxy.operations().size();
            try {
                return step.get();
            } finally {
                List<String> ops = proxy.operations();
                calls.computeIfAbsent(name, k -> new ArrayList<>()).addAll(ops.subList(from, ops.size()));
            }
        }

        @Override
        public Outputs build(StepContext ctx) {
            return step("build", () -> target.build(ctx));
        }

        @Override
        public Outputs snapshot(StepContext ctx) {
            return step("snapshot", () -> target.snapshot(ctx));
        }

        @Override
        public Outputs stopOld(StepContext ctx) {
            return step("stop-old", () -> target.stopOld(ctx));
        }

        @Override
        public Outputs migrate(StepContext ctx) {
            return step("migrate", () -> target.migrate(ctx));
        }

        @Override
        public Outputs deploy(StepContext ctx) {
            return step("deploy", () -> target.deploy(ctx));
        }

        @Override
        public Outputs verify(StepContext ctx) {
            return step("verify", () -> target.verify(ctx));
        }

        @Override
        public Outputs compensate(StepContext ctx, boolean restoreSnapshot) {
            return step("on failure", () -> target.compensate(ctx, restoreSnapshot));
        }

        @Override
        public List<String> plan(StepContext ctx) {
            return target.plan(ctx);
        }

        @Override
        public List<SnapshotInfo> snapshots(StepContext ctx) {
            return target.snapshots(ctx);
        }
    }
}
