package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The little Slipway asks of git: which commit is checked out. */
final class Git {
    private Git() {
    }

    static String head(Path dir) {
        String env = System.getenv("GITHUB_SHA");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return out;
            }
        } catch (IOException e) {
            // no git: fall through to the message below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new SlipwayException(ErrorCode.BAD_USAGE, dir + " is not a git checkout with a commit; pass --commit SHA");
    }
}
