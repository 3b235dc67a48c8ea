package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How engine call failures are named. docker-java wraps socket errors in a RuntimeException; the two causes that look
 * alike at that level (the engine is gone, or our own thread was interrupted and its channel closed) must not be
 * reported alike, or a cancelled run tells the user to check DOCKER_HOST.
 */
class DockerContainersCallTest {
    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void call_channelClosedByInterrupt_saysInterruptedNotUnreachableAndKeepsTheInterrupt() {
        TargetException e = catchThrowableOfType(() -> DockerContainers.call("stop container c1", () -> {
            throw new UncheckedIOException(new ClosedByInterruptException());
        }), TargetException.class);

        assertThat(e.getMessage()).isEqualTo(
                "container engine call to stop container c1 was interrupted (the run was cancelled or timed out)");
        assertThat(e.isTransient()).isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void call_connectionRefused_isTransientAndNamesDockerHost() {
        TargetException e = catchThrowableOfType(() -> DockerContainers.call("list containers", () -> {
            throw new UncheckedIOException(new IOException("Connection refused"));
        }), TargetException.class);

        assertThat(e.getMessage()).isEqualTo("container engine unreachable while trying to list containers: "
                + "Connection refused (is DOCKER_HOST's engine running?)");
        assertThat(e.isTransient()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
