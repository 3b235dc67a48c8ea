package dev.slipway.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** {@link ImageEngine} over docker-java; works with Docker and with Podman's compatible API service. */
final class DockerImageEngine implements ImageEngine {
    private final DockerClient client;
    private final boolean ownsClient;

    DockerImageEngine(DockerClient client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
    }

    @Override
    public BuiltImage build(BuildRequest request, Consumer<String> log) {
        Path context = request.context().toAbsolutePath().normalize();
        if (!Files.isRegularFile(context.resolve(request.dockerfile()))) {
            throw TargetException.permanent("cannot build " + request.tag() + ": " + context.resolve(request.dockerfile())
                    + " does not exist; check build.context and build.dockerfile in slipway.yml");
        }
        if (!request.secrets().isEmpty()) {
            SecretBuild.requirePodman(client, request.tag());
        }
        Path tar = archive(context, request.dockerfile());
        Path withSecrets = null;
        try (InputStream in = Files.newInputStream(tar)) {
            ProgressLog<BuildResponseItem> progress;
            if (request.secrets().isEmpty()) {
                BuildImageCmd cmd = client.buildImageCmd(in)
                        .withDockerfilePath(request.dockerfile())
                        .withTags(Set.of(request.tag()))
                        .withLabels(request.labels())
                        .withRemove(true);
                request.args().forEach(cmd::withBuildArg);
                progress = follow(cmd.exec(new ProgressLog<>(log)), "build of " + request.tag());
            } else {
                List<String> secrets = new java.util.ArrayList<>();
                withSecrets = SecretBuild.withSecrets(tar, request.secrets(), secrets);
                progress = new ProgressLog<>(log);
                SecretBuild.start(client, withSecrets, request.dockerfile(), request.tag(), request.labels(), request.args(),
                        secrets, progress);
                progress = follow(progress, "build of " + request.tag());
            }
            if (progress.error() != null) {
                throw TargetException.permanent("image build of " + request.tag() + " failed: " + progress.error()
                        + tail(progress.tail()));
            }
            String id = normalizeId(inspect(request.tag()).getId());
            log.accept("built " + request.tag() + " (" + id + ")");
            return new BuiltImage(request.tag(), id, id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tar);
            if (withSecrets != null) {
                deleteQuietly(withSecrets); // the secrets' only copy outside the process and the engine's build
            }
        }
    }

    @Override
    public String push(String image, String targetRef, RegistryAuth auth, Consumer<String> log) {
        String repository = ImageRefs.repository(targetRef);
        String tag = ImageRefs.tagOf(targetRef);
        try {
            client.tagImageCmd(image, repository, tag).withForce(true).exec();
            ProgressLog<PushResponseItem> progress = follow(client.pushImageCmd(repository).withTag(tag)
                    .withAuthConfig(authConfig(auth)).exec(new ProgressLog<>(log)), "push of " + targetRef);
            if (progress.error() != null) {
                throw TargetException.permanent("push of " + targetRef + " failed: " + progress.error()
                        + "; check the registry address and credentials" + tail(progress.tail()));
            }
            String digest = progress.digest() != null ? progress.digest() : repoDigest(targetRef);
            log.accept("pushed " + targetRef + "@" + digest);
            return digest;
        } catch (NotFoundException e) {
            throw TargetException.permanent("cannot push " + image + ": no such image in the engine", e);
        } catch (DockerException e) {
            throw TargetException.transientFailure("push of " + targetRef + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String ref) {
        try {
            client.inspectImageCmd(ref).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            try {
                client.close();
            } catch (IOException e) {
                // closing a connection pool; nothing to recover
            }
        }
    }

    /** Waits for the stream to end; an interrupt closes it (the engine then stops the build or push). */
    private static <T extends ProgressLog<?>> T follow(T callback, String what) {
        try {
            callback.awaitCompletion();
            return callback;
        } catch (InterruptedException e) {
            closeQuietly(callback);
            Thread.currentThread().interrupt();
            throw TargetException.permanent(what + " was interrupted");
        } catch (DockerClientException | DockerException e) {
            throw TargetException.transientFailure(what + " failed talking to the container engine: " + e.getMessage()
                    + tail(callback.tail()), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException io) {
                throw TargetException.transientFailure(what + " lost the container engine: " + io.getMessage(), e);
            }
            throw e;
        }
    }

    private InspectImageResponse inspect(String ref) {
        try {
            return client.inspectImageCmd(ref).exec();
        } catch (NotFoundException e) {
            throw TargetException.permanent("the engine reported no error building " + ref + " but has no such image "
                    + "afterwards (bug or a concurrent removal)", e);
        }
    }

    private String repoDigest(String targetRef) {
        String repository = ImageRefs.repository(targetRef);
        List<String> digests = inspect(targetRef).getRepoDigests();
        return (digests == null ? List.<String>of() : digests).stream()
                .filter(d -> d.startsWith(repository + "@"))
                .map(d -> d.substring(d.indexOf('@') + 1))
                .findFirst()
                .orElseThrow(() -> TargetException.permanent("pushed " + targetRef + " but the engine reported no digest"));
    }

    private static AuthConfig authConfig(RegistryAuth auth) {
        AuthConfig config = new AuthConfig();
        if (auth != null) {
            config.withRegistryAddress(auth.serverAddress()).withUsername(auth.username()).withPassword(auth.password());
        }
        return config;
    }

    static String normalizeId(String id) {
        return id.startsWith("sha256:") ? id : "sha256:" + id;
    }

    private static Path archive(Path context, String dockerfile) {
        try {
            Path tar = Files.createTempFile("slipway-context-", ".tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                new ContextArchive(context, dockerfile).write(out);
            }
            return tar;
        } catch (IOException e) {
            throw TargetException.permanent("cannot pack build context " + context + ": " + e.getMessage(), e);
        }
    }

    private static String tail(List<String> lines) {
        return lines.isEmpty() ? "" : "; last output:\n  " + String.join("\n  ", lines);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file; the OS cleans it eventually
        }
    }
}
