package dev.slipway.core.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Adds deploy markers to Grafana through its HTTP API ({@code POST /api/annotations} with {@code time},
 * {@code timeEnd}, {@code tags} and {@code text}; a service account token as Bearer). An annotation without a
 * dashboard is an organisation-wide one, which any dashboard shows through an annotation query on its tags.
 */
public final class GrafanaAnnotations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_SHOWN = 200;
    private final URI endpoint;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /** {@code url} is Grafana's base URL, with its sub-path when it has one ({@code https://host/grafana}). */
    public GrafanaAnnotations(String url, String token, Duration timeout) {
        this.endpoint = URI.create(url.endsWith("/") ? url : url + "/").resolve("api/annotations");
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Posts {@code marker}; returns a problem description (never holding the token), or null when it worked. */
    public String add(DeployMarker marker) {
        ObjectNode body = JSON.createObjectNode();
        body.put("time", marker.start().toEpochMilli());
        body.put("timeEnd", marker.end().toEpochMilli());
        marker.tags().forEach(body.putArray("tags")::add);
        body.put("text", marker.text());
        HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() / 100 == 2 ? null
                    : hide("grafana " + endpoint + " answered " + resp.statusCode() + ": " + shorten(resp.body()));
        } catch (HttpTimeoutException e) {
            return "grafana " + endpoint + " did not answer within " + timeout.toMillis() + " ms";
        } catch (IOException e) {
            return hide("grafana " + endpoint + " unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while adding a deploy marker to " + endpoint;
        }
    }

    /** A Grafana that echoed the request back must not make the token appear in a warning. */
    private String hide(String text) {
        return token.isEmpty() ? text : text.replace(token, "****");
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= MAX_BODY_SHOWN ? one : one.substring(0, MAX_BODY_SHOWN) + "…";
    }
}
