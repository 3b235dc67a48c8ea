package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.target.StepName;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
    @Test
    void plan_runningRelease_describesEveryStepAndChangesNothing() {
        FakeContainers engine = new FakeContainers();
        engine.add("hello-staging-4-0", "running", Specs.labels(4, Labels.SERVER, 0));
        FixedContext ctx = new FixedContext(Specs.local("host", 2), "staging", 0, "abc123").at(StepName.BUILD);

        List<String> plan = new Planner(engine).plan(ctx);

        assertThat(plan).hasSize(7);
        assertThat(plan.get(0)).isEqualTo("build: hello:abc123 from app/Containerfile as of commit abc123 (an image already built for it is reused)");
        assertThat(plan.get(1)).contains("pg_dump -Fc of jdbc:postgresql://127.0.0.1:55432/hello", "/project/.slipway/snapshots/staging", "keep 2");
        assertThat(plan.get(2)).isEqualTo("stop-old: stop hello-staging-4-0 (grace 7 s), keeping them for a rollback");
        assertThat(plan.get(3)).contains("`java -jar /app/hello.jar migrate`", "timeout 30 s");
        assertThat(plan.get(4)).isEqualTo("deploy: start 2 replica(s) on ports 19000-19001, network host");
        assertThat(plan.get(5)).startsWith("verify: GET http://127.0.0.1:19000/healthz");
        assertThat(engine.calls).isEmpty();
    }
}
