package dev.slipway.core.target;

import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.spec.Strategy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a target step may use. A step must be idempotent under {@link #runId()}: a resumed run calls a step
 * again when it started but did not journal its success, so the step should find and reuse what an earlier attempt
 * made (containers labelled with the run, a snapshot named after it) instead of making it twice.
 */
public interface StepContext {
    long runId();

    /**
     * This run's identity, unique across journals and machines (26 lower-case characters, see
     * {@link dev.slipway.core.journal.RunKeys}). Run numbers restart in a new or lost journal; keys never repeat. Every
     * name, label and tag a target leaves behind (containers, snapshots, tasks) must carry it, and a step may adopt
     * work of an earlier attempt only when that work carries this key.
     */
    String runKey();

    /** The key of the journal this run lives in: tells the stage's containers of another journal from this one's. */
    String journalKey();

    /** Where that journal lives, without credentials ({@code sqlite:/abs/path} or {@code postgresql://host:port/db}). */
    String journalLocation();

    /**
     * The directory that holds {@link SlipwaySpec#baseDir()} as of {@link #commit()}: the commit's tree, taken from
     * git objects, never from whatever the checkout of the driving process holds. Build contexts resolve against it.
     */
    java.nio.file.Path sourceDir();

    /** An image reference with digest to deploy instead of building ({@code slipway deploy --image}). */
    Optional<String> requestedImage();

    /**
     * The outputs of the newest successful build of this app and commit by a stage of the same target type, if any: one
     * image per commit, so build should reuse it when the image is still there (and build only when it is gone).
     */
    Optional<Outputs> earlierBuild();

    SlipwaySpec spec();

    StageSpec stage();

    /** The commit being deployed (full SHA or whatever the requester named). */
    String commit();

    StepName step();

    /** 1 for the first attempt, higher when the engine retries a transient failure. */
    int attempt();

    /** Outputs of a step of this run that already succeeded (possibly in an earlier, crashed process). */
    Optional<Outputs> outputsOf(StepName step);

    /** The release that was live before this run, from the last successful run of the stage, if there was one. */
    Optional<Release> previousRelease();

    /** Appends a line to the run log; known secret values are masked before it is stored or shown. */
    void log(String line);

    /** Resolves a config value's {@code ${env:NAME}} references; the result must not be logged or returned as output. */
    String resolve(ConfigValue value, String path);

    /**
     * The environment the app gets on this stage, resolved (see {@link dev.slipway.core.spec.AppEnvironment}): {@code STAGE}, {@code APP_VERSION}, {@code DATABASE_URL},
     * {@code DATABASE_USER}, {@code DATABASE_PASSWORD}, {@code REDIS_URL} where configured, then the stage's variables.
     */
    Map<String, String> appEnvironment();

    /** When this step must have finished; waits should stop and fail at this instant. */
    Instant deadline();

    Clock clock();

    /**
     * How this run replaces the old release: {@link Strategy#ONLINE} or {@link Strategy#STOP_FIRST} (never AUTO), as the
     * {@link StepName#CLASSIFY} step chose it, or as the {@link StepName#PREFLIGHT} step changed it (the engine adds
     * {@code strategy} to the preflight's outputs); stop-first until classified, and for rollbacks.
     */
    default Strategy strategy() {
        return outputsOf(StepName.PREFLIGHT).flatMap(o -> o.get("strategy"))
                .or(() -> outputsOf(StepName.CLASSIFY).flatMap(o -> o.get("strategy"))).flatMap(Strategy::fromId)
                .filter(s -> s != Strategy.AUTO).orElse(Strategy.STOP_FIRST);
    }

    /** A release as journaled by a successful run; {@code runKey} is what the release's containers and tasks carry. */
    record Release(long runId, String runKey, String commit, Outputs build, Outputs deploy) {
    }
}
