package dev.slipway.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.spec.StageSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors one run on GitHub: creates a deployment of its commit to its stage's environment when the run is queued,
 * then posts a deployment status for each change (queued, in_progress, success, failure, error).
 *
 * <p>GitHub must never fail or hold up a deploy: {@link #onEvent} only queues work for one background thread (a
 * bounded queue; when it is full an update is dropped and logged), every GitHub error is logged and swallowed, and
 * {@link #close()} waits a bounded time for the last updates. Attach one reporter per run, and close it after the run.
 */
public final class GithubDeploymentReporter implements RunListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GithubDeploymentReporter.class);
    static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(10);
    private static final int QUEUE = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a run deploys, as GitHub sees it.
     *
     * @param runId          the Slipway run
     * @param app            application name (in the deployment payload)
     * @param stage          stage name, used as the GitHub environment
     * @param commit         the SHA deployed (the deployment's ref)
     * @param kind           deploy or rollback (the deployment's task)
     * @param production     whether the environment is production ({@code production_environment})
     * @param logUrl         link to the run's log, or null
     * @param environmentUrl link to the deployed stage, or null
     */
    public record Deployment(long runId, String app, String stage, String commit, RunKind kind, boolean production,
                             String logUrl, String environmentUrl) {
        public static Deployment of(RunRecord run, StageSpec stage, String logUrl, String environmentUrl) {
            return new Deployment(run.id(), run.app(), stage.name(), run.commit(), run.kind(), stage.production(), logUrl,
                    environmentUrl);
        }
    }

    private final GithubApi api;
    private final String repository;
    private final Deployment deployment;
    private final Consumer<String> warn;
    private final Duration closeWait;
    private final ThreadPoolExecutor worker;
    private boolean createRequested;
    private DeploymentStatus.Update last;
    // written and read on the worker thread only, except deploymentId() which reads it after close
    private volatile long deploymentId = -1;
    private volatile boolean gaveUp;

    public GithubDeploymentReporter(GithubApi api, String repository, Deployment deployment, Consumer<String> warn,
                                    Duration closeWait) {
        this.api = api;
        this.repository = repository;
        this.deployment = deployment;
        this.warn = warn;
        this.closeWait = closeWait;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "slipway-github-" + deployment.runId());
            t.setDaemon(true);
            return t;
        }, (r, pool) -> warn.accept("GitHub deployment reporting of run " + deployment.runId()
                + " is falling behind; dropped a status update"));
    }

    /** A reporter that logs through SLF4J and waits up to 10 seconds on {@link #close()}. */
    public static GithubDeploymentReporter start(GithubApi api, String repository, Deployment deployment) {
        return new GithubDeploymentReporter(api, repository, deployment, LOG::warn, DEFAULT_CLOSE_WAIT);
    }

    @Override
    public synchronized void onEvent(JournalEvent event) {
        try {
            if (event.runId() != deployment.runId() || worker.isShutdown()) {
                return;
            }
            DeploymentStatus.Update update = DeploymentStatus.of(event);
            if (update == null || update.equals(last)) {
                return;
            }
            if (!createRequested) {
                createRequested = true;
                worker.execute(this::create);
            }
            last = update;
            worker.execute(() -> post(update));
        } catch (RuntimeException e) {
            warn.accept("GitHub deployment reporting of run " + deployment.runId() + " failed: " + e);
        }
    }

    /** The GitHub deployment id once it was created. */
    public OptionalLong deploymentId() {
        long id = deploymentId;
        return id < 0 ? OptionalLong.empty() : OptionalLong.of(id);
    }

    private void create() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ref", deployment.commit());
        body.put("task", deployment.kind() == RunKind.ROLLBACK ? "deploy:rollback" : "deploy");
        // Slipway decides what to deploy: GitHub must neither merge into the commit nor wait for its checks
        body.put("auto_merge", false);
        body.put("required_contexts", List.of());
        body.put("environment", deployment.stage());
        body.put("production_environment", deployment.production());
        body.put("transient_environment", false);
        body.put("description", DeploymentStatus.clip("Slipway run " + deployment.runId() + " of " + deployment.app()));
        body.put("payload", Map.of("slipway_run", deployment.runId(), "app", deployment.app()));
        call("create the deployment", () -> {
            if (findExisting()) {
                return;
            }
            GithubApi.Response r = api.post("/repos/" + repository + "/deployments", body);
            if (r.status() == 201 && r.body().path("id").canConvertToLong()) {
                deploymentId = r.body().path("id").asLong();
            } else {
                giveUp("GitHub did not create a deployment for run " + deployment.runId() + " (HTTP " + r.status() + ": "
                        + r.message() + ")");
            }
        });
    }

    /** A run resumed by another process already has its deployment: keep reporting on that one. */
    private boolean findExisting() {
        GithubApi.Response r = api.get("/repos/" + repository + "/deployments?sha=" + deployment.commit() + "&environment="
                + deployment.stage() + "&per_page=100");
        if (!r.ok()) {
            return false;
        }
        for (JsonNode d : r.body()) {
            JsonNode payload = d.path("payload");
            if (payload.isTextual()) {
                payload = parse(payload.asText());
            }
            if (payload.path("slipway_run").asLong(-1) == deployment.runId() && d.path("id").canConvertToLong()) {
                deploymentId = d.path("id").asLong();
                return true;
            }
        }
        return false;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private void post(DeploymentStatus.Update update) {
        if (gaveUp || deploymentId < 0) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", update.state());
        body.put("description", update.description());
        body.put("environment", deployment.stage());
        if (deployment.logUrl() != null) {
            body.put("log_url", deployment.logUrl());
        }
        if (deployment.environmentUrl() != null) {
            body.put("environment_url", deployment.environmentUrl());
        }
        call("post status " + update.state(), () -> {
            GithubApi.Response r = api.post("/repos/" + repository + "/deployments/" + deploymentId + "/statuses", body);
            if (!r.ok()) {
                warn.accept("GitHub refused deployment status " + update.state() + " of run " + deployment.runId()
                        + " (HTTP " + r.status() + ": " + r.message() + ")");
            }
        });
    }

    private void call(String what, Runnable action) {
        if (gaveUp) {
            return;
        }
        try {
            action.run();
        } catch (GithubException e) {
            giveUp("GitHub deployment reporting of run " + deployment.runId() + " stopped: could not " + what + ": "
                    + e.getMessage() + ". The deploy goes on without it.");
        } catch (RuntimeException e) {
            giveUp("GitHub deployment reporting of run " + deployment.runId() + " stopped: could not " + what + ": " + e);
        }
    }

    private void giveUp(String message) {
        gaveUp = true;
        warn.accept(message);
    }

    /** Waits up to the close wait for queued updates to be sent, then abandons the rest. Never throws. */
    @Override
    public void close() {
        synchronized (this) {
            worker.shutdown();
        }
        try {
            if (!worker.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS)) {
                int left = worker.shutdownNow().size();
                warn.accept("GitHub deployment reporting of run " + deployment.runId() + " did not finish within "
                        + closeWait.toSeconds() + "s; abandoned " + left + " queued update(s)");
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
