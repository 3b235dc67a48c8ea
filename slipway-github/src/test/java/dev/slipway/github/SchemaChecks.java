package dev.slipway.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks generated workflows and GitHub request bodies against the shared third-party schemas. */
final class SchemaChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SchemaChecks() {
    }

    /** Problems of a workflow file against github-workflow.json (draft-07); empty when it is valid. */
    static List<String> workflowProblems(Path schemaFile, String workflowYaml) {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(read(schemaFile));
        return messages(schema.validate(yaml(workflowYaml)));
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> messages(Iterable<ValidationMessage> messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.toString()));
        return out;
    }

    /** Request bodies checked against the operation (method + path template) of an OpenAPI 3.0 description. */
    static final class OpenApi {
        private final JsonNode root;
        private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
        private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true).build();

        OpenApi(Path file) {
            this.root = read(file);
        }

        /** The operation that {@code method} on {@code path} (no query) is, or null when the description has none. */
        JsonNode operation(String method, String path) {
            for (Map.Entry<String, JsonNode> e : root.path("paths").properties()) {
                String regex = Pattern.quote(e.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
                if (path.matches(regex) && e.getValue().has(method.toLowerCase())) {
                    return e.getValue().get(method.toLowerCase());
                }
            }
            return null;
        }

        /** Problems of one answer: its body against the operation's response schema for its status. */
        List<String> responseProblems(String method, String path, int status, String body) {
            JsonNode op = operation(method, path);
            if (op == null) {
                return List.of(method + " " + path + ": no such operation in the OpenAPI description");
            }
            JsonNode response = op.path("responses").path(String.valueOf(status));
            if (response.isMissingNode()) {
                return status >= 400 ? List.of() : List.of(method + " " + path + ": the operation has no " + status + " response");
            }
            JsonNode content = response.path("content").path("application/json").path("schema");
            if (content.isMissingNode()) {
                return List.of();
            }
            return validate(content, method + " " + path + " answer " + status, body);
        }

        /** Problems of one request; empty when the description has its operation and the body fits it. */
        List<String> problems(String method, String path, String body) {
            JsonNode op = operation(method, path);
            if (op == null) {
                return List.of(method + " " + path + ": no such operation in the OpenAPI description");
            }
            JsonNode requestBody = op.path("requestBody");
            boolean hasBody = body != null && !body.isBlank();
            if (requestBody.isMissingNode()) {
                return hasBody ? List.of(method + " " + path + ": sends a body the operation does not take") : List.of();
            }
            if (!hasBody) {
                return requestBody.path("required").asBoolean() ? List.of(method + " " + path + ": body required") : List.of();
            }
            return validate(requestBody.path("content").path("application/json").path("schema"), method + " " + path, body);
        }

        private List<String> validate(JsonNode bodySchema, String what, String body) {
            ObjectNode wrapper = JSON.createObjectNode();
            wrapper.putArray("allOf").add(bodySchema);
            wrapper.set("components", root.path("components"));
            JsonSchema schema = factory.getSchema(wrapper, config);
            try {
                return messages(schema.validate(JSON.readTree(body))).stream().map(m -> what + ": " + m).toList();
            } catch (IOException e) {
                return List.of(what + ": body is not JSON: " + e.getMessage());
            }
        }
    }
}
