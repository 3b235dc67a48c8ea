package dev.slipway.github;

import dev.slipway.core.engine.Backoff;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.github.GithubSettings.ProtectionPolicy;
import java.time.Duration;

/**
 * Decides, before a deploy starts, whether a production stage may be deployed: with a token at hand it runs
 * {@link ProtectionCheck} and refuses when a rule does not hold or cannot be read, unless
 * {@link ProtectionPolicy} says otherwise. A GitHub outage does not block the deploy.
 */
public final class ProductionGate {
    // a deploy waits for this check, so it gives up sooner than reporting does
    private static final Backoff RETRIES = new Backoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(2), 3);
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    /**
     * The gate's answer.
     *
     * @param allowed whether the deploy may start
     * @param message one line for the user (with the table when the check ran and did not pass)
     * @param report  the check's report, or null when it did not run
     */
    public record Decision(boolean allowed, String message, CheckReport report) {
    }

    private ProductionGate() {
    }

    /** {@code api} may be null when {@code settings} hold no token. */
    public static Decision decide(StageSpec stage, GithubSettings settings, GithubApi api) {
        if (!stage.production()) {
            return new Decision(true, "stage " + stage.name() + " is not production: no protection check", null);
        }
        if (settings.protection() == ProtectionPolicy.OFF) {
            return new Decision(true, "GitHub protection check is off (SLIPWAY_GITHUB_PROTECTION=off)", null);
        }
        if (!settings.usable() || api == null) {
            return new Decision(true, "no GitHub token or repository: protection of " + stage.name() + " not checked", null);
        }
        CheckReport report = ProtectionCheck.run(api.withRetries(RETRIES, MAX_WAIT), settings.repository(),
                ProtectionCheck.Target.of(stage), false);
        if (report.passed()) {
            return new Decision(true, "GitHub protection of " + stage.name() + " checked: passed", report);
        }
        if (!report.anyFailed() && report.githubUnavailable()) {
            return new Decision(true, "warning: GitHub could not be reached; protection of " + stage.name()
                    + " was not verified. Deploying anyway.\n" + report.render(), report);
        }
        if (settings.protection() == ProtectionPolicy.WARN) {
            return new Decision(true, report.render() + "warning: deploying " + stage.name()
                    + " anyway (SLIPWAY_GITHUB_PROTECTION=warn)", report);
        }
        return new Decision(false, report.render() + "refused: " + stage.name() + " is not protected as it must be. Fix "
                + "the rows above (`slipway github check --fix` sets the environment ones), or set "
                + "SLIPWAY_GITHUB_PROTECTION=warn to deploy anyway.", report);
    }
}
