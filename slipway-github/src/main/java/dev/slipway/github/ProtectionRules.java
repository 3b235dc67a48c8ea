package dev.slipway.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.spec.ApprovalsSpec;
import dev.slipway.github.CheckReport.Result;
import dev.slipway.github.CheckReport.Row;
import java.util.ArrayList;
import java.util.List;

/** Judges what {@link ProtectionCheck} read from GitHub against the rules that keep production safe. */
final class ProtectionRules {
    /**
     * One read: the answer, or why there is none ({@code unavailable} when GitHub could not be reached).
     */
    record Read(GithubApi.Response response, String error, boolean unavailable) {
        static Read of(GithubApi.Response r) {
            return new Read(r, null, false);
        }

        static Read failed(GithubException e) {
            return new Read(null, e.getMessage(), e.unavailable());
        }

        boolean is(int status) {
            return response != null && response.status() == status;
        }

        JsonNode body() {
            return response.body();
        }

        String why() {
            if (response == null) {
                return error;
            }
            return "cannot read it with this token (HTTP " + response.status() + ": " + response.message()
                    + "); use a token with read access to Administration and Environments";
        }
    }

    private ProtectionRules() {
    }

    static List<Row> branch(String branch, Read protection) {
        String reviews = "branch " + branch + " requires pull-request reviews";
        String admins = "admins cannot bypass " + branch + "'s protection";
        if (protection.is(404) && notProtected(protection.body())) {
            String d = "branch " + branch + " is not protected (Settings > Branches)";
            return List.of(new Row(reviews, Result.FAIL, d), new Row(admins, Result.FAIL, d));
        }
        if (!protection.is(200)) {
            return List.of(new Row(reviews, Result.UNKNOWN, protection.why()), new Row(admins, Result.UNKNOWN, protection.why()));
        }
        JsonNode p = protection.body();
        return List.of(reviewsRow(reviews, p.path("required_pull_request_reviews")), adminsRow(admins, p));
    }

    private static boolean notProtected(JsonNode body) {
        String m = body.path("message").asText("");
        return m.equalsIgnoreCase("Branch not protected") || m.equalsIgnoreCase("Branch not found");
    }

    private static Row reviewsRow(String check, JsonNode rpr) {
        if (rpr.isMissingNode() || rpr.isNull()) {
            return new Row(check, Result.FAIL, "no pull request is required: enable \"Require a pull request before merging\"");
        }
        int count = rpr.path("required_approving_review_count").asInt(0);
        return count >= 1 ? new Row(check, Result.PASS, count + " approving review(s) required")
                : new Row(check, Result.FAIL, "pull requests need no approving review: require at least 1");
    }

    private static Row adminsRow(String check, JsonNode p) {
        if (!p.path("enforce_admins").path("enabled").asBoolean(false)) {
            return new Row(check, Result.FAIL, "administrators can bypass it: enable \"Do not allow bypassing the above settings\"");
        }
        JsonNode bypass = p.path("required_pull_request_reviews").path("bypass_pull_request_allowances");
        List<String> who = new ArrayList<>();
        bypass.path("users").forEach(u -> who.add(u.path("login").asText()));
        bypass.path("teams").forEach(t -> who.add("team " + t.path("slug").asText()));
        bypass.path("apps").forEach(a -> who.add("app " + a.path("slug").asText()));
        return who.isEmpty() ? new Row(check, Result.PASS, "enforced for administrators too")
                : new Row(check, Result.FAIL, "may skip pull requests: " + String.join(", ", who));
    }

    static List<Row> environment(String env, String branch, Read environment, Read policies) {
        String reviewers = "environment " + env + " has required reviewers";
        String self = "environment " + env + " forbids self-review";
        String only = "environment " + env + " accepts deployments from " + branch + " only";
        if (environment.is(404)) {
            String d = "environment " + env + " does not exist (Settings > Environments)";
            return List.of(new Row(reviewers, Result.FAIL, d), new Row(self, Result.FAIL, d), new Row(only, Result.FAIL, d));
        }
        if (!environment.is(200)) {
            String d = environment.why();
            return List.of(new Row(reviewers, Result.UNKNOWN, d), new Row(self, Result.UNKNOWN, d), new Row(only, Result.UNKNOWN, d));
        }
        JsonNode rule = reviewersRule(environment.body());
        List<String> names = new ArrayList<>();
        rule.path("reviewers").forEach(r -> names.add(reviewerName(r)));
        Row reviewersRow = names.isEmpty() ? new Row(reviewers, Result.FAIL, "nobody must approve: add required reviewers")
                : new Row(reviewers, Result.PASS, String.join(", ", names));
        Row selfRow = rule.path("prevent_self_review").asBoolean(false) ? new Row(self, Result.PASS, "prevent self-review is on")
                : new Row(self, Result.FAIL, "whoever pushed may approve their own deploy: enable \"Prevent self-review\"");
        return List.of(reviewersRow, selfRow, branchRow(only, branch, environment.body().path("deployment_branch_policy"), policies));
    }

    /**
     * Whether the environment's reviews can give a deploy from Actions the approvals it needs: enough reviewers that
     * count (the listed approvers, when there is a list; a team may hold any number), self-review prevented unless
     * self-approval is allowed, and no more than one approval required, since GitHub lets a job go on once one
     * reviewer approves it.
     */
    static Row approvals(String env, ApprovalsSpec approvals, Read environment) {
        String check = "environment " + env + "'s reviews give approvals.required (" + approvals.required() + ")";
        if (environment.is(404)) {
            return new Row(check, Result.FAIL, "environment " + env + " does not exist (Settings > Environments)");
        }
        if (!environment.is(200)) {
            return new Row(check, Result.UNKNOWN, environment.why());
        }
        JsonNode rule = reviewersRule(environment.body());
        List<String> users = new ArrayList<>();
        List<String> teams = new ArrayList<>();
        for (JsonNode r : rule.path("reviewers")) {
            if (r.path("type").asText().equals("Team")) {
                teams.add(reviewerName(r));
            } else if (approvals.approvers().isEmpty() || approvals.approvers().stream().anyMatch(a -> a.replaceFirst("(?i)^github:", "")
                    .equalsIgnoreCase(r.path("reviewer").path("login").asText()))) {
                users.add(reviewerName(r));
            }
        }
        if (users.isEmpty() && teams.isEmpty()) {
            return new Row(check, Result.FAIL, "no required reviewer" + (approvals.approvers().isEmpty() ? "" : " among approvals.approvers")
                    + ": a deploy from Actions is refused");
        }
        if (approvals.required() > 1) {
            return new Row(check, Result.FAIL, "GitHub lets a job go on once one reviewer approves, so a deploy from Actions"
                    + " gets 1 approval and is refused: set approvals.required to 1, or deploy this stage outside Actions");
        }
        if (!approvals.allowSelfApproval() && !rule.path("prevent_self_review").asBoolean(false)) {
            return new Row(check, Result.FAIL, "a reviewer may approve their own push, which Slipway does not count (no"
                    + " allow-self-approval), so that deploy is refused: enable \"Prevent self-review\"");
        }
        List<String> who = new ArrayList<>(users);
        who.addAll(teams);
        return new Row(check, Result.PASS, "reviewers who count: " + String.join(", ", who));
    }

    static JsonNode reviewersRule(JsonNode environment) {
        for (JsonNode r : environment.path("protection_rules")) {
            if (r.path("type").asText().equals("required_reviewers")) {
                return r;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String reviewerName(JsonNode r) {
        JsonNode who = r.path("reviewer");
        return r.path("type").asText().equals("Team") ? "team " + who.path("slug").asText(who.path("name").asText())
                : who.path("login").asText("user " + who.path("id").asText());
    }

    private static Row branchRow(String check, String branch, JsonNode policy, Read policies) {
        if (policy.isMissingNode() || policy.isNull()) {
            return new Row(check, Result.FAIL, "every branch may deploy: allow " + branch + " only");
        }
        if (policy.path("protected_branches").asBoolean(false)) {
            return new Row(check, Result.FAIL, "every protected branch may deploy: allow " + branch + " only");
        }
        if (!policies.is(200)) {
            return new Row(check, Result.UNKNOWN, "cannot list the allowed branches: " + policies.why());
        }
        List<String> allowed = new ArrayList<>();
        policies.body().path("branch_policies").forEach(p -> allowed.add(
                (p.path("type").asText("branch").equals("tag") ? "tag " : "") + p.path("name").asText()));
        if (allowed.equals(List.of(branch))) {
            return new Row(check, Result.PASS, "only " + branch + " may deploy");
        }
        return new Row(check, Result.FAIL, allowed.isEmpty() ? "no branch is allowed: allow " + branch
                : "allowed: " + String.join(", ", allowed) + "; allow " + branch + " only");
    }
}
