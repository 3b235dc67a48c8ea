package dev.slipway.local;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What every local-target IT needs: one engine client per class and a fresh work directory per test. */
abstract class EngineIt {
    static DockerClient docker;

    @TempDir
    Path work;

    /** Per test rather than @BeforeAll, so that a missing environment shows as skipped tests with the reason. */
    @BeforeEach
    void connect() {
        if (docker == null) {
            docker = ItEnv.docker();
        }
    }

    @AfterAll
    static void close() throws IOException {
        if (docker != null) {
            docker.close();
            docker = null; // the next class connects again
        }
    }
}
