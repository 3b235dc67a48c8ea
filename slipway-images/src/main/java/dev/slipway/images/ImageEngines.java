package dev.slipway.images;

import com.github.dockerjava.api.DockerClient;

/** Creates {@link ImageEngine}s. */
public final class ImageEngines {
    private ImageEngines() {
    }

    /** An engine on {@code client}; closing the engine leaves the client open (its owner closes it). */
    public static ImageEngine docker(DockerClient client) {
        return new DockerImageEngine(client, false);
    }

    /** An engine with its own client for {@code DOCKER_HOST} (see {@link DockerClients#fromEnvironment()}). */
    public static ImageEngine fromEnvironment() {
        return new DockerImageEngine(DockerClients.fromEnvironment(), true);
    }
}
