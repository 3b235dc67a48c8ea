package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.target.TargetException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthWaitTest {
    private final TickingClock clock = new TickingClock();
    private final FakeContainers engine = new FakeContainers();
    private final List<Duration> sleeps = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    private HealthWait wait(HealthWait.Probe probe) {
        return new HealthWait(probe, engine, clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        });
    }

    private HealthWait.Replica replica(String state) {
        Containers.Box box = engine.add("hello-staging-5-0", state, Specs.labels(5, Labels.SERVER, 0));
        return new HealthWait.Replica(box.name(), box.id(), URI.create("http://127.0.0.1:19000/healthz"));
    }

    @Test
    void await_healthyAfterSomeRefusals_returnsAndBacksOff() {
        AtomicInteger calls = new AtomicInteger();
        HealthWait.Replica r = replica("running");

        wait(url -> {
            if (calls.incrementAndGet() < 4) {
                throw new ConnectException("Connection refused");
            }
            return 200;
        }).await(List.of(r), clock.instant().plusSeconds(30), "new release", log::add);

        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(225));
        assertThat(log).singleElement().asString().contains("hello-staging-5-0 is healthy");
    }

    @Test
    void await_neverHealthy_failsAtTheDeadlineNamingTheLastAnswer() {
        HealthWait.Replica r = replica("running");
        engine.followOutput = List.of("redis unreachable");
        Instant deadline = clock.instant().plusSeconds(20);

        assertThatThrownBy(() -> wait(url -> 503).await(List.of(r), deadline, "new release (run 5)", log::add))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("new release (run 5): 1 replica(s) not healthy after 20 s")
                .hasMessageContaining("hello-staging-5-0 at http://127.0.0.1:19000/healthz: last answer HTTP 503")
                .hasMessageContaining("| redis unreachable");
        assertThat(clock.instant()).isEqualTo(deadline);
        assertThat(sleeps).allMatch(d -> d.compareTo(Duration.ofSeconds(2)) <= 0);
    }

    @Test
    void await_containerExited_failsAtOnceWithItsOutput() {
        HealthWait.Replica r = replica("exited");
        engine.followOutput = List.of("Exception: port in use");

        assertThatThrownBy(() -> wait(url -> {
            throw new ConnectException("Connection refused");
        }).await(List.of(r), clock.instant().plusSeconds(60), "new release", log::add))
                .hasMessageContaining("container hello-staging-5-0 is exited with exit code 0 instead of serving")
                .hasMessageContaining("| Exception: port in use");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void await_containerGone_fails() {
        HealthWait.Replica gone = new HealthWait.Replica("x", "missing", URI.create("http://127.0.0.1:1/"));

        assertThatThrownBy(() -> wait(url -> 500).await(List.of(gone), clock.instant().plusSeconds(5), "previous release", log::add))
                .hasMessageContaining("previous release: container x disappeared");
    }
}
