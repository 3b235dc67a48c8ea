package dev.slipway.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import dev.slipway.core.target.TargetProvider;

/** Reads and validates {@code slipway.yml}; the one entry point to the spec. */
public final class SpecLoader {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Set<String> targets;

    /** A loader that accepts the built-in targets and those of every {@link TargetProvider} on the class path. */
    public SpecLoader() {
        this(discoverTargets());
    }

    /** A loader that accepts exactly {@code targets} as {@code stages.*.target}. */
    public SpecLoader(Set<String> targets) {
        this.targets = Set.copyOf(targets);
    }

    private static Set<String> discoverTargets() {
        Set<String> all = new HashSet<>(StageSpec.BUILT_IN_TARGETS);
        ServiceLoader.load(TargetProvider.class).stream().forEach(p -> all.add(p.get().type()));
        return all;
    }

    /** Loads {@code file}; throws {@link SpecException} listing every problem with its path. */
    public SlipwaySpec load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, file + ": no such file; create one (see docs/config.md) or pass --file");
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, file + ": cannot read: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /** Parses YAML text; {@code source} names it in messages and {@code baseDir} anchors relative paths. */
    public SlipwaySpec parse(String text, String source, Path baseDir) {
        JsonNode tree;
        try {
            tree = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new SpecException(source, List.of("(top level): not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        Node root = new Node(tree, "", problems);
        if (!root.present()) {
            throw new SpecException(source, List.of("(top level): the file is empty"));
        }
        SlipwaySpec spec = SlipwaySpec.read(root, baseDir, targets);
        if (!problems.isEmpty()) {
            throw new SpecException(source, problems);
        }
        return spec;
    }
}
