package dev.slipway.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.engine.ApprovalSource;
import dev.slipway.core.engine.Backoff;
import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.spec.StageSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * In GitHub Actions ({@code GITHUB_RUN_ID} set), the reviews of the job's environment are a gated stage's approvals: the
 * workflow run's review history ({@code GET …/actions/runs/{id}/approvals}) gives who approved the environment named
 * like the stage, and the run itself ({@code GET …/actions/runs/{id}}) who pushed ({@code actor}) and who started this
 * attempt ({@code triggering_actor}). Outside Actions it has no say. Whatever it cannot read refuses the deploy: a run
 * that was meant to be reviewed in GitHub never waits on a runner for {@code slipway approve}.
 */
public final class ActionsApprovals implements ApprovalSource {
    // asked before a deploy is queued, so it gives up sooner than reporting does
    private static final Backoff RETRIES = new Backoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(2), 3);
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private final GithubApi api;
    private final String repository;
    private final String runId;
    private final Clock clock;

    /** {@code api} is null when there is no token; {@code runId} null outside Actions. */
    ActionsApprovals(GithubApi api, String repository, String runId, Clock clock) {
        this.api = api;
        this.repository = repository;
        this.runId = runId;
        this.clock = clock;
    }

    /**
     * From the environment Actions sets: {@code GITHUB_RUN_ID}, {@code GITHUB_REPOSITORY}, the API URL of
     * {@code settings} ({@code GITHUB_API_URL} on Enterprise Server), and the job's own {@code GITHUB_TOKEN} (the
     * workflow grants it {@code actions: read}), else the token of {@code settings}.
     */
    public static ApprovalSource fromEnv(UnaryOperator<String> env, GithubSettings settings) {
        String runId = blankToNull(env.apply("GITHUB_RUN_ID"));
        if (runId == null) {
            return ApprovalSource.NONE;
        }
        if (!runId.matches("[0-9]{1,19}")) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, "GITHUB_RUN_ID '" + runId.substring(0, Math.min(40, runId.length()))
                    + "' is not a workflow run id (digits)");
        }
        String jobToken = blankToNull(env.apply("GITHUB_TOKEN"));
        GithubSettings s = jobToken == null ? settings : settings.withToken(jobToken);
        GithubApi api = s.token() == null ? null : GithubApi.create(s).withRetries(RETRIES, MAX_WAIT);
        return new ActionsApprovals(api, s.repository(), runId, Clock.systemUTC());
    }

    @Override
    public Optional<Given> approvals(RunRequest request, StageSpec stage) {
        if (runId == null) {
            return Optional.empty();
        }
        String where = "environment " + stage.name() + " of GitHub Actions run " + runId;
        if (api == null || repository == null) {
            throw refused(stage, "GitHub Actions run " + runId + " has no " + (api == null ? "GITHUB_TOKEN" : "GITHUB_REPOSITORY")
                    + " to read the approvals of " + where + " with");
        }
        JsonNode run = read(stage, "", "workflow run");
        JsonNode history = read(stage, "/approvals", "review history");
        if (!history.isArray()) {
            throw refused(stage, "GitHub gave no review history for " + where);
        }
        Set<String> requesters = new LinkedHashSet<>();
        for (String who : List.of("actor", "triggering_actor")) {
            String login = run.path(who).path("login").asText("");
            if (!login.isEmpty()) {
                requesters.add(login);
            }
        }
        List<Approval> approved = new ArrayList<>();
        for (JsonNode review : history) {
            if (review.path("state").asText("").equals("approved") && ofEnvironment(review, stage.name())) {
                approved.add(new Approval(review.path("user").path("login").asText("unknown"), clock.instant()));
            }
        }
        return Optional.of(new Given("github", where, approved, requesters, "No approval of environment " + stage.name()
                + " is in this run's review history: bind the job to it (`environment: " + stage.name() + "` in "
                + WorkflowGenerator.path(stage) + "; `slipway init github` writes it) and give the environment required"
                + " reviewers (`slipway github check` tells)"));
    }

    /** GitHub's environment names are not case-sensitive. */
    private static boolean ofEnvironment(JsonNode review, String environment) {
        for (JsonNode e : review.path("environments")) {
            if (e.path("name").asText("").equalsIgnoreCase(environment)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode read(StageSpec stage, String suffix, String what) {
        String path = "/repos/" + repository + "/actions/runs/" + runId + suffix;
        GithubApi.Response r;
        try {
            r = api.get(path);
        } catch (GithubException e) {
            throw new SlipwayException(ErrorCode.RUN_FAILED, "could not read the " + what + " of GitHub Actions run " + runId
                    + " to count the approvals of stage " + stage.name() + ": " + e.getMessage()
                    + ". Nothing was built or changed; re-run the job", e);
        }
        if (r.status() == 403 || r.status() == 401) {
            throw refused(stage, "GitHub refused to show the " + what + " of Actions run " + runId + " (HTTP " + r.status() + ": "
                    + r.message() + "): the job's GITHUB_TOKEN needs the `actions: read` permission (`permissions:` in "
                    + WorkflowGenerator.path(stage) + "; `slipway init github` writes it)");
        }
        if (!r.ok()) {
            throw refused(stage, "GitHub has no " + what + " for Actions run " + runId + " in " + repository + " (HTTP "
                    + r.status() + ": " + r.message() + ")");
        }
        return r.body();
    }

    private static SlipwayException refused(StageSpec stage, String why) {
        return new SlipwayException(ErrorCode.BAD_CONFIG, "refused: stage " + stage.name() + " needs "
                + stage.approvals().required() + " approval(s), and in GitHub Actions they are read from GitHub: " + why
                + ". Nothing was built or changed.");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
