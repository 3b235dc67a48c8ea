package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.journal.RunKeys;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code local.proxy: caddy} with the real Caddy, podman and the example app: the stage's port belongs to the proxy.
 * The first release of each stage is deployed by the engine (stop-first, which starts the proxy); later runs call the
 * target's steps in the order the engine uses for their strategy. Ports 28300-28399 (admin ports 28800-28899).
 */
class ProxyIT extends EngineIt {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @Test
    void online_deployUnderConstantLoad_noRequestFailsAndTheNewReleaseServesThroughTheProxy() throws Exception {
        try (HelloStage stage = proxied("it-px-online", 28300, 2)) {
            RunView first = stage.deploy("v1", "c1");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);
            assertThat(get(stage.port).body()).contains("\"c1\"");
            Load load = new Load(stage.port);

            FixedContext ctx = run(stage, "v2", "c2", "online");
            Target target = stage.target(ctx.spec);
            for (StepName step : List.of(StepName.BUILD, StepName.MIGRATE, StepName.DEPLOY, StepName.VERIFY, StepName.STOP_OLD)) {
                step(ctx, target, step);
                if (step == StepName.DEPLOY) {
                    assertThat(get(stage.port).body()).as("the old release serves until verify switches").contains("\"c1\"");
                }
            }
            load.waitFor(20); // a few requests after the old replicas stopped

            List<String> failures = load.stop();
            assertThat(failures).as(ctx.log.toString()).isEmpty();
            assertThat(load.versions).contains("c1", "c2");
            assertThat(load.versions.get(load.versions.size() - 1)).isEqualTo("c2");
            assertThat(stage.containers()).containsExactly("hello-it-it-px-online-1-0 exited", "hello-it-it-px-online-1-1 exited",
                    "hello-it-it-px-online-2-0 running", "hello-it-it-px-online-2-1 running");
            assertThat(get(stage.port).body()).contains("\"c2\"");
            String metrics = HelloStage.get("http://127.0.0.1:" + (stage.port + 500) + "/metrics");
            assertThat(metrics).contains("caddy_http_requests_total{", "server=\"slipway\"");
        }
    }

    @Test
    void online_failsAfterTheSwitch_compensationSwitchesBackToTheOldReleaseUnderLoadWithoutAFailedRequest() throws Exception {
        try (HelloStage stage = proxied("it-px-undo", 28330, 1)) {
            RunView first = stage.deploy("v1", "c1");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);
            FixedContext ctx = run(stage, "v2", "c2", "online");
            Target target = stage.target(ctx.spec);
            for (StepName step : List.of(StepName.BUILD, StepName.MIGRATE, StepName.DEPLOY, StepName.VERIFY)) {
                step(ctx, target, step);
            }
            assertThat(get(stage.port).body()).contains("\"c2\"");
            Load load = new Load(stage.port);
            load.waitFor(5);

            Outputs back = target.compensate(ctx.at(StepName.COMPENSATE), false); // as after a failed stop-old
            load.waitFor(5);

            assertThat(load.stop()).as(ctx.log.toString()).isEmpty();
            assertThat(back.get("restored")).contains(first.run().key());
            assertThat(load.versions.get(load.versions.size() - 1)).isEqualTo("c1");
            assertThat(stage.containers()).containsExactly("hello-it-it-px-undo-1-0 running");
        }
    }

    @Test
    void stopFirst_requestDuringTheGap_isHeldAndAnsweredByTheNewRelease() throws Exception {
        try (HelloStage stage = proxied("it-px-gap", 28310, 1)) {
            RunView first = stage.deploy("v1", "c1");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);
            FixedContext ctx = run(stage, "v2", "c2", "stop-first");
            Target target = stage.target(ctx.spec);
            step(ctx, target, StepName.BUILD);
            step(ctx, target, StepName.STOP_OLD);
            assertThat(stage.containers()).contains("hello-it-it-px-gap-1-0 exited");

            CompletableFuture<HttpResponse<String>> held = getAsync(stage.port);
            step(ctx, target, StepName.MIGRATE);
            assertThat(held).as("nothing serves the stage before deploy").isNotDone();
            step(ctx, target, StepName.DEPLOY);
            step(ctx, target, StepName.VERIFY);

            HttpResponse<String> answer = held.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"c2\"");
            assertThat(stage.containers()).containsExactly("hello-it-it-px-gap-2-0 running");
        }
    }

    @Test
    void stopFirst_migrationFailsDuringTheGap_heldRequestIsAnsweredByThePreviousReleaseBroughtBack() throws Exception {
        try (HelloStage stage = proxied("it-px-back", 28320, 1)) {
            RunView first = stage.deploy("v1", "c1");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);
            FixedContext ctx = run(stage, "v3", "broken", "stop-first");
            Target target = stage.target(ctx.spec);
            step(ctx, target, StepName.BUILD);
            step(ctx, target, StepName.STOP_OLD);

            CompletableFuture<HttpResponse<String>> held = getAsync(stage.port);
            assertThatThrownBy(() -> step(ctx, target, StepName.MIGRATE)).isInstanceOf(TargetException.class);
            assertThat(held).isNotDone();
            Outputs back = target.compensate(ctx.at(StepName.COMPENSATE), false);

            assertThat(back.get("restored")).contains(first.run().key());
            HttpResponse<String> answer = held.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(ctx.log.toString()).isEqualTo(200);
            assertThat(answer.body()).contains("\"c1\"");
            assertThat(get(stage.port).body()).contains("\"c1\"");
            assertThat(stage.containers()).containsExactly("hello-it-it-px-back-1-0 running");
        }
    }

    private HelloStage proxied(String name, int port, int replicas) {
        HelloStage stage = new HelloStage(docker, name, port, replicas, work);
        stage.proxy = true;
        return stage;
    }

    /** A context for run 2 of the stage deploying {@code commit}, as the classify step chose {@code strategy}. */
    private static FixedContext run(HelloStage stage, String version, String commit, String strategy) {
        SlipwaySpec spec = stage.spec(version);
        FixedContext ctx = new FixedContext(spec, stage.stage, 2, commit);
        ctx.runKey = RunKeys.next();
        ctx.timeout = Duration.ofMinutes(3);
        ctx.with(StepName.CLASSIFY, Outputs.of("strategy", strategy));
        return ctx;
    }

    private static void step(FixedContext ctx, Target target, StepName step) {
        ctx.at(step);
        Outputs out = switch (step) {
            case BUILD -> target.build(ctx);
            case STOP_OLD -> target.stopOld(ctx);
            case MIGRATE -> target.migrate(ctx);
            case DEPLOY -> target.deploy(ctx);
            case VERIFY -> target.verify(ctx);
            default -> throw new IllegalArgumentException(step.toString());
        };
        ctx.with(step, out);
    }

    private static HttpResponse<String> get(int port) throws Exception {
        return getAsync(port).get(30, TimeUnit.SECONDS);
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(int port) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET / through the proxy, one request after another, recording failures and the versions that answered. */
    private static final class Load {
        final List<String> versions = new CopyOnWriteArrayList<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger done = new AtomicInteger();
        private final Thread thread;

        Load(int port) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            failures.add("HTTP " + r.statusCode() + " " + r.body());
                        } else {
                            String v = r.body().replaceAll("(?s).*\"version\"\\s*:\\s*\"([^\"]*)\".*", "$1");
                            if (versions.isEmpty() || !versions.get(versions.size() - 1).equals(v)) {
                                versions.add(v);
                            }
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                    done.incrementAndGet();
                }
            }, "load");
            thread.start();
        }

        /** Returns once {@code n} more requests finished. */
        void waitFor(int n) {
            int target = done.get() + n;
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= target);
        }

        List<String> stop() throws InterruptedException {
            running.set(false);
            thread.join(15_000);
            return new ArrayList<>(failures);
        }
    }
}
