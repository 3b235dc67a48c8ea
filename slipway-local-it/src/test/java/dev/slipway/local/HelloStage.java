package dev.slipway.local;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One stage of the example app {@code hello-it} deployed by the real engine and the local target, with its own
 * database, ports and journal. Versions: v1 (the jar's migrations), v2 (+ demo/v2: a new table), v3 (+ demo/v3: a
 * migration that fails part way).
 */
final class HelloStage implements AutoCloseable {
    static final String APP = "hello-it";
    static final Path CONTEXTS = Path.of("target/it-contexts").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String stage;
    final String database;
    final int port;
    final int replicas;
    /**
     * What the stage says for {@code preflight}; null says nothing, so the local target's default (on) applies. Off
     * unless a test asks: most tests here are about other steps, and a preflight costs every deploy a restore and a
     * migration container. The default path is covered by LocalTargetIT's two healthy releases, PreflightIT,
     * PreflightDeployIT, ReleaseJarIT, the chaos suite and the demo.
     */
    Boolean preflight = false;
    final Path work;
    final DockerClient docker;
    /** The journal deploys use now; {@link #useJournal} switches to another. */
    Journal journal;
    private Path journalFile;
    private final List<AutoCloseable> opened = new ArrayList<>();
    /** Whether the stage has {@code local.proxy: caddy} (admin port {@code port + 500}); set before making specs. */
    boolean proxy;

    HelloStage(DockerClient docker, String stage, int port, int replicas, Path work) {
        this.docker = docker;
        this.stage = stage;
        this.database = "slipway_" + stage.replace('-', '_');
        this.port = port;
        this.replicas = replicas;
        this.work = work;
        ItEnv.freshDatabase(database);
        removeContainers(); // a test run that was killed leaves its stage's containers; the stage starts empty
        stopProxy();
        prepareContexts();
        useJournal(work.resolve("state.db"));
    }

    /** From now on, deploys with the SQLite journal in {@code file}, made when it does not exist; closes the others. */
    void useJournal(Path file) {
        closeJournals();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        journalFile = file;
        journal = Journals.open(journalUrl(), null, null);
        opened.add(journal);
    }

    /**
     * Deletes the journal's file, as a person deleting {@code .slipway/} does, and deploys from now on with a new journal
     * in the same place.
     */
    void loseJournal() {
        closeJournals();
        try {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(Path.of(journalFile + suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        useJournal(journalFile);
    }

    Path journalFile() {
        return journalFile;
    }

    String journalUrl() {
        return "jdbc:sqlite:" + journalFile;
    }

    Path snapshotDir() {
        return work.resolve("snapshots");
    }

    /** The slipway.yml for {@code version}, with extra stage variables and a health timeout. */
    String yaml(String version, Map<String, String> environment, Duration healthTimeout, String databaseUrl) {
        StringBuilder env = new StringBuilder();
        environment.forEach((k, v) -> env.append("      ").append(k).append(": \"").append(v).append("\"\n"));
        return """
                app: %s
                build:
                  context: %s
                  dockerfile: Containerfile
                  args: {BASE_IMAGE: "%s"}
                migrations:
                  command: [java, -jar, /app/hello-server.jar, migrate]
                  timeout: 60s
                health: {path: /healthz, port: 8080, timeout: %ds}
                timeouts: {build: 3m, snapshot: 1m, stop: 1m, deploy: 1m, compensate: 90s}
                stages:
                  %s:
                    branch: %s
                    target: local
                    replicas: %d
                    database: {url: "%s", user: postgres}
                    redis: {url: "redis://127.0.0.1:%d/0"}
                    snapshots: {keep: 3}
                    local: {port: %d, stop-grace: 5s, snapshot-dir: "%s"%s}%s
                    environment:
                      GREETING: hi
                %s""".formatted(APP, version, ItEnv.JRE_IMAGE, healthTimeout.toSeconds(), stage, stage, replicas,
                databaseUrl, ItEnv.REDIS_PORT, port, snapshotDir(), proxy ? ", proxy: caddy" : "",
                preflight == null ? "" : "\n    preflight: " + preflight, env);
    }

    SlipwaySpec spec(String version, Map<String, String> environment, Duration healthTimeout, String databaseUrl) {
        return new SpecLoader(Set.of("local")).parse(yaml(version, environment, healthTimeout, databaseUrl), "it.yml", CONTEXTS);
    }

    SlipwaySpec spec(String version) {
        return spec(version, Map.of(), Duration.ofSeconds(30), ItEnv.jdbcUrl(database));
    }

    Engine engine(SlipwaySpec spec) {
        LocalTargetProvider provider = new LocalTargetProvider();
        Journal own = Journals.open(journalUrl(), null, null);
        Engine e = new Engine(own, spec, s -> provider.create(spec, s), EngineOptions.defaults(Duration.ofSeconds(10)));
        opened.add(own);
        opened.add(e);
        return e;
    }

    RunView deploy(SlipwaySpec spec, String commit) {
        Engine e = engine(spec);
        return e.run(e.request(stage, commit, RunKind.DEPLOY, "it").id(), RunListener.NONE);
    }

    RunView deploy(String version, String commit) {
        return deploy(spec(version), commit);
    }

    /** The run's events and log lines, for assertion messages and the failsafe report. */
    String transcript(RunView run) {
        StringBuilder sb = new StringBuilder("run ").append(run.run().id()).append(' ').append(run.state()).append('\n');
        run.events().forEach(e -> sb.append("  event ").append(e.type()).append(e.step() == null ? "" : " " + e.step())
                .append(' ').append(e.data()).append('\n'));
        journal.logs(run.run().id()).forEach(l -> sb.append("  log [").append(l.step()).append("] ").append(l.line()).append('\n'));
        System.out.println(sb);
        return sb.toString();
    }

    Target target(SlipwaySpec spec) {
        return new LocalTargetProvider().create(spec, spec.stage(stage).orElseThrow());
    }

    /** GET / on replica {@code i}: the JSON naming the version it serves, or the failure. */
    String info(int i) {
        return get("http://127.0.0.1:" + (port + i) + "/");
    }

    int health(int i) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + i) + "/healthz"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * The stage's containers as "name state", named {@code <app>-<stage>-<run number>-<replica or migrate>}: the run
     * key in the real name is random.
     */
    List<String> containers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.APP, APP, Labels.STAGE, stage)).exec().stream()
                .map(c -> APP + "-" + stage + "-" + c.getLabels().get(Labels.RUN) + "-"
                        + c.getNames()[0].substring(c.getNames()[0].lastIndexOf('-') + 1) + " " + c.getState()).sorted().toList();
    }

    /** Removes every container of the stage, as a person would with {@code podman rm -f}. */
    void removeContainers() {
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.APP, APP, Labels.STAGE, stage)).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    }

    @Override
    public void close() {
        closeJournals();
        removeContainers();
        stopProxy();
    }

    /** Where the stage's proxy keeps its files: {@code .slipway/proxy/<stage>} beside the specs' base directory. */
    Path proxyDir() {
        return CONTEXTS.resolve(".slipway/proxy").resolve(stage);
    }

    /** Stops the stage's proxy, if its pid file names a live caddy (started by this or a killed earlier test run). */
    void stopProxy() {
        Path pid = proxyDir().resolve("caddy.pid");
        try {
            if (!Files.exists(pid) || Files.readString(pid).isBlank()) {
                return;
            }
            java.util.Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
                    .filter(h -> h.info().command().orElse("").endsWith("caddy"));
            if (p.isPresent()) {
                p.get().destroy();
                p.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            Files.deleteIfExists(pid); // caddy removes it when it exits
        } catch (Exception e) {
            throw new IllegalStateException("stopping the proxy of " + stage, e);
        }
    }

    /** Engines first (they use the journals), newest first. */
    private void closeJournals() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + opened.get(i), e);
            }
        }
        opened.clear();
    }

    /** target/it-contexts/v1..v3 from examples/hello-server (copied each time: the jar may have been rebuilt). */
    static synchronized void prepareContexts() {
        Path jar = ItEnv.helloJar();
        try {
            for (String v : List.of("v1", "v2", "v3")) {
                Path dir = CONTEXTS.resolve(v);
                Files.createDirectories(dir.resolve("target"));
                Files.createDirectories(dir.resolve("migrations"));
                Files.copy(ItEnv.HELLO.resolve("Containerfile"), dir.resolve("Containerfile"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(ItEnv.HELLO.resolve(".dockerignore"), dir.resolve(".dockerignore"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(jar, dir.resolve("target/hello-server.jar"), StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(dir.resolve("migrations/.keep"), "");
            }
            copySql(ItEnv.HELLO.resolve("demo/v2"), CONTEXTS.resolve("v2/migrations"));
            copySql(ItEnv.HELLO.resolve("demo/v2"), CONTEXTS.resolve("v3/migrations"));
            copySql(ItEnv.HELLO.resolve("demo/v3"), CONTEXTS.resolve("v3/migrations"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copySql(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
