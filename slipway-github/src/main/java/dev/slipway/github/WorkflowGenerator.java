package dev.slipway.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the GitHub Actions workflows that run Slipway: one file per stage,
 * {@code .github/workflows/slipway-STAGE.yml}, run by a push to the stage's branch. Each stage has its own
 * concurrency group that queues runs; the job of a production stage or a stage with approvals is bound to the GitHub
 * environment of the same name so that the environment's required reviewers hold it, and may read the run's reviews
 * ({@code actions: read}), which are then the stage's approvals; an ecs stage gets AWS credentials through OIDC. The
 * deploy step is the Slipway GitHub Action ({@link SlipwayAction}) at the running Slipway's version.
 */
public final class WorkflowGenerator {
    /** Where the workflows go, relative to the project (repository) directory. */
    public static final Path DIRECTORY = Path.of(".github", "workflows");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

    private WorkflowGenerator() {
    }

    /**
     * The workflow files for every stage of {@code spec}, by path relative to the project directory, with the
     * header that lets {@link InitGithub} detect later edits. Throws a {@link SlipwayException} (BAD_CONFIG) when an
     * ecs stage names no {@code ecs.role-arn}.
     */
    public static Map<Path, String> generate(SlipwaySpec spec, SlipwayAction action) {
        Map<Path, String> files = new LinkedHashMap<>();
        for (StageSpec stage : spec.stages().values()) {
            files.put(path(stage), GeneratedFile.withHeader(yaml(workflow(spec, stage, action))));
        }
        return files;
    }

    /** The file that deploys {@code stage}. */
    public static Path path(StageSpec stage) {
        return DIRECTORY.resolve("slipway-" + stage.name() + ".yml");
    }

    /**
     * Whether the stage's job is bound to the GitHub environment named like the stage: a production stage, or any stage
     * with {@code approvals}, whose approvals in Actions are that environment's reviews ({@link ActionsApprovals}).
     */
    public static boolean reviewed(StageSpec stage) {
        return stage.production() || stage.approvals().gated();
    }

    static Map<String, Object> workflow(SlipwaySpec spec, StageSpec stage, SlipwayAction action) {
        boolean ecs = stage.target().equals("ecs");
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("name", "slipway: deploy " + stage.name());
        Map<String, Object> on = new LinkedHashMap<>();
        on.put("push", Map.of("branches", List.of(stage.branch())));
        on.put("workflow_dispatch", Map.of());
        w.put("on", on);
        Map<String, Object> permissions = new LinkedHashMap<>();
        permissions.put("contents", "read");
        permissions.put("deployments", "write");
        if (reviewed(stage)) {
            // Slipway reads the run's review history to count the environment's approvals
            permissions.put("actions", "read");
        }
        if (ecs) {
            permissions.put("id-token", "write");
        }
        w.put("permissions", permissions);
        Map<String, Object> concurrency = new LinkedHashMap<>();
        concurrency.put("group", "slipway-" + stage.name());
        concurrency.put("cancel-in-progress", false);
        // the default ("single") cancels a pending run when a newer one arrives; Slipway itself collapses queued commits
        concurrency.put("queue", "max");
        w.put("concurrency", concurrency);
        w.put("jobs", Map.of("deploy", job(spec, stage, ecs, action)));
        return w;
    }

    private static Map<String, Object> job(SlipwaySpec spec, StageSpec stage, boolean ecs, SlipwayAction action) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", "deploy " + stage.name());
        // workflow_dispatch may be started from any branch; only the stage's own branch deploys it
        job.put("if", "github.ref == 'refs/heads/" + stage.branch().replace("'", "''") + "'");
        // a local target deploys onto the runner itself, which only makes sense on a self-hosted one
        job.put("runs-on", ecs ? "ubuntu-latest" : "${{ vars.SLIPWAY_RUNS_ON || 'ubuntu-latest' }}");
        if (reviewed(stage)) {
            Map<String, Object> environment = new LinkedHashMap<>();
            environment.put("name", stage.name());
            // Slipway reports the deployment itself; the environment is there for its reviewers and branch policy
            environment.put("deployment", false);
            job.put("environment", environment);
        }
        job.put("steps", steps(spec, stage, ecs, action));
        return job;
    }

    private static List<Map<String, Object>> steps(SlipwaySpec spec, StageSpec stage, boolean ecs, SlipwayAction action) {
        List<Map<String, Object>> steps = new java.util.ArrayList<>();
        steps.add(step("Check out", "actions/checkout@v4", Map.of()));
        if (ecs) {
            steps.add(step("AWS credentials (OIDC)", "aws-actions/configure-aws-credentials@v4", aws(stage)));
        }
        // the action sets up Java, installs this very Slipway version (checksum-verified) and runs the deploy
        Map<String, Object> with = new LinkedHashMap<>();
        with.put("version", action.version());
        with.put("stage", stage.name());
        with.put("commit", "${{ github.sha }}");
        Map<String, Object> deploy = step("slipway deploy " + stage.name(), action.uses(), with);
        deploy.put("env", env(spec, stage));
        steps.add(deploy);
        return steps;
    }

    private static Map<String, Object> aws(StageSpec stage) {
        if (stage.ecs() == null || stage.ecs().roleArn() == null || stage.ecs().roleArn().isBlank()) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, "stages." + stage.name() + ".ecs.role-arn: is required by "
                    + "`slipway init github` for an ecs stage: name the IAM role GitHub Actions assumes through OIDC");
        }
        Map<String, Object> with = new LinkedHashMap<>();
        with.put("role-to-assume", stage.ecs().roleArn());
        with.put("aws-region", stage.ecs().region());
        with.put("role-session-name", "slipway-" + stage.name() + "-${{ github.run_id }}");
        return with;
    }

    private static Map<String, Object> env(SlipwaySpec spec, StageSpec stage) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}");
        env.put("SLIPWAY_GITHUB_TOKEN", "${{ secrets.SLIPWAY_GITHUB_TOKEN }}");
        env.put("SLIPWAY_GITHUB_PROTECTION", "${{ vars.SLIPWAY_GITHUB_PROTECTION }}");
        if (spec.state().url() == null) {
            // runners are thrown away after each job: the journal must live elsewhere
            env.put("SLIPWAY_STATE_URL", "${{ secrets.SLIPWAY_STATE_URL }}");
        }
        for (String name : SecretNames.of(spec, List.of(stage))) {
            env.put(name, "${{ secrets." + name + " }}");
        }
        return env;
    }

    private static Map<String, Object> step(String name, String uses, Map<String, Object> with) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("uses", uses);
        if (!with.isEmpty()) {
            s.put("with", with);
        }
        return s;
    }

    private static String yaml(Map<String, Object> tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a workflow as YAML (bug)", e);
        }
    }
}
