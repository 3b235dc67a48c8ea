package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.TargetException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthUrlTest {
    static final String URL = "https://hello.example.com/healthz";
    final TestContext ctx = new TestContext(new SpecLoader(Set.of("ecs")).parse(PollerTest.SPEC, "slipway.yml", Path.of("/p")),
            Duration.ofSeconds(20));
    final List<Duration> pauses = new ArrayList<>();
    final Poller poller = new Poller(Duration.ofMillis(150), 1.6, Duration.ofSeconds(3), d -> {
        pauses.add(d);
        ctx.clock.advance(d);
    });
    final ScriptedProbe probe = new ScriptedProbe();
    final HealthUrl health = new HealthUrl(probe, poller);

    @Test
    void await_503Then200_returnsTheOkAnswerAfterBackingOff() {
        probe.answers.add(new HealthUrl.Answer(503, "Service Unavailable"));
        probe.answers.add(new HealthUrl.Answer(503, "Service Unavailable"));
        probe.always = new HealthUrl.Answer(200, "ok");

        assertThat(health.await(ctx, URL).status()).isEqualTo(200);
        assertThat(pauses).containsExactly(Duration.ofMillis(150), Duration.ofMillis(240));
        assertThat(probe.urls).containsOnly(URI.create(URL));
        assertThat(ctx.logs).contains("health URL " + URL + " answered HTTP 200 ok");
    }

    @Test
    void await_never2xx_failsAtDeadlineWithLastStatus() {
        probe.always = new HealthUrl.Answer(502, "<html>Bad Gateway</html>");

        assertThatThrownBy(() -> health.await(ctx, URL))
                .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("health URL " + URL + " did not answer 2xx before the step's timeout")
                .hasMessageContaining("last answer: HTTP 502 <html>Bad Gateway</html>");
        assertThat(ctx.clock.instant()).isBefore(ctx.deadline()).isAfter(ctx.deadline().minusSeconds(2));
    }

    @Test
    void await_connectionRefusedThroughout_failsWithTheError() {
        probe.always = new HealthUrl.Answer(-1, "ConnectException: Connection refused");

        assertThatThrownBy(() -> health.await(ctx, URL)).hasMessageContaining("last answer: ConnectException: Connection refused");
    }

    @Test
    void await_requestTimeout_neverOutlastsTheDeadline() {
        probe.always = new HealthUrl.Answer(503, "");

        assertThatThrownBy(() -> health.await(ctx, URL)).isInstanceOf(TargetException.class);
        assertThat(probe.timeouts.get(0)).isEqualTo(HealthUrl.REQUEST_TIMEOUT);
        assertThat(probe.timeouts.get(probe.timeouts.size() - 1)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void answer_only2xx_isOk() {
        assertThat(new HealthUrl.Answer(204, "").ok()).isTrue();
        assertThat(new HealthUrl.Answer(301, "").ok()).isFalse();
        assertThat(new HealthUrl.Answer(-1, "boom").ok()).isFalse();
    }

    /** Hand-written fake: scripted answers, then {@code always}; records what it was asked. */
    static final class ScriptedProbe implements HealthUrl.Probe {
        final Deque<HealthUrl.Answer> answers = new ArrayDeque<>();
        final List<URI> urls = new ArrayList<>();
        final List<Duration> timeouts = new ArrayList<>();
        HealthUrl.Answer always;

        @Override
        public HealthUrl.Answer get(URI url, Duration timeout) {
            urls.add(url);
            timeouts.add(timeout);
            return answers.isEmpty() ? always : answers.poll();
        }
    }
}
