package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollerTest {
    static final String SPEC = """
            app: hello
            build: {context: .}
            stages:
              staging:
                branch: main
                target: ecs
                ecs: {region: us-east-1, cluster: c, service: s, task-definition: t.json, ecr-repository: r}
            """;
    final TestContext ctx = new TestContext(new SpecLoader(Set.of("ecs")).parse(SPEC, "slipway.yml", Path.of("/p")),
            Duration.ofSeconds(60));
    final List<Duration> pauses = new ArrayList<>();
    final Poller poller = new Poller(Duration.ofMillis(150), 1.6, Duration.ofSeconds(3), d -> {
        pauses.add(d);
        ctx.clock.advance(d);
    });

    @Test
    void until_conditionAlreadyTrue_probesOnceWithoutWaiting() {
        assertThat(poller.until(ctx, () -> "done", "done"::equals, last -> TargetException.permanent("timeout"))).isEqualTo("done");
        assertThat(pauses).isEmpty();
    }

    @Test
    void until_conditionTrueLater_backsOffFromAFractionOfASecondToTheCap() {
        AtomicInteger probes = new AtomicInteger();
        poller.until(ctx, probes::incrementAndGet, n -> n == 12, last -> TargetException.permanent("timeout"));

        assertThat(pauses.get(0)).isEqualTo(Duration.ofMillis(150));
        assertThat(pauses.get(1)).isEqualTo(Duration.ofMillis(240));
        assertThat(pauses).isSorted().allMatch(d -> d.compareTo(Duration.ofSeconds(3)) <= 0)
                .noneMatch(d -> d.equals(Duration.ofSeconds(6)) || d.equals(Duration.ofSeconds(15)));
        assertThat(pauses.subList(8, 11)).containsOnly(Duration.ofSeconds(3));
    }

    @Test
    void until_neverTrue_failsJustBeforeTheDeadlineWithTheLastAnswer() {
        AtomicInteger probes = new AtomicInteger();
        assertThatThrownBy(() -> poller.until(ctx, probes::incrementAndGet, n -> false,
                last -> TargetException.permanent("still " + last)))
                .isInstanceOf(TargetException.class).hasMessage("still " + probes.get());
        assertThat(ctx.clock.instant()).isBefore(ctx.deadline()).isAfter(ctx.deadline().minusSeconds(2));
    }

    @Test
    void until_transientErrorInProbe_keepsPolling() {
        AtomicInteger probes = new AtomicInteger();
        int result = poller.until(ctx, () -> {
            if (probes.incrementAndGet() < 3) {
                throw TargetException.transientFailure("throttled", null);
            }
            return probes.get();
        }, n -> true, last -> TargetException.permanent("timeout"));
        assertThat(result).isEqualTo(3);
    }

    @Test
    void until_permanentFailureFromCondition_stopsAtOnce() {
        assertThatThrownBy(() -> poller.until(ctx, () -> "FAILED", s -> {
            throw TargetException.permanent("rollout " + s);
        }, last -> TargetException.permanent("timeout"))).hasMessage("rollout FAILED");
        assertThat(pauses).isEmpty();
    }

    @Test
    void until_interrupted_stopsWaiting() {
        Poller real = new Poller(Duration.ofMillis(150), 1.6, Duration.ofSeconds(3), d -> Thread.sleep(d.toMillis()));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> real.until(ctx, () -> 1, n -> false, last -> TargetException.permanent("timeout")))
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void defaultPoller_firstPauseIsUnderASecondAndCapIsAFewSeconds() {
        assertThat(Poller.DEFAULT.delayAfter(0)).isLessThan(Duration.ofSeconds(1));
        assertThat(Poller.DEFAULT.delayAfter(50)).isEqualTo(Duration.ofSeconds(3));
    }
}
