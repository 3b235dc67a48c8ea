package dev.slipway.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Makes docker-java clients for Docker or for Podman's Docker-compatible service. Both targets and the local target's
 * container steps share this so that they talk to the engine the same way: API 1.41 (Podman 4 serves it; newer
 * Docker engines still accept it), no response timeout (builds and log streams are long; callers bound them).
 */
public final class DockerClients {
    /** The API version Slipway speaks; Podman's compatible service rejects versions it does not know. */
    public static final RemoteApiVersion API_VERSION = RemoteApiVersion.VERSION_1_41;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private DockerClients() {
    }

    /** A client for {@code dockerHost} ({@code unix:///path/to.sock} or {@code tcp://host:port}). */
    public static DockerClient create(String dockerHost) {
        return create(dockerHost, System::getenv);
    }

    /**
     * A client for {@code dockerHost}, with TLS when {@code env} sets {@code DOCKER_TLS_VERIFY} (see {@link DockerTls}).
     * The SSL config is always ours, never docker-java's: its {@code LocalDirectorySSLConfig} needs Bouncy Castle,
     * which Slipway does not ship, and docker-java would make one from a Docker context's TLS files.
     */
    static DockerClient create(String dockerHost, UnaryOperator<String> env) {
        DockerTls tls = DockerTls.fromEnvironment(env);
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .withApiVersion(API_VERSION)
                .withDockerTlsVerify(tls.enabled())
                .withCustomSslConfig(tls)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(tls.enabled() ? tls : null)
                .maxConnections(32)
                .connectionTimeout(CONNECT_TIMEOUT)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** A client for the engine named by {@code DOCKER_HOST}, or the first known socket that exists. */
    public static DockerClient fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    /**
     * As {@link #fromEnvironment()}, reading variables from {@code env}. Pings the engine first: one that does not answer
     * is a permanent {@link TargetException} at once, naming the endpoint tried and where it came from, since the
     * builds and container calls that would follow can only fail the same way.
     */
    public static DockerClient fromEnvironment(UnaryOperator<String> env) {
        String host = dockerHost(env);
        DockerClient client = create(host, env);
        try {
            client.pingCmd().exec();
            return client;
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw unreachable(host, env, e);
        }
    }

    private static TargetException unreachable(String host, UnaryOperator<String> env, RuntimeException e) {
        String configured = env.apply("DOCKER_HOST");
        String from = configured != null && !configured.isBlank() ? "DOCKER_HOST" : "the first socket that exists of "
                + DockerHosts.candidates(env);
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String message = "cannot reach the container engine at " + host + " (from " + from + "): " + why
                + "; Slipway builds images through a Docker Engine API: start Docker, or Podman's API service (podman "
                + "system service --time=0 unix:///path/to/podman.sock), and set DOCKER_HOST=unix:///path/to/socket";
        return TargetException.permanent(message, e);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (java.io.IOException | RuntimeException ignored) {
            // failing already; the pool holds no connection
        }
    }

    /** The endpoint {@link #fromEnvironment(UnaryOperator)} would use; a {@link SlipwayException} when there is none. */
    public static String dockerHost(UnaryOperator<String> env) {
        return DockerHosts.resolve(env, path -> Files.exists(Path.of(path))).orElseThrow(() -> new SlipwayException(
                ErrorCode.BAD_CONFIG, "no container engine found: DOCKER_HOST is not set and none of "
                + DockerHosts.candidates(env) + " exists; start Docker or Podman's API service "
                + "(scripts/env-up.sh does) and set DOCKER_HOST=unix:///path/to/socket"));
    }
}
