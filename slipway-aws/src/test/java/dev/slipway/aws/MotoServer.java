package dev.slipway.aws;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * One {@code moto_server} for the whole test JVM, started on a free loopback port on first use and stopped when the
 * JVM exits; {@link #reset()} empties it between tests. {@code MOTO_ECS_SERVICE_RUNNING=2}: services created with 2
 * tasks report them running (moto starts no real tasks). Without moto_server the ITs skip, unless CI=true.
 */
final class MotoServer {
    static final int SERVICE_RUNNING = 2;
    private static MotoServer shared;

    private final Process process;
    private final String endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    private MotoServer(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start(Map.of("MOTO_ECS_SERVICE_RUNNING", String.valueOf(SERVICE_RUNNING)));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /** A moto_server someone else started (bench/aws/run.sh); {@link #stop()} leaves it running. */
    static MotoServer at(String endpoint) {
        return new MotoServer(null, endpoint);
    }

    /** A moto_server of its own. */
    static MotoServer start(Map<String, String> env) {
        String binary = binary();
        try {
            int port = freePort();
            Path log = Files.createTempFile("moto-", ".log");
            ProcessBuilder pb = new ProcessBuilder(binary, "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            MotoServer moto = new MotoServer(pb.start(), "http://127.0.0.1:" + port);
            moto.awaitUp(log);
            return moto;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    String endpoint() {
        return endpoint;
    }

    void reset() {
        post("/moto-api/reset", "");
    }

    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitUp(Path log) throws IOException {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/data.json"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting moto_server", e);
            }
            pauseBriefly();
        }
        throw new IllegalStateException("moto_server did not answer on " + endpoint + " within 30s: " + Files.readString(log));
    }

    private void post(String path, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("moto " + path + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "moto_server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String why = "moto_server is not on PATH (pip install 'moto[server]')";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why + " — CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(why);
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @SuppressWarnings("BusyWait")
    private static void pauseBriefly() {
        try {
            Thread.sleep(100); // polling a starting process; nothing to await on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
