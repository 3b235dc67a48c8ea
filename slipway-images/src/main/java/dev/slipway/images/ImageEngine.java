package dev.slipway.images;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds, tags and pushes container images through the Docker Engine API (Docker, or Podman's compatible service
 * named by {@code DOCKER_HOST}). The one entry type of this module; both targets use it.
 */
public interface ImageEngine extends AutoCloseable {

    /**
     * What to build: a context directory, its Dockerfile/Containerfile (relative to it), build args, the tag, labels and
     * build secrets by id (mounted by {@code RUN --mount=type=secret,id=ID} at {@code /run/secrets/ID}, never stored in
     * the image; only Podman's API service takes them). {@link #toString()} never shows a secret's value.
     */
    record BuildRequest(Path context, String dockerfile, Map<String, String> args, String tag, Map<String, String> labels,
                        Map<String, String> secrets) {
        public BuildRequest {
            args = Map.copyOf(args);
            labels = Map.copyOf(labels);
            secrets = Map.copyOf(secrets);
        }

        /** A request without build secrets. */
        public BuildRequest(Path context, String dockerfile, Map<String, String> args, String tag, Map<String, String> labels) {
            this(context, dockerfile, args, tag, labels, Map.of());
        }

        @Override
        public String toString() {
            return "BuildRequest[" + context + ", " + dockerfile + ", args " + args.keySet() + ", " + tag + ", " + labels
                    + ", secrets " + new java.util.TreeSet<>(secrets.keySet()) + "]";
        }
    }

    /**
     * A built image.
     *
     * @param ref    the tag it was given ({@code app:commit})
     * @param id     the engine's image id ({@code sha256:…})
     * @param digest the registry digest ({@code sha256:…}) once pushed, else the image id
     */
    record BuiltImage(String ref, String id, String digest) {
    }

    /** Credentials for a registry push; {@code null} fields mean anonymous. Never logged. */
    record RegistryAuth(String serverAddress, String username, String password) {
        @Override
        public String toString() {
            return "RegistryAuth[" + serverAddress + ", " + username + ", ****]";
        }
    }

    /** Builds {@code request}, streaming the engine's build output to {@code log}; fails with the build's error text. */
    BuiltImage build(BuildRequest request, Consumer<String> log);

    /** Tags {@code image} as {@code targetRef} and pushes it; returns the registry digest. */
    String push(String image, String targetRef, RegistryAuth auth, Consumer<String> log);

    /** Whether an image with this reference exists in the engine. */
    boolean exists(String ref);

    @Override
    void close();
}
