package dev.slipway.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every whole {@code slipway.yml} shown in docs/ (a yaml block with {@code app:} and {@code stages:}) is valid. */
class DocsExamplesTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void docs_wholeConfigExamples_validate() throws IOException {
        Path docs = Path.of("..", "docs");
        List<String> checked = new ArrayList<>();
        try (var files = Files.list(docs)) {
            for (Path md : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Matcher m = YAML_BLOCK.matcher(Files.readString(md));
                while (m.find()) {
                    String yaml = m.group(1);
                    if (yaml.contains("\napp:") || yaml.startsWith("app:")) {
                        new SpecLoader(Set.of("local", "ecs")).parse(yaml, md.toString(), docs);
                        checked.add(md.getFileName().toString());
                    }
                }
            }
        }
        assertThat(checked).contains("config.md");
    }
}
