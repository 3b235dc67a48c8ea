package dev.slipway.local;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.images.DockerClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real environment the ITs need (scripts/env-up.sh makes it): a container engine at DOCKER_HOST (or
 * ~/.slipway-env/podman.sock), PostgreSQL on 127.0.0.1:$SLIPWAY_PG_PORT (55432, user postgres, trust), Redis on
 * 127.0.0.1:$SLIPWAY_REDIS_PORT (16379), the JRE base image $SLIPWAY_JRE_IMAGE and examples/hello-server's jar.
 * Missing pieces skip the ITs with a message, except with CI=true, where they fail.
 */
final class ItEnv {
    static final int PG_PORT = intEnv("SLIPWAY_PG_PORT", 55432);
    static final int REDIS_PORT = intEnv("SLIPWAY_REDIS_PORT", 16379);
    static final String JRE_IMAGE = env("SLIPWAY_JRE_IMAGE", "localhost/slipway-jre:17");
    static final Path REPO = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final Path HELLO = REPO.resolve("examples/hello-server");

    private ItEnv() {
    }

    static DockerClient docker() {
        try {
            DockerClient client = DockerClients.fromEnvironment();
            client.pingCmd().exec();
            if (!DockerImages.exists(client, JRE_IMAGE)) {
                unavailable("base image " + JRE_IMAGE + " is missing");
            }
            return client;
        } catch (RuntimeException e) {
            unavailable("no container engine answers (" + e.getMessage() + ")");
            return null;
        }
    }

    static String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + db;
    }

    /** Drops and creates database {@code name}. */
    static void freshDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
            s.execute("create database " + name);
        } catch (SQLException e) {
            unavailable("PostgreSQL on 127.0.0.1:" + PG_PORT + " is not usable (" + e.getMessage() + ")");
        }
    }

    /** examples/hello-server/target/hello-server.jar, built with Maven first if it is missing. */
    static Path helloJar() {
        Path jar = HELLO.resolve("target/hello-server.jar");
        if (!Files.exists(jar)) {
            try {
                Process p = new ProcessBuilder(List.of("mvn", "-q", "-B", "-f", HELLO.resolve("pom.xml").toString(),
                        "package", "-DskipTests")).inheritIO().start();
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    unavailable("building examples/hello-server with mvn failed");
                }
            } catch (IOException e) {
                unavailable("cannot run mvn to build examples/hello-server (" + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable("interrupted building examples/hello-server");
            }
        }
        return jar;
    }

    static void unavailable(String why) {
        String msg = why + "; run scripts/env-up.sh (then source ~/.slipway-env/env.sh)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(msg + " — CI=true, so this fails instead of skipping");
        }
        Assumptions.abort(msg);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, String.valueOf(fallback)));
    }

    private static final class DockerImages {
        static boolean exists(DockerClient client, String ref) {
            try {
                client.inspectImageCmd(ref).exec();
                return true;
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                return false;
            }
        }
    }
}
