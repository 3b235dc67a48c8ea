package dev.slipway.github;

import com.fasterxml.jackson.databind.JsonNode;

/** Example answers of the shared GitHub OpenAPI description ({@code components.examples}), copied for a stub to change. */
final class OpenApiExamples {
    private OpenApiExamples() {
    }

    /** A fresh copy of example {@code name}'s value; fails when the shared description is not there. */
    static JsonNode get(String name) {
        JsonNode root = SchemaChecks.read(SharedFiles.find(SharedFiles.OPENAPI).orElseThrow(
                () -> new IllegalStateException(SharedFiles.OPENAPI + " not found: the Actions stub answers from its examples")));
        JsonNode value = root.path("components").path("examples").path(name).path("value");
        if (value.isMissingNode()) {
            throw new IllegalStateException("no example " + name + " in " + SharedFiles.OPENAPI);
        }
        return value.deepCopy();
    }
}
