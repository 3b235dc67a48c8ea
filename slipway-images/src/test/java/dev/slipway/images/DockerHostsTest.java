package dev.slipway.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DockerHostsTest {
    @Test
    void resolve_dockerHostSet_usesIt() {
        assertThat(DockerHosts.resolve(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")::get, p -> true))
                .contains("tcp://127.0.0.1:2375");
    }

    @Test
    void resolve_noDockerHost_takesTheFirstExistingSocket() {
        Set<String> existing = Set.of("/run/podman/podman.sock", "/home/me/.slipway-env/podman.sock");
        assertThat(DockerHosts.resolve(Map.of("HOME", "/home/me")::get, existing::contains))
                .contains("unix:///run/podman/podman.sock");
    }

    @Test
    void resolve_slipwayEnvDir_isTheLastCandidate() {
        assertThat(DockerHosts.resolve(Map.of("SLIPWAY_ENV_DIR", "/srv/env")::get, "/srv/env/podman.sock"::equals))
                .contains("unix:///srv/env/podman.sock");
    }

    @Test
    void resolve_nothingThere_isEmpty() {
        assertThat(DockerHosts.resolve(Map.<String, String>of()::get, p -> false)).isEmpty();
    }
}
