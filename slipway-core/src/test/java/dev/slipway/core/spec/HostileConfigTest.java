package dev.slipway.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code hostile/configs} is a {@code slipway.yml} a hostile tester could write. Each names what
 * must be said about it in comment lines {@code # expect: FRAGMENT} (at the end, so the body's line numbers are those
 * the messages name) and, optionally, {@code # secret: TEXT} that the message must not repeat. Loading must fail
 * with exit code 2, as a {@link SlipwayException} and nothing else, within two seconds.
 */
class HostileConfigTest {
    static final Duration LIMIT = Duration.ofSeconds(2);
    private final SpecLoader loader = new SpecLoader(Set.of("local", "ecs"));

    static Stream<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(HostileConfigTest.class.getResource("/hostile/configs").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(60);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void load_hostileConfig_isRefusedWithPathAndReason(Path file) throws IOException {
        // bytes that are not UTF-8 become U+FFFD here, so the comments are found in the files that are not UTF-8 too
        List<String> lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
        List<String> expected = lines.stream().filter(l -> l.startsWith("# expect: ")).map(l -> l.substring(10)).toList();
        List<String> secrets = lines.stream().filter(l -> l.startsWith("# secret: ")).map(l -> l.substring(10)).toList();
        assertThat(expected).as("the file's # expect: lines").isNotEmpty();

        SlipwayException e = refusal(loader, file);

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_CONFIG);
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith(file.toString()).contains(expected);
        secrets.forEach(s -> assertThat(e.getMessage()).doesNotContain(s));
        assertThat(e.getMessage().chars().filter(c -> c != '\n' && Character.isISOControl(c)))
                .as("control characters in the message").isEmpty();
    }

    /** Loads {@code file}, which must be refused in time with a {@link SlipwayException}; anything else fails. */
    static SlipwayException refusal(SpecLoader loader, Path file) {
        Throwable thrown = assertTimeoutPreemptively(LIMIT, () -> {
            try {
                loader.load(file);
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, () -> file + " took longer than " + LIMIT);
        assertThat(thrown).as("what loading " + file + " threw").isNotNull().isInstanceOf(SlipwayException.class);
        assertThat(thrown.getCause()).as("a cause would be printed as a stack trace").isNull();
        return (SlipwayException) thrown;
    }
}
