package dev.slipway.core.target;

import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
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
     * This run's id made unique across journals ({@code <runId>.<journal key>}): run ids restart in a new or lost
     * journal, so names and labels a target leaves behind on the stage (containers, snapshots) should use this key
     * wherever a leftover of an older journal with the same run id must not be taken for this run's.
     */
    default String runKey() {
        return String.valueOf(runId());
    }

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

    /** A release as journaled by a successful run. */
    record Release(long runId, String commit, Outputs build, Outputs deploy) {
    }
}
