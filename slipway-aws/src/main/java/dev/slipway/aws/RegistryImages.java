package dev.slipway.aws;

import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A stage's images on the {@code ecs.registry} override, looked up through the registry's HTTP API (Docker Registry
 * v2 / OCI distribution: {@code HEAD /v2/<name>/manifests/<tag or digest>}). Anonymous, like the push to it; plain
 * HTTP for a registry on the loopback interface (as Docker and Podman allow), HTTPS otherwise.
 */
final class RegistryImages implements StageImages {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private final HttpClient http;
    private final String registry;
    private final String name;

    RegistryImages(HttpClient http, String registry, String name) {
        this.http = http;
        this.registry = registry;
        this.name = name;
    }

    @Override
    public String reference() {
        return registry + "/" + name;
    }

    @Override
    public boolean has(String digest) {
        return head(digest).isPresent();
    }

    @Override
    public Optional<String> digestOf(String tag) {
        return head(tag);
    }

    /** The manifest's digest, or empty when the registry has no manifest {@code ref} in the repository. */
    private Optional<String> head(String ref) {
        URI uri = URI.create(scheme() + "://" + registry + "/v2/" + name + "/manifests/" + ref);
        HttpRequest request = HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", ACCEPT).timeout(REQUEST_TIMEOUT).build();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw TargetException.transientFailure("HEAD " + uri + " failed: " + e.getMessage() + "; check ecs.registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("HEAD " + uri + " was interrupted (the run was cancelled or timed out)", e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw TargetException.permanent("HEAD " + uri + " answered HTTP " + response.statusCode() + "; Slipway reads "
                    + "the ecs.registry override anonymously: check that the registry allows it");
        }
        return Optional.of(response.headers().firstValue("Docker-Content-Digest").orElse(ref.startsWith("sha256:") ? ref : ""))
                .filter(d -> !d.isEmpty());
    }

    private String scheme() {
        return scheme(registry);
    }

    /** Plain HTTP for a registry on the loopback interface (as Docker and Podman allow), HTTPS otherwise. */
    static String scheme(String registry) {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return loopback ? "http" : "https";
    }
}
