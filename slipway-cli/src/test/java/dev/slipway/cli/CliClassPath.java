package dev.slipway.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The class path the integration tests start {@code slipway} with: the test class path, or, with
 * {@code SLIPWAY_IT_JAR} naming a jar (e.g. the release jar), that jar followed only by the test classes and test jars
 * (for the test targets they install), so that every class of Slipway and its libraries comes from the jar under test.
 */
public final class CliClassPath {
    private CliClassPath() {
    }

    public static String get() {
        String testPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String jar = System.getenv("SLIPWAY_IT_JAR");
        if (jar == null || jar.isBlank()) {
            return testPath;
        }
        Stream<String> testOnly = Arrays.stream(testPath.split(File.pathSeparator)).filter(CliClassPath::isTestCode);
        return Stream.concat(Stream.of(Path.of(jar).toAbsolutePath().toString()), testOnly)
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The jar under test: {@code SLIPWAY_IT_JAR} when set, else {@code packaged} (the shade plugin's jar). */
    public static Path jarOr(Path packaged) {
        String jar = System.getenv("SLIPWAY_IT_JAR");
        return jar == null || jar.isBlank() ? packaged : Path.of(jar).toAbsolutePath();
    }

    private static boolean isTestCode(String entry) {
        return entry.endsWith("test-classes") || entry.endsWith("-tests.jar");
    }
}
