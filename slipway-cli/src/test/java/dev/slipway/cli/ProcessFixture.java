package dev.slipway.cli;

import static org.awaitility.Awaitility.await;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A project whose stage uses the file-steered test target (dev.slipway.core.testing.SignalTarget), for process tests. */
final class ProcessFixture implements AutoCloseable {
    final Path dir;
    final Path control;
    final Path spec;
    final Journal journal;
    private final Map<String, String> env;

    ProcessFixture(Path dir) throws IOException {
        this(dir, null, null);
    }

    /** A fixture whose processes use the journal at {@code stateUrl} (e.g. PostgreSQL) instead of the SQLite default. */
    ProcessFixture(Path dir, String stateUrl, String stateUser) throws IOException {
        this.dir = dir;
        this.control = Files.createDirectories(dir.resolve("control"));
        this.spec = Files.writeString(dir.resolve("slipway.yml"), """
                app: demo
                build: {context: .}
                migrations: {command: [migrate], timeout: 2m}
                health: {timeout: 2m}
                state: {lease-ttl: 3s}
                stages:
                  staging: {branch: main, target: test}
                """);
        this.journal = Journals.open(stateUrl == null ? Journals.defaultUrl(dir) : stateUrl, stateUser, null);
        Map<String, String> e = new java.util.HashMap<>(Map.of("SLIPWAY_TEST_DIR", control.toString()));
        if (stateUrl != null) {
            e.put("SLIPWAY_STATE_URL", stateUrl);
        }
        if (stateUser != null) {
            e.put("SLIPWAY_STATE_USER", stateUser);
        }
        this.env = Map.copyOf(e);
    }

    SlipwayProcess start(String... args) throws IOException {
        return SlipwayProcess.start(dir, env(), args);
    }

    SlipwayProcess deploy(String commit) throws IOException {
        return deploy(commit, List.of());
    }

    SlipwayProcess deploy(String commit, List<String> jvmOptions) throws IOException {
        return SlipwayProcess.start(dir, env(), jvmOptions, "deploy", "staging", "--commit", commit, "-f", spec.toString());
    }

    Map<String, String> env() {
        return env;
    }

    void hold() throws IOException {
        Files.writeString(control.resolve("hold"), "");
    }

    void go(String step) throws IOException {
        Files.writeString(control.resolve("go." + step), "");
    }

    List<String> calls() {
        try {
            Path log = control.resolve("calls.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitCall(String line) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> calls().contains(line));
    }

    void awaitEvent(long run, EventType type, String step) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> journal.events(run).stream()
                .anyMatch(e -> e.type() == type && (step == null || step.equals(e.step()))));
    }

    long count(String line) {
        return calls().stream().filter(line::equals).count();
    }

    @Override
    public void close() {
        journal.close();
    }
}
