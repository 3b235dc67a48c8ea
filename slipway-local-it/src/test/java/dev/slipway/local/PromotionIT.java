package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.engine.Sources;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Promotion end to end on the local target with the real hello-server image: commit A deployed to a staging stage, then
 * a stage with {@code promote-from: staging} deploys A and a merge commit with A's tree with staging's image and no
 * build, and refuses a commit staging never verified. Trees come from a real git repository. Ports 29200-29219.
 */
class PromotionIT extends EngineIt {
    private static final String APP = "promo-it";
    private static final String STAGING = "promo-staging";
    private static final String PROD = "promo-prod";

    @Test
    void promoteFrom_verifiedTreeByCommitOrMerge_deploysStagingsImageWithoutBuilding_unverifiedTreeIsRefused() throws Exception {
        removeContainers();
        Path repo = work.resolve("repo");
        String a = commit(repo, "A", "a\n");
        String other = commit(repo, "B", "b\n"); // a commit on prod's side, so the merge has two parents
        String merge = git(repo, "commit-tree", git(repo, "rev-parse", a + "^{tree}"), "-p", other, "-p", a, "-m", "merge main into prod");
        String never = commit(repo, "C", "c\n");
        SlipwaySpec spec = spec();
        try (Journal journal = Journals.open("jdbc:sqlite:" + work.resolve("state.db"), null, null);
             Engine engine = new Engine(journal, spec, s -> new LocalTargetProvider().create(spec, s),
                     EngineOptions.defaults(Duration.ofSeconds(10)).withSources(new RepoTrees(repo)))) {
            RunView staging = run(engine, journal, STAGING, a);
            assertThat(staging.state()).as(transcript(journal, staging)).isEqualTo(RunState.SUCCEEDED);
            String stagingImage = staging.step("build").orElseThrow().outputs().get("digest");

            RunView sameCommit = run(engine, journal, PROD, a);
            RunView mergeCommit = run(engine, journal, PROD, merge);

            for (RunView promoted : List.of(sameCommit, mergeCommit)) {
                assertThat(promoted.state()).as(transcript(journal, promoted)).isEqualTo(RunState.SUCCEEDED);
                assertThat(promoted.run().promotedFrom()).isEqualTo(staging.run().id());
                assertThat(promoted.events()).noneMatch(e -> "build".equals(e.step()));
                assertThat(promoted.step("promote").orElseThrow().outputs()).containsEntry("promotedFromStage", STAGING)
                        .containsEntry("promotedFromRun", Long.toString(staging.run().id())).containsEntry("promotedFromCommit", a)
                        .containsEntry("promotedDigest", stagingImage);
                assertThat(servingImages(PROD)).containsExactly(stagingImage);
            }
            assertThat(engine.currentRelease(PROD).orElseThrow().build().get("promotedFromRun"))
                    .contains(Long.toString(staging.run().id()));
            assertThat(engine.plan(PROD, merge)).anyMatch(l -> l.contains("promote " + STAGING + "'s " + stagingImage
                    + " (run " + staging.run().id() + ", commit " + a + "), no build"))
                    .anyMatch(l -> l.strip().equals("build: none; deploys " + stagingImage + " (it must be in the container engine)"))
                    .noneMatch(l -> l.strip().startsWith("build: " + APP + ":"));
            int runs = journal.runs(PROD, 100).size();

            SlipwayException refused = catchThrowableOfType(() -> engine.request(PROD, never, RunKind.DEPLOY, "it"),
                    SlipwayException.class);

            assertThat(refused).isNotNull();
            assertThat(refused.code()).isEqualTo(ErrorCode.BAD_USAGE);
            assertThat(refused.code().exitCode()).isEqualTo(2);
            assertThat(refused.getMessage()).contains("stage " + STAGING + " never verified the tree of commit " + never)
                    .contains("slipway deploy " + STAGING + " --commit " + never);
            assertThat(journal.runs(PROD, 100)).hasSize(runs);
            assertThat(servingImages(PROD)).containsExactly(stagingImage);
        } finally {
            removeContainers();
        }
    }

    private RunView run(Engine engine, Journal journal, String stage, String commit) {
        return engine.run(engine.request(stage, commit, RunKind.DEPLOY, "it").id(), RunListener.NONE);
    }

    /** The image ids of the running containers of {@code stage} (replicas, not the migration's). */
    private List<String> servingImages(String stage) {
        return docker.listContainersCmd().withLabelFilter(Map.of(Labels.APP, APP, Labels.STAGE, stage)).exec().stream()
                .filter(c -> "running".equals(c.getState())).map(c -> c.getImageId()).distinct().toList();
    }

    private void removeContainers() {
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.APP, APP)).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    }

    private SlipwaySpec spec() {
        HelloStage.prepareContexts();
        ItEnv.freshDatabase("promo_staging");
        ItEnv.freshDatabase("promo_prod");
        String yaml = """
                app: %s
                build:
                  context: v1
                  dockerfile: Containerfile
                  args: {BASE_IMAGE: "%s"}
                migrations:
                  command: [java, -jar, /app/hello-server.jar, migrate]
                  timeout: 60s
                health: {path: /healthz, port: 8080, timeout: 30s}
                timeouts: {build: 3m, snapshot: 1m, stop: 1m, deploy: 1m, compensate: 90s}
                stages:
                %s
                %s
                """.formatted(APP, ItEnv.JRE_IMAGE, stage(STAGING, "main", 29200, null), stage(PROD, "prod", 29210, STAGING));
        return new SpecLoader(Set.of("local")).parse(yaml, "promotion-it.yml", HelloStage.CONTEXTS);
    }

    private String stage(String name, String branch, int port, String promoteFrom) {
        return """
                  %s:
                    branch: %s
                    target: local
                    database: {url: "%s", user: postgres}
                    redis: {url: "redis://127.0.0.1:%d/0"}
                    local: {port: %d, stop-grace: 5s, snapshot-dir: "%s"}
                %s""".formatted(name, branch, ItEnv.jdbcUrl(name.replace('-', '_')), ItEnv.REDIS_PORT, port,
                work.resolve("snapshots-" + name), promoteFrom == null ? "" : "    promote-from: " + promoteFrom + "\n");
    }

    private static String transcript(Journal journal, RunView run) {
        StringBuilder sb = new StringBuilder("run ").append(run.run().id()).append(' ').append(run.state()).append('\n');
        run.events().forEach(e -> sb.append("  event ").append(e.type()).append(e.step() == null ? "" : " " + e.step())
                .append(' ').append(e.data()).append('\n'));
        journal.logs(run.run().id()).forEach(l -> sb.append("  log [").append(l.step()).append("] ").append(l.line()).append('\n'));
        return sb.toString();
    }

    /** A commit on top of HEAD (or the first one) holding one file {@code f} with {@code content}. */
    private static String commit(Path repo, String message, String content) throws Exception {
        if (!Files.isDirectory(repo.resolve(".git"))) {
            Files.createDirectories(repo);
            git(repo, "init", "-q");
        }
        Files.writeString(repo.resolve("f"), content);
        git(repo, "add", "f");
        git(repo, "-c", "user.name=it", "-c", "user.email=it@example.invalid", "commit", "-q", "-m", message);
        return git(repo, "rev-parse", "HEAD");
    }

    private static String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("GIT_AUTHOR_NAME", "it", "GIT_AUTHOR_EMAIL", "it@example.invalid",
                "GIT_COMMITTER_NAME", "it", "GIT_COMMITTER_EMAIL", "it@example.invalid"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** The build context is the working tree (the IT's contexts); trees are read from the test's git repository. */
    private record RepoTrees(Path repo) implements Sources {
        @Override
        public Path sourceDir(dev.slipway.core.journal.RunRecord run, SlipwaySpec spec) {
            return spec.baseDir();
        }

        @Override
        public Optional<String> tree(SlipwaySpec spec, String commit, String origin) {
            try {
                return Optional.of(git(repo, "rev-parse", "--verify", "--quiet", commit + "^{tree}"));
            } catch (IllegalStateException e) {
                return Optional.empty();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
