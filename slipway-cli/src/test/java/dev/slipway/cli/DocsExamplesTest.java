package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code slipway.yml} and task definition the documentation shows is valid, checked through {@code slipway
 * validate} with every target provider installed. The rule, for fenced blocks of README.md and docs/*.md:
 * <ul>
 *   <li>{@code ```yaml} with a top-level {@code app:} is a whole slipway.yml;</li>
 *   <li>{@code ```yaml} right after {@code <!-- slipway.yml fragment -->} holds top-level keys of one, and after
 *       {@code <!-- slipway.yml fragment: stages.production -->} the content of that path; it is merged into a
 *       minimal file ({@code app}, {@code build}, and a local stage if it brings none);</li>
 *   <li>{@code ```json} right after {@code <!-- task definition -->} is a task definition template: it is named by an
 *       ecs stage and validated (no warning either); it is also the template every documented ecs stage gets;</li>
 *   <li>any other {@code ```yaml} or {@code ```json} block must follow {@code <!-- not slipway.yml -->} or
 *       {@code <!-- not a task definition -->}, so nothing is skipped without saying so.</li>
 * </ul>
 */
class DocsExamplesTest {
    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_-]*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*(.*?)\\s*-->\\s*$");
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    /** A fenced block: where it starts (the fence's line), its language, the marker comment before it, its text. */
    record Block(Path file, int line, String lang, String marker, String text) {
        String where() {
            return root().relativize(file) + ":" + line;
        }
    }

    @Test
    void everySlipwayYmlInTheDocs_validates() throws IOException {
        List<Block> blocks = blocks();
        String template = taskDefinitions(blocks).stream().findFirst().map(Block::text).orElseThrow(() ->
                new AssertionError("no ```json block marked <!-- task definition --> in the docs"));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Block b : blocks) {
            if (!b.lang().equals("yaml") && !b.lang().equals("yml")) {
                continue;
            }
            ObjectNode file;
            if (b.marker() != null && b.marker().equals("not slipway.yml")) {
                continue;
            } else if (b.marker() != null && b.marker().startsWith("slipway.yml fragment")) {
                file = wrap(b);
            } else if (YAML.readTree(b.text()) instanceof ObjectNode o && o.has("app")) {
                file = o;
            } else {
                failures.add(b.where() + ": a ```yaml block that is neither a whole slipway.yml (top-level app:) nor marked "
                        + "<!-- slipway.yml fragment[: PATH] --> or <!-- not slipway.yml -->");
                continue;
            }
            checked++;
            validate(b, file, template).ifPresent(failures::add);
        }
        assertThat(failures).as("documented slipway.yml examples that do not validate").isEmpty();
        assertThat(checked).as("slipway.yml examples found").isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyTaskDefinitionInTheDocs_passesTheTemplateCheck() throws IOException {
        List<String> failures = new ArrayList<>();
        List<Block> blocks = blocks();
        for (Block b : blocks) {
            if (b.lang().equals("json") && !"task definition".equals(b.marker()) && !"not a task definition".equals(b.marker())) {
                failures.add(b.where() + ": a ```json block marked neither <!-- task definition --> nor "
                        + "<!-- not a task definition -->");
            }
        }
        List<Block> definitions = taskDefinitions(blocks);
        for (Block b : definitions) {
            ObjectNode file = (ObjectNode) YAML.readTree("""
                    app: example
                    build: {context: .}
                    stages:
                      docs-example:
                        branch: docs-example
                        target: ecs
                        ecs: {region: eu-west-1, cluster: main, service: hello, task-definition: task.json, ecr-repository: hello}
                    """);
            validate(b, file, b.text()).ifPresent(failures::add);
        }
        assertThat(failures).as("documented task definitions").isEmpty();
        assertThat(definitions).as("task definitions found").isNotEmpty();
    }

    /** Runs {@code slipway validate} on {@code file}, with {@code template} at every path its ecs stages name. */
    private java.util.Optional<String> validate(Block b, ObjectNode file, String template) throws IOException {
        Path project = Files.createTempDirectory(dir, "example-");
        for (JsonNode stage : file.path("stages")) {
            String path = stage.path("ecs").path("task-definition").asText("");
            if (!path.isEmpty()) {
                Files.createDirectories(project.resolve(path).getParent());
                Files.writeString(project.resolve(path), template);
            }
        }
        Path yml = project.resolve("slipway.yml");
        YAML.writeValue(yml.toFile(), file);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[]{"validate", "-f", yml.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0 || err.toString().contains("warning:")) {
            return java.util.Optional.of(b.where() + " (```" + b.lang() + (b.marker() == null ? "" : ", " + b.marker())
                    + "): validate exited " + code + ":\n" + err + "\nas validated:\n" + Files.readString(yml));
        }
        return java.util.Optional.empty();
    }

    /** The block merged into a minimal slipway.yml at the marker's path (top level when it names none). */
    private static ObjectNode wrap(Block b) throws IOException {
        ObjectNode file = (ObjectNode) YAML.readTree("app: example\nbuild: {context: .}\n");
        String path = b.marker().substring("slipway.yml fragment".length()).replaceFirst("^\\s*:\\s*", "").trim();
        ObjectNode at = file;
        for (String key : path.isEmpty() ? new String[0] : path.split("\\.")) {
            at = at.has(key) ? (ObjectNode) at.get(key) : at.putObject(key);
        }
        JsonNode fragment = YAML.readTree(b.text());
        if (!(fragment instanceof ObjectNode o)) {
            throw new AssertionError(b.where() + ": a slipway.yml fragment must be a mapping");
        }
        merge(at, o);
        if (!file.has("stages")) {
            file.putObject("stages").putObject("docs-example").put("branch", "docs-example").put("target", "local");
        }
        return file;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(e -> {
            if (into.get(e.getKey()) instanceof ObjectNode o && e.getValue() instanceof ObjectNode f) {
                merge(o, f);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    private static List<Block> taskDefinitions(List<Block> blocks) {
        return blocks.stream().filter(b -> b.lang().equals("json") && "task definition".equals(b.marker())).toList();
    }

    private static List<Block> blocks() throws IOException {
        List<Path> files = new ArrayList<>(List.of(root().resolve("README.md")));
        try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path f : files) {
            blocks.addAll(blocks(f));
        }
        return blocks;
    }

    /** The fenced blocks of one markdown file; the marker is the comment on the last non-blank line before a fence. */
    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        String lastNonBlank = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                lastNonBlank = lines.get(i).isBlank() ? lastNonBlank : lines.get(i);
                continue;
            }
            Matcher marker = lastNonBlank == null ? null : MARKER.matcher(lastNonBlank);
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            blocks.add(new Block(file, start + 1, fence.group(1).toLowerCase(java.util.Locale.ROOT),
                    marker != null && marker.matches() ? marker.group(1) : null, text.toString()));
            lastNonBlank = null;
        }
        return blocks;
    }

    /** The repository's top directory: the first one up from here that has README.md and docs/. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no README.md with docs/ above " + Path.of("").toAbsolutePath());
    }
}
