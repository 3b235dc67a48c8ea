package dev.slipway.core.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Pushes a stage's metrics to a Prometheus Pushgateway, grouped by job {@code slipway}, app and stage. */
public final class Pushgateway {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Pushgateway(String url) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
    }

    /** Replaces the group's metrics with {@code text}; returns a problem description, or null when it worked. */
    public String push(String app, String stage, String text) {
        URI uri = base.resolve("metrics/job/slipway/app/" + enc(app) + "/stage/" + enc(stage));
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain; version=0.0.4").PUT(HttpRequest.BodyPublishers.ofString(text)).build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() / 100 == 2 ? null : "pushgateway " + uri + " answered " + resp.statusCode() + ": " + resp.body();
        } catch (IOException e) {
            return "pushgateway " + uri + " unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while pushing metrics to " + uri;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
