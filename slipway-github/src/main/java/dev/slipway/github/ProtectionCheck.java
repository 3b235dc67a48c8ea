package dev.slipway.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.spec.ApprovalsSpec;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.github.CheckReport.Row;
import dev.slipway.github.ProtectionRules.Read;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code slipway github check}: reads the repository's settings and tells whether production is really protected —
 * the production branch needs reviewed pull requests that admins cannot bypass, and the production environment has
 * required reviewers, forbids self-review and accepts deployments from the production branch only. With
 * {@code fix}, first sets what it can on the environment (self-review, branch policy); reviewers and branch
 * protection stay with a person.
 */
public final class ProtectionCheck {
    /**
     * What is checked: the GitHub environment of the production stage and the branch that deploys it.
     *
     * @param environment GitHub environment name (the production stage's name)
     * @param branch      the only branch that may deploy it
     */
    public record Target(String environment, String branch) {
        public static final Target DEFAULT = new Target("production", "prod");

        /** The first production stage of {@code spec}, else {@link #DEFAULT}. */
        public static Target of(SlipwaySpec spec) {
            return spec.stages().values().stream().filter(StageSpec::production).findFirst().map(Target::of).orElse(DEFAULT);
        }

        public static Target of(StageSpec stage) {
            return new Target(stage.name(), stage.branch());
        }
    }

    private final GithubApi api;
    private final String repo;
    private final Target target;
    private boolean unavailable;

    private ProtectionCheck(GithubApi api, String repository, Target target) {
        this.api = api;
        this.repo = "/repos/" + repository;
        this.target = target;
    }

    /** Checks environment {@code production} and branch {@code prod}. */
    public static CheckReport run(GithubApi api, String repository, boolean fix) {
        return run(api, repository, Target.DEFAULT, fix);
    }

    public static CheckReport run(GithubApi api, String repository, Target target, boolean fix) {
        return run(api, repository, target, ApprovalsSpec.NONE, fix);
    }

    /**
     * As above, with one more row when {@code approvals} has a gate: whether the environment's reviews can give the
     * approvals a deploy from GitHub Actions needs ({@link ActionsApprovals}).
     */
    public static CheckReport run(GithubApi api, String repository, Target target, ApprovalsSpec approvals, boolean fix) {
        ProtectionCheck check = new ProtectionCheck(api, repository, target);
        List<String> fixed = fix ? check.fix() : List.of();
        List<Row> rows = check.rows();
        if (approvals.gated()) {
            rows.add(ProtectionRules.approvals(target.environment(), approvals, check.readEnvironment()));
        }
        return new CheckReport(repository, rows, fixed, check.unavailable);
    }

    /** The approvals of the stage {@link Target#of(SlipwaySpec)} picks, or none. */
    public static ApprovalsSpec approvalsOf(SlipwaySpec spec) {
        return spec.stages().values().stream().filter(StageSpec::production).findFirst().map(StageSpec::approvals)
                .orElse(ApprovalsSpec.NONE);
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>(ProtectionRules.branch(target.branch(),
                read(() -> api.get(repo + "/branches/" + encode(target.branch()) + "/protection"))));
        Read environment = readEnvironment();
        rows.addAll(ProtectionRules.environment(target.environment(), target.branch(), environment, readPolicies(environment)));
        return rows;
    }

    private Read readEnvironment() {
        return read(() -> api.get(envPath()));
    }

    private Read readPolicies(Read environment) {
        if (!environment.is(200) || !environment.body().path("deployment_branch_policy").path("custom_branch_policies").asBoolean()) {
            return new Read(null, "custom branch policies are off", false);
        }
        return read(() -> api.get(envPath() + "/deployment-branch-policies?per_page=100"));
    }

    private List<String> fix() {
        Read environment = readEnvironment();
        if (!environment.is(200) && !environment.is(404)) {
            return List.of("nothing: cannot read environment " + target.environment() + ": " + environment.why());
        }
        List<String> done = new ArrayList<>();
        JsonNode env = environment.is(200) ? environment.body() : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        if (!settingsHold(env) && !put(env, done)) {
            return done;
        }
        Read policies = readPolicies(readEnvironment());
        List<String> names = new ArrayList<>();
        if (policies.is(200)) {
            policies.body().path("branch_policies").forEach(p -> names.add(p.path("name").asText()));
        }
        if (!names.contains(target.branch())) {
            Read r = read(() -> api.post(envPath() + "/deployment-branch-policies", Map.of("name", target.branch(), "type", "branch")));
            done.add(r.response() != null && r.response().ok() ? "environment " + target.environment() + ": allowed deployments from " + target.branch()
                    : "could not allow " + target.branch() + " on environment " + target.environment() + ": " + r.why());
        }
        names.stream().filter(n -> !n.equals(target.branch())).forEach(n -> done.add("not changed: environment "
                + target.environment() + " also allows '" + n + "'; remove it in Settings > Environments"));
        return done;
    }

    private static boolean settingsHold(JsonNode env) {
        JsonNode policy = env.path("deployment_branch_policy");
        return ProtectionRules.reviewersRule(env).path("prevent_self_review").asBoolean(false)
                && policy.path("custom_branch_policies").asBoolean(false) && !policy.path("protected_branches").asBoolean(true);
    }

    /** PUT replaces the environment's rules, so the reviewers and wait timer it has are sent back unchanged. */
    private boolean put(JsonNode env, List<String> done) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (JsonNode rule : env.path("protection_rules")) {
            if (rule.path("type").asText().equals("wait_timer")) {
                body.put("wait_timer", rule.path("wait_timer").asInt());
            }
        }
        body.put("prevent_self_review", true);
        List<Map<String, Object>> reviewers = new ArrayList<>();
        ProtectionRules.reviewersRule(env).path("reviewers").forEach(r -> reviewers.add(
                Map.of("type", r.path("type").asText(), "id", r.path("reviewer").path("id").asLong())));
        if (!reviewers.isEmpty()) {
            body.put("reviewers", reviewers);
        }
        body.put("deployment_branch_policy", Map.of("protected_branches", false, "custom_branch_policies", true));
        Read r = read(() -> api.put(envPath(), body));
        if (r.response() == null || !r.response().ok()) {
            done.add("could not update environment " + target.environment() + ": " + r.why());
            return false;
        }
        done.add("environment " + target.environment() + ": prevent self-review on, deployments from selected branches only");
        return true;
    }

    private Read read(Supplier<GithubApi.Response> call) {
        try {
            return Read.of(call.get());
        } catch (GithubException e) {
            unavailable |= e.unavailable();
            return Read.failed(e);
        }
    }

    private String envPath() {
        return repo + "/environments/" + encode(target.environment());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }
}
