package dev.slipway.github;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code slipway init github}: writes the workflows of {@link WorkflowGenerator} into the project and prints what
 * the user must still set up in GitHub (and AWS). It writes nothing else: the workflows install Slipway through its
 * GitHub Action. Writes nothing when a file it would replace was changed by
 * someone, unless forced.
 */
public final class InitGithub {
    private InitGithub() {
    }

    /** Returns the exit code: 0 when written (or already up to date), 2 when refused or the config is unusable. */
    public static int run(Path projectDir, SlipwaySpec spec, SlipwayAction action, boolean force, PrintStream out) {
        Map<Path, String> files;
        try {
            files = WorkflowGenerator.generate(spec, action);
        } catch (SlipwayException e) {
            out.println("error: " + e.getMessage());
            return e.exitCode();
        }
        Map<Path, GeneratedFile.State> states = new LinkedHashMap<>();
        files.forEach((rel, content) -> states.put(rel, GeneratedFile.classify(read(projectDir.resolve(rel)), content)));
        List<Path> changed = states.entrySet().stream().filter(e -> e.getValue() == GeneratedFile.State.CHANGED)
                .map(Map.Entry::getKey).toList();
        if (!changed.isEmpty() && !force) {
            changed.forEach(p -> out.println("refused: " + p + " differs from what Slipway wrote (edited, or not Slipway's)"));
            out.println("Nothing was written. Move your changes into slipway.yml, or run `slipway init github --force` "
                    + "to replace " + (changed.size() == 1 ? "it" : "them") + ".");
            return ErrorCode.BAD_USAGE.exitCode();
        }
        files.forEach((rel, content) -> write(projectDir.resolve(rel), content, rel, states.get(rel), out));
        out.println();
        out.println("Still to do in GitHub before the first deploy:");
        List<String> todo = todo(spec, action);
        for (int i = 0; i < todo.size(); i++) {
            out.println("  " + (i + 1) + ". " + todo.get(i));
        }
        out.println("See docs/github.md for each step.");
        return 0;
    }

    private static void write(Path file, String content, Path rel, GeneratedFile.State state, PrintStream out) {
        switch (state) {
            case IDENTICAL -> out.println("unchanged: " + rel);
            case ABSENT, STALE, CHANGED -> {
                try {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, content);
                } catch (IOException e) {
                    throw new SlipwayException(ErrorCode.BAD_USAGE, "cannot write " + file + ": " + e.getMessage(), e);
                }
                out.println(switch (state) {
                    case ABSENT -> "wrote: ";
                    case STALE -> "updated: ";
                    default -> "overwrote (--force): ";
                } + rel);
            }
        }
    }

    /** What the user must still configure, in the order a first deploy needs it. */
    static List<String> todo(SlipwaySpec spec, SlipwayAction action) {
        List<String> todo = new ArrayList<>();
        if (action.snapshot()) {
            todo.add("This Slipway is a development build (" + action.version() + "): no release v" + action.version()
                    + " is published, so the workflows cannot install it. Run `slipway init github` again with a released "
                    + "Slipway before pushing.");
        }
        if (spec.state().url() == null) {
            todo.add("Add the repository secret SLIPWAY_STATE_URL (jdbc:postgresql://HOST:PORT/DB?user=U&password=P): "
                    + "runners are discarded after each job, so the default SQLite journal would forget every release.");
        }
        Set<String> secrets = SecretNames.of(spec, List.copyOf(spec.stages().values()));
        if (!secrets.isEmpty()) {
            todo.add("Add the secrets slipway.yml references: " + String.join(", ", secrets)
                    + " (a production stage's ones as secrets of its environment).");
        }
        for (StageSpec stage : spec.stages().values()) {
            if (stage.production()) {
                production(stage, todo);
            } else if (stage.approvals().gated()) {
                todo.add("Create the environment " + stage.name() + " (Settings > Environments) with required reviewers:"
                        + " in GitHub Actions their reviews are the " + stage.approvals().required() + " approval(s) "
                        + stage.name() + " needs.");
            }
            if (stage.target().equals("ecs")) {
                todo.add(oidc(stage));
            }
        }
        List<String> local = spec.stages().values().stream().filter(s -> s.target().equals("local")).map(StageSpec::name).toList();
        if (!local.isEmpty()) {
            todo.add("The local target deploys onto the machine that runs the job (stages " + String.join(", ", local)
                    + "): set the repository variable SLIPWAY_RUNS_ON to the label of your self-hosted runner.");
        }
        todo.add("Commit .github/workflows/ and push: " + String.join(", ", spec.stages().values().stream()
                .map(s -> "a push to " + s.branch() + " deploys " + s.name()).toList()) + ".");
        return todo;
    }

    private static void production(StageSpec stage, List<String> todo) {
        todo.add("Protect branch " + stage.branch() + " (Settings > Branches): require a pull request with at least one "
                + "approval, and do not allow administrators to bypass it.");
        todo.add("Create the environment " + stage.name() + " (Settings > Environments): add required reviewers, "
                + "enable \"Prevent self-review\", and allow deployments from the branch " + stage.branch()
                + " only. `slipway github check --fix` sets the last two.");
        todo.add("Add the secret SLIPWAY_GITHUB_TOKEN: a fine-grained token for this repository with read access to "
                + "Administration and Environments and write access to Deployments. Without it the job's GITHUB_TOKEN "
                + "cannot read branch protection and a " + stage.name() + " deploy refuses to start (set the repository "
                + "variable SLIPWAY_GITHUB_PROTECTION=warn to deploy anyway).");
    }

    private static String oidc(StageSpec stage) {
        String subject = WorkflowGenerator.reviewed(stage) ? "repo:OWNER/REPO:environment:" + stage.name()
                : "repo:OWNER/REPO:ref:refs/heads/" + stage.branch();
        return "AWS: add the OIDC identity provider token.actions.githubusercontent.com (audience sts.amazonaws.com) and "
                + "let it assume " + stage.ecs().roleArn() + " when token.actions.githubusercontent.com:sub is "
                + subject + ".";
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
