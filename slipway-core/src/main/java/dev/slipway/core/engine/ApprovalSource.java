package dev.slipway.core.engine;

import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.spec.StageSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Approvals given outside Slipway, asked before a run of a stage with {@code approvals} is queued (in GitHub Actions: the
 * reviews of the job's environment). When a source has a say, its approvals alone must meet the stage's
 * {@code approvals} under the rules of {@code slipway approve}; they are journaled as the run's approvals and the run
 * does not wait at the gate. When they fall short, the run is refused before it is queued, so nothing is built or
 * changed. Providers implement it; core only applies the rules.
 */
public interface ApprovalSource {
    /** Has no say anywhere: every gated run waits for {@code slipway approve}. */
    ApprovalSource NONE = (request, stage) -> Optional.empty();

    /**
     * What this source says about {@code request}, a deploy or rollback of {@code stage}; empty when it has no say (not
     * in GitHub Actions), and the gate then works as without it. Throws a
     * {@link dev.slipway.core.SlipwayException} naming what is missing when it should have a say but cannot tell (no
     * token, a token without permission, no review history).
     */
    Optional<Given> approvals(RunRequest request, StageSpec stage);

    /**
     * What a source read.
     *
     * @param scheme     prefix of the approver names journaled: {@code github} makes {@code github:alice}
     * @param where      what was read, for messages, e.g. "environment production of GitHub Actions run 42"
     * @param approvals  the approvals read, oldest first; one person may appear more than once
     * @param requesters logins of who started the work (pushed, re-ran): they count only when the stage allows self-approval
     * @param hint       what to check when no approval counted at all (e.g. the job is not bound to the environment)
     */
    record Given(String scheme, String where, List<Approval> approvals, Set<String> requesters, String hint) {
        public Given {
            approvals = List.copyOf(approvals);
            requesters = Set.copyOf(requesters);
        }
    }

    /**
     * One approval.
     *
     * @param login who approved, without the scheme
     * @param at    when, as well as the source can tell (GitHub's review history has no time: when it was read)
     */
    record Approval(String login, Instant at) {
    }
}
