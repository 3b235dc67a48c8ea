package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.target.StepName;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicasTest {
    @Test
    void spec_hostNetwork_tellsTheAppItsPortAndLabelsEverything() {
        FixedContext ctx = new FixedContext(Specs.local("host", 2), "staging", 9, "abc").at(StepName.DEPLOY);

        Containers.Spec spec = Replicas.spec(ctx, 9, "9.k3y", "abc", "sha256:x", 1, Map.of("STAGE", "staging", "PORT", "1"));

        assertThat(spec.name()).isEqualTo("hello-staging-9-k3y-1");
        assertThat(spec.env()).containsEntry("PORT", "19001").containsEntry("APP_VERSION", "abc");
        assertThat(spec.labels()).containsEntry(Labels.APP, "hello").containsEntry(Labels.STAGE, "staging")
                .containsEntry(Labels.RUN, "9").containsEntry(Labels.RUN_KEY, "9.k3y").containsEntry(Labels.COMMIT, "abc").containsEntry(Labels.ROLE, "server")
                .containsEntry(Labels.REPLICA, "1").containsEntry(Labels.PORT, "19001")
                .containsEntry("slipway.journal", "testjournal").containsEntry("slipway.journal-at", "sqlite:/project/.slipway/state.db");
        assertThat(spec.network()).isEqualTo("host");
    }

    @Test
    void spec_bridgeNetwork_publishesTheHostPortToTheHealthPort() {
        FixedContext ctx = new FixedContext(Specs.local("bridge", 1), "staging", 9, "abc").at(StepName.DEPLOY);

        Containers.Spec spec = Replicas.spec(ctx, 9, "9", "abc", "sha256:x", 0, Map.of());

        assertThat(spec.env()).doesNotContainKey("PORT");
        assertThat(spec.hostPort()).isEqualTo(19000);
        assertThat(spec.containerPort()).isEqualTo(8080);
    }

    @Test
    void innerDeadline_leavesAMarginBeforeTheEnginesDeadline() {
        TickingClock clock = new TickingClock();
        FixedContext ctx = new FixedContext(Specs.local("host", 1), "staging", 9, "abc");
        ctx.clock = clock;
        ctx.timeout = Duration.ofSeconds(20);
        ctx.at(StepName.VERIFY);
        Instant now = clock.instant();

        assertThat(LocalSettings.innerDeadline(ctx)).isEqualTo(now.plusSeconds(18));
        ctx.timeout = Duration.ofMinutes(10);
        assertThat(LocalSettings.innerDeadline(ctx.at(StepName.MIGRATE))).isEqualTo(now.plusSeconds(595));
    }
}
