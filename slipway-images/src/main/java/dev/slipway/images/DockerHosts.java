package dev.slipway.images;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Finds the Docker Engine API endpoint: {@code DOCKER_HOST}, else the first well-known socket that exists. */
final class DockerHosts {
    private DockerHosts() {
    }

    /**
     * The endpoint to use, or empty when {@code DOCKER_HOST} is unset and no known socket exists.
     *
     * @param env        where environment variables are read
     * @param fileExists whether a socket file exists (injected so tests need no files)
     */
    static Optional<String> resolve(UnaryOperator<String> env, Predicate<String> fileExists) {
        String configured = env.apply("DOCKER_HOST");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured.trim());
        }
        return candidates(env).stream().filter(fileExists).findFirst().map(path -> "unix://" + path);
    }

    /** Docker's socket, then rootless and rootful Podman's, then the one scripts/env-up.sh starts. */
    static List<String> candidates(UnaryOperator<String> env) {
        List<String> paths = new java.util.ArrayList<>();
        paths.add("/var/run/docker.sock");
        String runtimeDir = env.apply("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            paths.add(runtimeDir + "/podman/podman.sock");
        }
        paths.add("/run/podman/podman.sock");
        String envDir = env.apply("SLIPWAY_ENV_DIR");
        if (envDir == null || envDir.isBlank()) {
            String home = env.apply("HOME");
            envDir = home == null ? null : home + "/.slipway-env";
        }
        if (envDir != null) {
            paths.add(envDir + "/podman.sock");
        }
        return paths;
    }
}
