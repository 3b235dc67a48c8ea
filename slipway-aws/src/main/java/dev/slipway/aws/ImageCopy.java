package dev.slipway.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies an image, by digest, from one repository of a registry to another repository of the same registry through the
 * registry's HTTP API (OCI distribution / Docker Registry v2): each blob is mounted across repositories where the
 * registry allows it, else pulled and pushed again with its digest checked; then each manifest is put back byte for
 * byte, so the image keeps its digest, and the top one is tagged. An image index is copied with every manifest it lists.
 * Only within one registry: the same credentials read and write, and nothing leaves it but through this machine.
 */
final class ImageCopy {
    static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String registry;
    /** The Authorization header's value for the registry (ECR's Basic token), or null for an anonymous one. Never logged. */
    private final String authorization;
    private final boolean mount;

    ImageCopy(HttpClient http, String registry, String authorization) {
        this(http, registry, authorization, true);
    }

    /** {@code mount} false: never ask the registry to mount a blob, always pull and push it (the path without mounts). */
    ImageCopy(HttpClient http, String registry, String authorization, boolean mount) {
        this.http = http;
        this.registry = registry;
        this.authorization = authorization;
        this.mount = mount;
    }

    /**
     * Copies {@code from}@{@code digest} to repository {@code to}, tagged {@code tag}; returns once the registry answers
     * {@code to}@{@code digest}. Fails (permanently) rather than store anything under another digest.
     */
    void copy(String from, String to, String digest, String tag, Consumer<String> log) {
        log.accept("copying " + registry + "/" + from + "@" + digest + " to " + registry + "/" + to + " (tag " + tag + ")");
        copyManifest(from, to, digest, digest, log, 0);
        copyManifest(from, to, digest, tag, log, 0);
        if (!exists("/v2/" + to + "/manifests/" + digest)) {
            throw TargetException.permanent("copied " + digest + " to " + registry + "/" + to + ", but the registry does not"
                    + " answer it by that digest");
        }
        log.accept("copied: " + registry + "/" + to + "@" + digest);
    }

    private void copyManifest(String from, String to, String digest, String putAs, Consumer<String> log, int depth) {
        if (depth > 2) {
            throw TargetException.permanent("image " + digest + " nests indexes deeper than Slipway copies");
        }
        HttpResponse<byte[]> got = send(request("/v2/" + from + "/manifests/" + digest).header("Accept", ACCEPT).GET(),
                HttpResponse.BodyHandlers.ofByteArray(), "GET manifest " + from + "@" + digest, 200, 404);
        if (got.statusCode() == 404) {
            throw TargetException.permanent("repository " + registry + "/" + from + " has no image " + digest + "; nothing was copied");
        }
        byte[] body = got.body();
        String actual = sha256(body);
        if (!actual.equals(digest)) {
            throw TargetException.permanent("the registry returned a manifest for " + from + "@" + digest + " whose digest is "
                    + actual + "; nothing was copied");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(body);
        } catch (IOException e) {
            throw TargetException.permanent("the manifest of " + from + "@" + digest + " is not JSON: " + e.getMessage(), e);
        }
        String type = got.headers().firstValue("Content-Type").filter(t -> !t.isBlank())
                .orElse(manifest.path("mediaType").asText("application/vnd.oci.image.manifest.v1+json"));
        if (putAs.equals(digest)) { // the contents once; the tag after them only points at the same bytes
            if (manifest.has("manifests")) {
                for (JsonNode child : manifest.get("manifests")) {
                    String d = child.path("digest").asText();
                    if (!exists("/v2/" + to + "/manifests/" + d)) {
                        copyManifest(from, to, d, d, log, depth + 1);
                    }
                }
            } else {
                Set<String> blobs = new LinkedHashSet<>();
                Optional.ofNullable(manifest.path("config").path("digest").textValue()).ifPresent(blobs::add);
                for (JsonNode layer : manifest.path("layers")) {
                    if (!layer.has("urls")) { // a foreign layer lives elsewhere and is never pushed
                        blobs.add(layer.path("digest").asText());
                    }
                }
                for (String blob : blobs) {
                    copyBlob(from, to, blob, log);
                }
            }
        }
        HttpResponse<Void> put = send(request("/v2/" + to + "/manifests/" + putAs).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.discarding(),
                "PUT manifest " + to + ":" + putAs, 201);
        String stored = put.headers().firstValue("Docker-Content-Digest").orElse(digest);
        if (!stored.equals(digest)) {
            throw TargetException.permanent("the registry stored the manifest of " + digest + " in " + to + " as " + stored);
        }
    }

    private void copyBlob(String from, String to, String digest, Consumer<String> log) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw TargetException.permanent("a manifest names blob '" + digest + "'; Slipway copies sha256 blobs only");
        }
        if (exists("/v2/" + to + "/blobs/" + digest)) {
            return;
        }
        HttpResponse<Void> started = mount ? send(request("/v2/" + to + "/blobs/uploads/?mount=" + digest + "&from=" + from)
                .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), "POST blob mount " + to,
                201, 202, 400, 404, 405) : null;
        if (started == null || started.statusCode() >= 400) { // no mounts here, or refused outright: a plain upload
            started = send(request("/v2/" + to + "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.discarding(), "POST blob upload " + to, 202);
        }
        if (started.statusCode() == 201) {
            return; // mounted: the registry shares the blob between the repositories
        }
        URI upload = base().resolve(started.headers().firstValue("Location").orElseThrow(() -> TargetException.permanent(
                "the registry started an upload to " + to + " without a Location")));
        Path file = null;
        try {
            file = Files.createTempFile("slipway-blob", ".part");
            String actual = download(from, digest, file);
            if (!actual.equals(digest)) {
                throw TargetException.permanent("blob " + digest + " of " + from + " has digest " + actual + "; nothing was copied");
            }
            String sep = upload.getRawQuery() == null ? "?" : "&";
            send(authorized(HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + digest)))
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofFile(file)), HttpResponse.BodyHandlers.discarding(),
                    "PUT blob " + to + "@" + digest, 201);
            log.accept("copied blob " + digest + " (" + Files.size(file) + " bytes)");
        } catch (IOException e) {
            throw TargetException.transientFailure("copying blob " + digest + " to " + to + " failed: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    /** Streams the blob into {@code file}; returns its digest. A redirect (ECR sends one to S3) is followed without auth. */
    private String download(String from, String digest, Path file) throws IOException {
        HttpResponse<InputStream> got = send(request("/v2/" + from + "/blobs/" + digest).GET(),
                HttpResponse.BodyHandlers.ofInputStream(), "GET blob " + from + "@" + digest, 200, 301, 302, 303, 307, 308);
        for (int hops = 0; got.statusCode() != 200; hops++) {
            got.body().close();
            if (hops == 3) {
                throw TargetException.permanent("GET blob " + from + "@" + digest + " redirected too often");
            }
            URI next = got.uri().resolve(got.headers().firstValue("Location").orElseThrow(() -> TargetException.permanent(
                    "GET blob " + from + "@" + digest + " redirected without a Location")));
            got = send(HttpRequest.newBuilder(next).timeout(RegistryImages.REQUEST_TIMEOUT.multipliedBy(30)).GET(),
                    HttpResponse.BodyHandlers.ofInputStream(), "GET blob " + from + "@" + digest, 200, 301, 302, 303, 307, 308);
        }
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(got.body(), sha); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private boolean exists(String path) {
        return send(request(path).header("Accept", ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding(), "HEAD " + path, 200, 404).statusCode() == 200;
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(base().resolve(path)));
    }

    /** With the registry's credentials, for a request to the registry itself (never to where it redirects). */
    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        b.timeout(RegistryImages.REQUEST_TIMEOUT.multipliedBy(30));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    private URI base() {
        return URI.create(RegistryImages.scheme(registry) + "://" + registry + "/");
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body, String what, int... ok) {
        HttpResponse<T> response;
        try {
            response = http.send(request.build(), body);
        } catch (IOException e) {
            throw TargetException.transientFailure(what + " on " + registry + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent(what + " was interrupted (the run was cancelled or timed out)", e);
        }
        for (int code : ok) {
            if (response.statusCode() == code) {
                return response;
            }
        }
        if (response.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // failing anyway
            }
        }
        int code = response.statusCode();
        String hint = code == 401 || code == 403 ? ": the deploy's credentials may not read the source repository or write the"
                + " stage's (on ECR: ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the source, the push permissions on the"
                + " stage's repository)" : "";
        if (code >= 500 || code == 429) {
            throw TargetException.transientFailure(what + " on " + registry + " answered HTTP " + code, null);
        }
        throw TargetException.permanent(what + " on " + registry + " answered HTTP " + code + hint);
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
