package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The verify step on moto, for a service behind a load balancer (target group {@code hello-tg}, two ip targets) and an
 * optional health URL served by a JDK HttpServer on loopback. The FaultProxy sits in front of moto throughout.
 */
class EcsVerifyIT {
    static final String COMMIT = "5eed5eed00112233";
    static final String SICK = EcsWorld.TARGET_IPS.get(1);
    static final Pattern MEMBER = Pattern.compile("<member>.*?</member>", Pattern.DOTALL);
    @TempDir
    Path dir;
    EcsWorld world;
    FaultProxy proxy;
    HttpServer app;
    final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    final AtomicInteger healthRequests = new AtomicInteger();
    volatile int thenStatus = 200;

    @BeforeEach
    void setUp() throws IOException {
        world = EcsWorld.createLoadBalanced(dir);
        proxy = FaultProxy.start(world.moto.endpoint());
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        app.createContext("/healthz", exchange -> {
            healthRequests.incrementAndGet();
            Integer scripted = statuses.poll();
            byte[] body = (scripted == null ? thenStatus : scripted) / 100 == 2 ? "ok".getBytes(StandardCharsets.UTF_8)
                    : "warming up".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(scripted == null ? thenStatus : scripted, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
    }

    @AfterEach
    void tearDown() {
        app.stop(0);
        proxy.close();
        world.close();
    }

    @Test
    void verify_targetsHealthy_succeedsAndRecordsTargetHealth() {
        RunView run = deploy("10s", null);

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        Map<String, String> verified = run.step("verify").orElseThrow().outputs();
        assertThat(verified).containsEntry("checks", "service-stable,target-health").containsEntry("targetGroups", "1")
                .containsEntry("targetsHealthy", "2").doesNotContainKey("healthUrl");
        assertThat(proxy.operations()).contains("DescribeTargetHealth");
        assertThat(world.service().taskDefinition()).endsWith("hello:2");
        assertThat(world.serviceTags()).doesNotContainKeys(StoppedService.TAG_KEYS.toArray(String[]::new));
    }

    @Test
    void verify_targetStaysUnhealthy_failsAtDeadlineWithReasonAndIsRolledBack() {
        // moto reports every registered ip target "healthy" (it runs no health checks), so the unhealthy target is
        // written into moto's real DescribeTargetHealth answer here
        proxy.rewriteXml("DescribeTargetHealth", (request, response) -> unhealthy(response, SICK));

        RunView run = deploy("3s", null);

        assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(run.reason()).contains("target health did not turn healthy", "target group hello-tg: 1/2 healthy",
                SICK + ":8080 unhealthy (Target.FailedHealthChecks: Health checks failed with these codes: [503])",
                world.targetGroupArn);
        assertThat(run.step("compensate").orElseThrow().state()).isEqualTo("SUCCEEDED");
        assertOnPreviousRevision();
    }

    @Test
    void verify_healthUrl503ThenOk_succeedsAndRecordsStatus() {
        statuses.add(503);
        statuses.add(503);

        RunView run = deploy("10s", healthUrl());

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.step("verify").orElseThrow().outputs()).containsEntry("healthUrlStatus", "200")
                .containsEntry("healthUrl", healthUrl()).containsEntry("checks", "service-stable,target-health,health-url");
        assertThat(healthRequests).hasValue(3);
    }

    @Test
    void verify_healthUrlNever2xx_failsWithLastStatusAndIsRolledBack() {
        thenStatus = 503;

        RunView run = deploy("3s", healthUrl());

        assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(run.reason()).contains("health URL " + healthUrl() + " did not answer 2xx", "last answer: HTTP 503 warming up");
        assertThat(healthRequests.get()).isGreaterThan(3);
        assertOnPreviousRevision();
    }

    @Test
    void plan_loadBalancedWithHealthUrl_namesTheVerifyChecksAndOnlyReads() {
        SlipwaySpec spec = world.spec(proxy.endpoint(), "20s", "10s", healthUrl());
        List<String> plan;
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve("state.db"))) {
            plan = engine.plan(EcsWorld.STAGE, "abc1234");
        }

        assertThat(String.join("\n", plan)).contains("elasticloadbalancing:DescribeTargetHealth of target group hello-tg",
                "GET " + healthUrl() + " until it answers 2xx");
        assertThat(proxy.operations()).allMatch(op -> op.matches("(Describe|List|Get)[A-Za-z]+"), "a read-only call");
        assertThat(healthRequests).as("plan does not probe the health URL").hasValue(0);
    }

    private String healthUrl() {
        return "http://127.0.0.1:" + app.getAddress().getPort() + "/healthz";
    }

    private RunView deploy(String healthTimeout, String healthUrl) {
        SlipwaySpec spec = world.spec(proxy.endpoint(), "20s", healthTimeout, healthUrl);
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve("state.db"))) {
            return EcsWorld.deploy(engine, COMMIT);
        }
    }

    private void assertOnPreviousRevision() {
        Service service = world.service();
        assertThat(service.taskDefinition()).isEqualTo(world.initialTaskDefinition);
        assertThat(service.desiredCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
        assertThat(world.serviceTags()).doesNotContainKeys(StoppedService.TAG_KEYS.toArray(String[]::new));
    }

    /** The XML answer with {@code ip}'s health replaced by what ELB reports for a target failing its checks. */
    private static String unhealthy(String xml, String ip) {
        Matcher m = MEMBER.matcher(xml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String member = m.group();
            if (member.contains("<Id>" + ip + "</Id>")) {
                member = member.replaceAll("(?s)<TargetHealth>.*?</TargetHealth>", "<TargetHealth><State>unhealthy</State>"
                        + "<Reason>Target.FailedHealthChecks</Reason><Description>Health checks failed with these codes: "
                        + "[503]</Description></TargetHealth>");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(member));
        }
        m.appendTail(out);
        if (!out.toString().contains("<State>unhealthy</State>")) {
            throw new IllegalStateException("moto's DescribeTargetHealth answer has no member for " + ip + ": " + xml);
        }
        return out.toString();
    }
}
