package dev.slipway.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * The task definition JSON a user keeps in the repo, in AWS's own format (what {@code aws ecs describe-task-definition}
 * prints, with or without its {@code taskDefinition} wrapper). Slipway fills in the app container's image and
 * environment and adds its tags; everything else is the user's.
 */
final class TaskDefinitionTemplate {
    /** Fields AWS reports but does not accept on registration; dropped so a described definition works as a template. */
    private static final Set<String> READ_ONLY = Set.of("taskDefinitionArn", "revision", "status", "requiresAttributes",
            "compatibilities", "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);

    private final Path file;
    private final ObjectNode root;

    private TaskDefinitionTemplate(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    static TaskDefinitionTemplate read(Path file) {
        JsonNode node;
        try {
            node = JSON.readTree(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw TargetException.permanent("task definition template " + file + " does not exist; check "
                    + "ecs.task-definition in slipway.yml (relative to the directory of slipway.yml)", e);
        } catch (JsonProcessingException e) {
            throw TargetException.permanent("task definition template " + file + " is not valid JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw TargetException.permanent("cannot read task definition template " + file + ": " + e.getMessage(), e);
        }
        if (node != null && node.has("taskDefinition") && node.get("taskDefinition").isObject()) {
            node = node.get("taskDefinition");
        }
        if (!(node instanceof ObjectNode obj)) {
            throw TargetException.permanent("task definition template " + file + " must be a JSON object");
        }
        ObjectNode copy = obj.deepCopy();
        copy.remove(READ_ONLY);
        TaskDefinitionTemplate t = new TaskDefinitionTemplate(file, copy);
        t.family();
        return t;
    }

    String family() {
        JsonNode family = root.get("family");
        if (family == null || !family.isTextual() || family.asText().isBlank()) {
            throw TargetException.permanent("task definition template " + file + " has no \"family\"; add one (the "
                    + "family the stage's service runs)");
        }
        return family.asText();
    }

    /**
     * The registration request: {@code container}'s image set to {@code image}, {@code env} merged over the template's
     * environment (Slipway's values win), {@code tags} added. Fails when a secret in {@code secrets} is not provided
     * through the container's {@code secrets}, or when the template is not a valid registration.
     */
    RegisterTaskDefinitionRequest render(String container, String image, TaskEnvironment env, Map<String, String> tags) {
        return render(container, image, env, tags, Map.of());
    }

    /** Like {@link #render(String, String, TaskEnvironment, Map)}, with {@code labels} merged over the container's dockerLabels. */
    RegisterTaskDefinitionRequest render(String container, String image, TaskEnvironment env, Map<String, String> tags,
                                         Map<String, String> labels) {
        ObjectNode def = root.deepCopy();
        ObjectNode app = container(def, container);
        app.put("image", image);
        checkSecrets(app, container, env.secrets());
        app.set("environment", mergedEnvironment(app, env.plain()));
        if (!labels.isEmpty()) {
            ObjectNode docker = app.path("dockerLabels").isObject() ? (ObjectNode) app.get("dockerLabels") : app.putObject("dockerLabels");
            labels.forEach(docker::put);
        }
        ArrayNode tagArray = JSON.createArrayNode();
        def.path("tags").forEach(t -> {
            if (!tags.containsKey(t.path("key").asText())) {
                tagArray.add(t);
            }
        });
        tags.forEach((k, v) -> tagArray.addObject().put("key", k).put("value", v));
        def.set("tags", tagArray);
        try {
            return JSON.treeToValue(def, RegisterTaskDefinitionRequest.serializableBuilderClass()).build();
        } catch (JsonProcessingException e) {
            String why = e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u
                    ? "unknown field \"" + u.getPropertyName() + "\" at " + where(u.getPath()) : e.getOriginalMessage();
            throw TargetException.permanent("task definition template " + file + " is not a valid task definition: "
                    + why + "; compare it with the example in docs/aws.md", e);
        }
    }

    /**
     * What would fail (or, as warnings, hamper) a deploy with this template and {@code container} as the app's
     * container, found before anything is built: the container missing, fields that are not a registration, a Fargate
     * task without task-level cpu and memory, a secret {@code secrets} names missing from the container's, an app container without a log the failure explainer can read.
     */
    List<Problem> check(String container, List<String> secrets) {
        List<Problem> problems = new ArrayList<>();
        try {
            render(container, "checked-by-slipway", new TaskEnvironment(Map.of(), secrets), Map.of());
        } catch (TargetException e) {
            problems.add(new Problem(e.getMessage(), false));
        }
        boolean fargate = false;
        for (JsonNode c : root.path("requiresCompatibilities")) {
            fargate |= "FARGATE".equals(c.asText());
        }
        for (String field : List.of("cpu", "memory")) {
            if (fargate && root.path(field).asText("").isBlank()) {
                problems.add(new Problem("task definition template " + file + " requires FARGATE but has no task-level \""
                        + field + "\"; Fargate needs both cpu and memory at the top level (e.g. \"cpu\": \"256\", "
                        + "\"memory\": \"512\")", false));
            }
        }
        JsonNode app = null;
        for (JsonNode c : root.path("containerDefinitions")) {
            app = container.equals(c.path("name").asText()) ? c : app;
        }
        if (app != null && !hasAwsLogs(app.path("logConfiguration"))) {
            problems.add(new Problem("containerDefinitions[" + container + "] in " + file + " has no awslogs "
                    + "logConfiguration with awslogs-group and awslogs-stream-prefix: a failed migration or task is then "
                    + "reported without its log; add one as in docs/aws.md", true));
        }
        return problems;
    }

    /** One thing {@link #check} found; a {@code warning} does not stop a deploy. */
    record Problem(String message, boolean warning) {
    }

    private static boolean hasAwsLogs(JsonNode log) {
        JsonNode options = log.path("options");
        return "awslogs".equals(log.path("logDriver").asText()) && options.hasNonNull("awslogs-group")
                && options.hasNonNull("awslogs-stream-prefix");
    }

    /** {@code containerDefinitions[0].portMappings}, from Jackson's path to a field. */
    private static String where(List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path) {
        StringBuilder at = new StringBuilder();
        for (var r : path.subList(0, Math.max(0, path.size() - 1))) {
            at.append(r.getFieldName() != null ? (at.length() == 0 ? "" : ".") + r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return at.length() == 0 ? "the top level" : at.toString();
    }

    /** Names of the containers in the template, for messages and the plan. */
    List<String> containerNames() {
        List<String> names = new ArrayList<>();
        root.path("containerDefinitions").forEach(c -> names.add(c.path("name").asText("?")));
        return names;
    }

    private ObjectNode container(ObjectNode def, String name) {
        for (JsonNode c : def.path("containerDefinitions")) {
            if (c instanceof ObjectNode o && name.equals(c.path("name").asText())) {
                return o;
            }
        }
        throw TargetException.permanent("task definition template " + file + " has no container named '" + name
                + "' (it has " + containerNames() + "); set ecs.container in slipway.yml to the app's container");
    }

    private void checkSecrets(ObjectNode app, String container, List<String> secrets) {
        Set<String> provided = new HashSet<>();
        app.path("secrets").forEach(s -> provided.add(s.path("name").asText()));
        List<String> missing = secrets.stream().filter(s -> !provided.contains(s)).toList();
        if (!missing.isEmpty()) {
            throw TargetException.permanent("the stage's " + missing + " come from ${env:…} (secrets) and Slipway does "
                    + "not write secrets into a task definition; add them to containerDefinitions[" + container
                    + "].secrets in " + file + " with valueFrom an SSM parameter or Secrets Manager ARN");
        }
    }

    private static ArrayNode mergedEnvironment(ObjectNode app, Map<String, String> env) {
        ArrayNode merged = JSON.createArrayNode();
        app.path("environment").forEach(e -> {
            if (!env.containsKey(e.path("name").asText())) {
                merged.add(e);
            }
        });
        env.forEach((k, v) -> merged.addObject().put("name", k).put("value", v));
        return merged;
    }
}
