package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeTargetsTest {
    @TempDir
    Path dir;
    final FakeContainers containers = new FakeContainers();

    @Test
    void update_runningReplicasOfTwoRuns_listsEachRunningReplicaWithItsVersionAndNothingElse() throws Exception {
        containers.add("old-0", "exited", Specs.labels(Specs.key(1), 1, Labels.SERVER, 0));
        containers.add("mid-0", "running", Specs.labels(Specs.key(2), 2, Labels.SERVER, 0));
        containers.add("new-1", "running", Specs.labels(Specs.key(3), 3, Labels.SERVER, 1));
        containers.add("new-0", "running", Specs.labels(Specs.key(3), 3, Labels.SERVER, 0));
        containers.add("migrate", "running", Specs.labels(Specs.key(3), 3, Labels.MIGRATE, 0));

        new ScrapeTargets(() -> containers).update(context("targets"));

        assertThat(Files.readString(dir.resolve("targets/hello-staging.json"))).isEqualToIgnoringWhitespace("""
                [ {"targets": ["127.0.0.1:19000"], "labels": {"app": "hello", "stage": "staging", "version": "commit2", "replica": "0"}},
                  {"targets": ["127.0.0.1:19000"], "labels": {"app": "hello", "stage": "staging", "version": "commit3", "replica": "0"}},
                  {"targets": ["127.0.0.1:19001"], "labels": {"app": "hello", "stage": "staging", "version": "commit3", "replica": "1"}} ]
                """);
    }

    @Test
    void update_nothingRuns_writesAnEmptyListReadableByPrometheusAndNoTemporaryFile() throws Exception {
        containers.add("old-0", "exited", Specs.labels(Specs.key(1), 1, Labels.SERVER, 0));
        Files.createDirectories(dir.resolve("targets"));
        Files.writeString(dir.resolve("targets/hello-staging.json"), "[{\"targets\": [\"127.0.0.1:19000\"]}]");

        new ScrapeTargets(() -> containers).update(context("targets"));

        Path file = dir.resolve("targets/hello-staging.json");
        assertThat(Files.readString(file).strip()).isEqualTo("[ ]");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        try (Stream<Path> files = Files.list(dir.resolve("targets"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("hello-staging.json");
        }
    }

    @Test
    void update_withoutFileSd_writesNothing() throws Exception {
        containers.add("new-0", "running", Specs.labels(Specs.key(3), 3, Labels.SERVER, 0));

        new ScrapeTargets(() -> containers).update(context(null));

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void update_directoryCannotBeMade_logsAWarningInsteadOfFailingTheStep() throws Exception {
        Files.writeString(dir.resolve("targets"), "a file where the directory should be");
        containers.add("new-0", "running", Specs.labels(Specs.key(3), 3, Labels.SERVER, 0));
        FixedContext ctx = context("targets");

        new ScrapeTargets(() -> containers).update(ctx);

        assertThat(ctx.log).singleElement().asString().startsWith("warning: could not update the Prometheus targets file");
    }

    @Test
    void update_noContainerEngine_logsAWarningInsteadOfThrowing() {
        FixedContext ctx = context("targets");

        new ScrapeTargets(() -> {
            throw new IllegalStateException("no engine answers");
        }).update(ctx);

        assertThat(ctx.log).singleElement().asString().contains("no engine answers");
    }

    private FixedContext context(String fileSd) {
        SlipwaySpec spec = new SpecLoader(Set.of("local")).parse("""
                app: hello
                build: {context: app, dockerfile: Containerfile}
                migrations: {command: [migrate], timeout: 30s}
                health: {path: /healthz, port: 8080, timeout: 20s}
                stages:
                  staging:
                    branch: main
                    target: local
                    database: {url: "jdbc:postgresql://127.0.0.1:55432/hello", user: app, password: "${env:DB_PASSWORD}"}
                    environment: {GREETING: hi}
                    local: {port: 19000}
                %s""".formatted(fileSd == null ? "" : "metrics: {file-sd: " + fileSd + "}\n"), "test.yml", dir);
        return new FixedContext(spec, "staging", 3, "commit3");
    }
}
