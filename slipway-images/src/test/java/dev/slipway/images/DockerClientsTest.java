package dev.slipway.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.target.TargetException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerClientsTest {
    @TempDir
    Path dir;

    @Test
    void fromEnvironment_dockerHostSocketThatDoesNotExist_failsPermanentlyAtOnceNamingItAndWhatToSet() {
        String host = "unix://" + dir.resolve("gone.sock");
        Map<String, String> env = Map.of("DOCKER_HOST", host);

        assertThatThrownBy(() -> DockerClients.fromEnvironment(env::get))
                .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("cannot reach the container engine at " + host + " (from DOCKER_HOST)")
                .hasMessageContaining("set DOCKER_HOST=unix:///path/to/socket");
    }
}
