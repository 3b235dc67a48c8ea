package dev.slipway.images;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.VersionComponent;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A build whose {@code RUN --mount=type=secret,id=ID} steps get secrets that never become build arguments, layers or
 * history. Podman's Docker-compatible {@code /build} takes {@code secrets=["id=ID,src=FILE"]} with FILE inside the
 * uploaded context and moves FILE out of the context before the build starts; docker-java does not expose that
 * parameter, so this one request goes over docker-java's own transport. Docker's classic {@code /build} has no such
 * parameter (Docker hands secrets over only in BuildKit sessions), so a Docker engine is refused.
 */
final class SecretBuild {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretBuild() {
    }

    /** Refuses an engine that is not Podman: it would ignore the secrets and fail (or build without them). */
    static void requirePodman(DockerClient client, String tag) {
        List<VersionComponent> components = client.versionCmd().exec().getComponents();
        boolean podman = components != null && components.stream().anyMatch(c -> c.getName() != null && c.getName().contains("Podman"));
        if (!podman) {
            throw TargetException.permanent("cannot build " + tag + " with build.secrets: the container engine at DOCKER_HOST is"
                    + " not Podman, and the Docker Engine API's /build takes no build secrets (Docker passes them only in"
                    + " BuildKit sessions, which Slipway does not speak); build with Podman's API service (DOCKER_HOST="
                    + "unix:///run/podman/podman.sock) or remove build.secrets from slipway.yml");
        }
    }

    /**
     * Copies {@code context} (a tar) to a new 0600 temp tar with one 0600 entry per secret under a random name, and
     * returns the secrets parameter that names them. The caller deletes the tar when the build has ended.
     */
    static Path withSecrets(Path context, Map<String, String> secrets, List<String> param) throws IOException {
        Path tar = Files.createTempFile("slipway-secret-context-", ".tar"); // 0600 on POSIX
        String prefix = ".slipway-secret-" + HexFormat.of().formatHex(random());
        try (InputStream in = Files.newInputStream(context); TarArchiveInputStream from = new TarArchiveInputStream(in);
             OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream to = new TarArchiveOutputStream(out)) {
            to.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry e = from.getNextEntry(); e != null; e = from.getNextEntry()) {
                to.putArchiveEntry(e);
                from.transferTo(to);
                to.closeArchiveEntry();
            }
            for (Map.Entry<String, String> s : secrets.entrySet()) {
                String name = prefix + "-" + s.getKey();
                byte[] value = s.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setMode(0600);
                entry.setSize(value.length);
                to.putArchiveEntry(entry);
                to.write(value);
                to.closeArchiveEntry();
                param.add("id=" + s.getKey() + ",src=" + name);
            }
            to.finish();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tar);
            throw e;
        }
        return tar;
    }

    /** Starts the build; {@code progress} sees the engine's output and can close the response to stop it. */
    static void start(DockerClient client, Path tar, String dockerfile, String tag, Map<String, String> labels,
                      Map<String, String> args, List<String> secrets, ProgressLog<BuildResponseItem> progress) throws IOException {
        if (!(client instanceof DockerClientImpl impl)) {
            throw new IllegalStateException("build secrets need docker-java's DockerClientImpl, got " + client.getClass() + " (bug)");
        }
        String path = "/v" + DockerClients.API_VERSION.getVersion() + "/build?rm=true"
                + "&t=" + enc(tag) + "&dockerfile=" + enc(dockerfile) + "&labels=" + enc(JSON.writeValueAsString(labels))
                + "&buildargs=" + enc(JSON.writeValueAsString(args)) + "&secrets=" + enc(JSON.writeValueAsString(secrets));
        InputStream body = Files.newInputStream(tar);
        DockerHttpClient.Response response = impl.getHttpClient().execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST).path(path).putHeader("Content-Type", "application/x-tar")
                .body(body).build());
        progress.onStart(() -> {
            response.close();
            body.close();
        });
        if (response.getStatusCode() != 200) {
            String text = new String(response.getBody().readNBytes(4000), StandardCharsets.UTF_8).strip();
            progress.close();
            throw TargetException.permanent("image build of " + tag + " was refused by the engine (HTTP "
                    + response.getStatusCode() + (text.isEmpty() ? "" : ": " + text) + ")");
        }
        Thread reader = new Thread(() -> read(response, progress), "slipway-secret-build");
        reader.setDaemon(true);
        reader.start();
    }

    private static void read(DockerHttpClient.Response response, ProgressLog<BuildResponseItem> progress) {
        try (MappingIterator<BuildResponseItem> items = JSON.readerFor(BuildResponseItem.class).readValues(response.getBody())) {
            while (items.hasNextValue()) {
                progress.onNext(items.nextValue());
            }
            progress.onComplete();
        } catch (IOException | RuntimeException e) {
            progress.onError(e instanceof IOException io ? new java.io.UncheckedIOException(io) : e);
        }
    }

    private static byte[] random() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
