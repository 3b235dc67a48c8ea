package dev.slipway.github;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The third-party schema files in {@code ../shared} (see its schemas/README.md: read at test time, never copied into
 * the repository). Found by walking up from the working directory; tests that need them are skipped without them.
 */
final class SharedFiles {
    static final String WORKFLOW_SCHEMA = "shared/schemas/github-workflow.json";
    static final String OPENAPI = "shared/github/rest-deployments-openapi.json";

    private SharedFiles() {
    }

    static Optional<Path> find(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The file, or the calling test is skipped saying which file is missing. */
    static Path require(String relative) {
        Optional<Path> file = find(relative);
        assumeTrue(file.isPresent(), () -> "skipped: " + relative + " not found in the working directory or above it "
                + "(the shared/ folder beside the repository holds it)");
        return file.get();
    }
}
