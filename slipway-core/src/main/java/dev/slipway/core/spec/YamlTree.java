package dev.slipway.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Turns YAML text into a tree, refusing what {@code slipway.yml} never needs and a hostile file could abuse: more
 * than {@link #MAX_CHARS} characters, a value longer than {@link #MAX_SCALAR}, nesting deeper than {@link #MAX_DEPTH},
 * aliases, tagged binary values, keys given twice and a second document. Every refusal names its path and line.
 * The limits keep the parser's work small: its time grows faster than linearly with the length of one value.
 */
final class YamlTree {
    /** The most characters (and bytes) a {@code slipway.yml} may have: 256 KiB, some fifty times a large real one. */
    static final int MAX_CHARS = 256 * 1024;
    /** The most characters of one key or value. */
    static final int MAX_SCALAR = 16 * 1024;
    /** The most nested mappings and lists; {@code slipway.yml} itself needs four. */
    static final int MAX_DEPTH = 16;
    /** The most characters of a number; larger ones are refused before they are converted. */
    static final int MAX_NUMBER = 64;
    private static final YAMLFactory FACTORY = factory();
    private final List<String> problems;

    private YamlTree(List<String> problems) {
        this.problems = problems;
    }

    private static YAMLFactory factory() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CHARS + 1024);
        options.setNestingDepthLimit(MAX_DEPTH * 4);
        options.setMaxAliasesForCollections(0);
        // safety nets below the limits this class checks itself (which come first and name a path)
        StreamReadConstraints constraints = StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH * 4)
                .maxStringLength(MAX_CHARS + 1024).maxNumberLength(MAX_NUMBER * 2).maxNameLength(MAX_CHARS + 1024).build();
        // "key:" with nothing after it is null in YAML, not an empty string
        return YAMLFactory.builder().loaderOptions(options).streamReadConstraints(constraints)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
    }

    /**
     * Reads {@code text} into a tree; adds what is wrong to {@code problems} (each prefixed by its path). Returns a
     * missing node for an empty document. Callers must check {@code problems} before they trust the tree.
     */
    static JsonNode read(String text, List<String> problems) {
        if (text.length() > MAX_CHARS) {
            problems.add("(top level): the file has " + text.length() + " characters; slipway.yml may have at most "
                    + MAX_CHARS + " (256 KiB)");
            return MissingNode.getInstance();
        }
        YamlTree reader = new YamlTree(problems);
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(text)) {
            return reader.document(p);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            problems.add("(top level): not valid YAML" + where + ": " + statement(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            // SnakeYAML signals some malformed input with its own runtime exceptions
            problems.add("(top level): not valid YAML: " + statement(e.getMessage()));
        }
        return MissingNode.getInstance();
    }

    /**
     * The parser's explanation without the excerpt of the file it quotes: that excerpt may hold a secret, and
     * the line and column already say where to look.
     */
    static String statement(String message) {
        if (message == null) {
            return "unreadable";
        }
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                out.append(out.length() == 0 ? "" : "; ").append(line.strip());
            }
        }
        return out.length() == 0 ? "unreadable" : Node.shown(out.toString(), 200);
    }

    private JsonNode document(YAMLParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return MissingNode.getInstance();
        }
        JsonNode root = value(p, first, "", 1);
        int endLine = p.currentTokenLocation().getLineNr();
        for (JsonToken next = p.nextToken(); next != null; next = p.nextToken()) {
            boolean empty = next == JsonToken.VALUE_NULL || next == JsonToken.VALUE_STRING && p.getText().isEmpty();
            if (!empty) {
                problems.add("(top level): a second YAML document (after '---') starts near line " + endLine
                        + "; slipway.yml holds exactly one document");
                break;
            }
        }
        return root;
    }

    private JsonNode value(YAMLParser p, JsonToken token, String path, int depth) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        int line = p.currentTokenLocation().getLineNr();
        switch (token) {
            case START_OBJECT, START_ARRAY -> {
                if (depth > MAX_DEPTH) {
                    problem(path, "nested more than " + MAX_DEPTH + " levels deep (line " + line + ")");
                    p.skipChildren();
                    return MissingNode.getInstance();
                }
                return token == JsonToken.START_OBJECT ? mapping(p, path, depth) : list(p, path, depth);
            }
            case VALUE_STRING -> {
                String text = p.getText();
                if (p.isCurrentAlias()) {
                    problem(path, "aliases (*" + Node.shown(text, 40) + ") are not supported (line " + line
                            + "); write the value out in full");
                    return MissingNode.getInstance();
                }
                if (tooLong(text, path, line)) {
                    return MissingNode.getInstance();
                }
                return nodes.textNode(text);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String text = p.getText();
                if (text.length() > MAX_NUMBER) {
                    problem(path, "is a number of " + text.length() + " characters (line " + line + "); at most "
                            + MAX_NUMBER + " are read");
                    return MissingNode.getInstance();
                }
                return number(p, token, text);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> {
                String tag = p.getTypeId() == null ? "an explicit tag" : Node.shown(p.getTypeId(), 60);
                problem(path, "values with " + tag + " are not supported (line " + line + "); write a plain value");
                return MissingNode.getInstance();
            }
        }
    }

    private JsonNode number(YAMLParser p, JsonToken token, String text) {
        try {
            if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                return JsonNodeFactory.instance.numberNode(p.getDoubleValue());
            }
            Number n = p.getNumberValue();
            if (n instanceof java.math.BigInteger big) {
                return JsonNodeFactory.instance.numberNode(big);
            }
            return JsonNodeFactory.instance.numberNode(n.longValue());
        } catch (IOException | RuntimeException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private JsonNode mapping(YAMLParser p, String path, int depth) throws IOException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Map<String, Integer> firstLine = new HashMap<>();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            String child = Node.child(path, key);
            JsonNode v = value(p, p.nextToken(), child, depth + 1);
            if (tooLong(key, child, line)) {
                continue;
            }
            Integer earlier = firstLine.putIfAbsent(key, line);
            if (earlier != null) {
                problem(child, "the key is given twice (lines " + earlier + " and " + line + "); keep one");
            } else {
                out.set(key, v);
            }
        }
        return out;
    }

    private JsonNode list(YAMLParser p, String path, int depth) throws IOException {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            out.add(value(p, t, path + "[" + out.size() + "]", depth + 1));
        }
        return out;
    }

    private boolean tooLong(String text, String path, int line) {
        if (text.length() > MAX_SCALAR) {
            problem(path, "has " + text.length() + " characters (line " + line + "); a key or value may have at most "
                    + MAX_SCALAR);
            return true;
        }
        return false;
    }

    private void problem(String path, String message) {
        problems.add((path.isEmpty() ? "(top level)" : path) + ": " + message);
    }
}
