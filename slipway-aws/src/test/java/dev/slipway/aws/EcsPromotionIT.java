package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.engine.Sources;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecException;
import dev.slipway.core.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ecr.model.ImageDetail;

/**
 * {@code promote-from} on the ecs target: two stages in one slipway.yml, one ECR repository (moto's), each its own
 * service in the cluster. Staging builds and pushes commit A (the {@link FakeImageEngine}: moto's ECR has no registry
 * API, and promotion is about which digest goes where, not about image bytes); prod then deploys A, and a merge commit
 * with A's tree, on staging's digest with a {@code promote} step and no build; a commit staging never verified is
 * refused with exit 2 before anything is queued. Trees come from a real git repository.
 */
class EcsPromotionIT {
    static final String STAGING = EcsWorld.STAGE;
    static final String PROD = "prod";
    static final String PROD_SERVICE = "hello-prod";
    @TempDir
    Path dir;
    EcsWorld world;
    Path repo;
    final FakeImageEngine images = new FakeImageEngine();

    @BeforeEach
    void setUp() throws Exception {
        world = EcsWorld.create(dir);
        world.createService(PROD_SERVICE);
        Files.writeString(dir.resolve("task-prod.json"), Files.readString(dir.resolve("task.json"))
                .replace("\"family\": \"hello\"", "\"family\": \"hello-prod\""));
        repo = dir.resolve("repo");
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void promoteFrom_verifiedTreeByCommitOrMerge_deploysStagingsDigestWithoutBuilding_unverifiedTreeIsRefused() throws Exception {
        String a = commit("A " + System.nanoTime());
        String other = commit("B " + System.nanoTime()); // prod's side, so the merge has two parents
        String merge = git("commit-tree", git("rev-parse", a + "^{tree}"), "-p", other, "-p", a, "-m", "merge main into prod");
        String never = commit("C " + System.nanoTime());
        SlipwaySpec spec = spec("hello");
        Path state = dir.resolve("state.db");
        try (Journal journal = Journals.open("jdbc:sqlite:" + state, null, null);
             Engine engine = new Engine(journal, spec, stage -> target(spec, stage.name()),
                     EngineOptions.defaults(Duration.ofSeconds(5)).withSources(new RepoTrees(repo)))) {
            RunView staging = run(engine, STAGING, a);
            assertThat(staging.state()).as(staging.reason()).isEqualTo(RunState.SUCCEEDED);
            String digest = staging.step("build").orElseThrow().outputs().get("digest");
            String image = world.repositoryUri() + "@" + digest;
            assertThat(staging.step("build").orElseThrow().outputs()).containsEntry("imageFrom", "built");
            String stagingRevision = world.service().taskDefinition();

            RunView sameCommit = run(engine, PROD, a);
            assertPromoted(journal, sameCommit, staging, a, image);
            RunView mergeCommit = run(engine, PROD, merge);
            assertPromoted(journal, mergeCommit, staging, a, image);

            assertThat(mergeCommit.run().commit()).isEqualTo(merge);
            assertThat(images.built).as("staging's build only").hasSize(1);
            assertThat(images.pushed).hasSize(1);
            assertThat(repositoryImages()).extracting(ImageDetail::imageDigest).containsExactly(digest);
            assertThat(world.service().taskDefinition()).as("staging untouched").isEqualTo(stagingRevision);
            assertThat(engine.currentRelease(PROD).orElseThrow().build().get("promotedFromRun"))
                    .contains(Long.toString(staging.run().id()));
            assertThat(engine.plan(PROD, merge)).anyMatch(l -> l.contains("promote " + STAGING + "'s " + digest
                    + " (run " + staging.run().id() + ", commit " + a + "), no build"));

            int prodRuns = journal.runs(PROD, 100).size();
            String prodRevision = world.service(PROD_SERVICE).taskDefinition();
            List<String> revisions = world.admin.ecs().listTaskDefinitions().taskDefinitionArns();

            SlipwayException refused = catchThrowableOfType(() -> engine.request(PROD, never, RunKind.DEPLOY, "it"),
                    SlipwayException.class);

            assertThat(refused).isNotNull();
            assertThat(refused.code()).isEqualTo(ErrorCode.BAD_USAGE);
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.getMessage()).contains("stage " + STAGING + " never verified the tree of commit " + never)
                    .contains("slipway deploy " + STAGING + " --commit " + never);
            assertThat(journal.runs(PROD, 100)).as("nothing queued").hasSize(prodRuns);
            assertThat(world.service(PROD_SERVICE).taskDefinition()).isEqualTo(prodRevision);
            assertThat(world.admin.ecs().listTaskDefinitions().taskDefinitionArns()).isEqualTo(revisions);
            assertThat(images.built).hasSize(1);

            world.admin.ecr().batchDeleteImage(b -> b.repositoryName("hello").imageIds(i -> i.imageDigest(digest)));

            RunView gone = run(engine, PROD, a);

            assertThat(gone.state()).as(gone.reason()).isEqualTo(RunState.FAILED);
            assertThat(gone.reason()).contains("the image to promote, " + image + ", is no longer in repository "
                    + world.repositoryUri(), "deploy commit " + a + " to the source stage again", "nothing on stage prod was changed");
            assertThat(gone.step("stop-old")).isEmpty();
            assertThat(world.service(PROD_SERVICE).taskDefinition()).isEqualTo(prodRevision);
            assertThat(images.built).as("a promoting stage never builds").hasSize(1);
        }
    }

    /**
     * Slipway copies no image on promotion, so a promoting stage whose images are in another repository is refused by
     * validation (exit 2), before any deploy: another ecr-repository name, or the same name in another region or on
     * another registry. (Not refused, another region would queue the run and fail its promote step, after creating the
     * repository in that region.)
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hello-prod | us-east-1 |                | stage staging keeps its images in ECR repository hello and this one in hello-prod",
            "hello      | us-west-2 |                | this one in ECR repository hello (region us-west-2, endpoint ",
            "hello      | us-east-1 | 127.0.0.1:5000 | this one in repository 127.0.0.1:5000/hello: the same ecs.ecr-repository name"})
    void promoteFrom_stageWithImagesInAnotherRepository_isRefusedByValidation(String repository, String region, String registry,
                                                                               String why) {
        SpecException e = catchThrowableOfType(() -> spec(repository, region, registry), SpecException.class);

        assertThat(e).as("refused by validation").isNotNull();
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("stages." + PROD + ".promote-from: ")
                .contains(why, "Slipway copies no image"));
    }

    /** {@code promoted} deployed staging's image of commit {@code a} with a promote step, and prod runs it now. */
    private void assertPromoted(Journal journal, RunView promoted, RunView staging, String a, String image) {
        String digest = image.substring(image.indexOf('@') + 1);
        assertThat(promoted.state()).as(promoted.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(promoted.run().promotedFrom()).isEqualTo(staging.run().id());
        assertThat(promoted.events()).noneMatch(e -> "build".equals(e.step()));
        Map<String, String> promote = promoted.step("promote").orElseThrow().outputs();
        assertThat(promote).containsEntry("promotedFromStage", STAGING)
                .containsEntry("promotedFromRun", Long.toString(staging.run().id())).containsEntry("promotedFromCommit", a)
                .containsEntry("promotedDigest", digest).containsEntry("digest", digest).containsEntry("image", image)
                .containsEntry("imageFrom", "requested");
        assertThat(logs(journal, promoted.run().id())).contains("[promote] promoting " + STAGING + "'s " + digest + " (run "
                + staging.run().id() + ", commit " + a + ", verified there); nothing is built");
        String revision = world.service(PROD_SERVICE).taskDefinition();
        assertThat(revision).as("the promote step's revision").isEqualTo(promote.get("taskDefinition"))
                .contains(":task-definition/hello-prod:");
        var app = world.taskDefinition(revision).containerDefinitions().get(0);
        assertThat(app.image()).isEqualTo(image);
        assertThat(app.environment()).extracting(e -> e.name() + "=" + e.value())
                .contains("APP_VERSION=" + promoted.run().commit(), "STAGE=" + PROD);
    }

    private EcsTarget target(SlipwaySpec spec, String stage) {
        var ecs = spec.stage(stage).orElseThrow().ecs();
        AwsClients aws = AwsClients.create(ecs, EcsWorld.CREDENTIALS);
        if (stage.equals(STAGING)) {
            images.pushInto(aws.ecr());
        }
        return new EcsTarget(EcsSettings.of(ecs), aws, () -> images);
    }

    private static RunView run(Engine engine, String stage, String commit) {
        return engine.run(engine.request(stage, commit, RunKind.DEPLOY, "it").id(), RunListener.NONE);
    }

    private static List<String> logs(Journal journal, long runId) {
        return journal.logs(runId).stream().map(l -> "[" + l.step() + "] " + l.line()).toList();
    }

    private List<ImageDetail> repositoryImages() {
        return world.admin.ecr().describeImages(b -> b.repositoryName("hello")).imageDetails();
    }

    /** staging as EcsWorld has it; prod on its own service and template, promoting from staging, images in the same repository. */
    private SlipwaySpec spec(String prodRepository) {
        return spec(prodRepository, EcsWorld.REGION, null);
    }

    /** With prod's {@code ecs.ecr-repository}, {@code ecs.region} and {@code ecs.registry} (null for none) as given. */
    private SlipwaySpec spec(String prodRepository, String prodRegion, String prodRegistry) {
        String yaml = """
                app: hello
                build:
                  context: .
                migrations:
                  command: [java, -jar, /app/hello-server.jar, migrate]
                  timeout: 20s
                health:
                  timeout: 20s
                timeouts:
                  stop: 20s
                  deploy: 20s
                  compensate: 30s
                stages:
                  staging:
                    branch: main
                    target: ecs
                    replicas: 1
                    ecs:
                      region: %1$s
                      cluster: %2$s
                      service: %3$s
                      task-definition: task.json
                      ecr-repository: hello
                      rds-instance: %4$s
                      endpoint: %5$s
                  prod:
                    branch: prod
                    target: ecs
                    replicas: 1
                    promote-from: staging
                    ecs:
                      region: %8$s
                      cluster: %2$s
                      service: %6$s
                      task-definition: task-prod.json
                      ecr-repository: %7$s
                      endpoint: %5$s
                """.formatted(EcsWorld.REGION, EcsWorld.CLUSTER, EcsWorld.SERVICE, EcsWorld.INSTANCE, world.moto.endpoint(),
                PROD_SERVICE, prodRepository, prodRegion)
                + (prodRegistry == null ? "" : "      registry: " + prodRegistry + "\n");
        return new SpecLoader(Set.of("ecs")).parse(yaml, "slipway.yml", dir);
    }

    /** A commit on top of HEAD (or the first one) whose one file holds {@code content}. */
    private String commit(String content) throws Exception {
        if (!Files.isDirectory(repo.resolve(".git"))) {
            Files.createDirectories(repo);
            git("init", "-q");
        }
        Files.writeString(repo.resolve("f"), content);
        git("add", "f");
        git("commit", "-q", "-m", content);
        return git("rev-parse", "HEAD");
    }

    private String git(String... args) throws IOException, InterruptedException {
        return git(repo, args);
    }

    private static String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("GIT_AUTHOR_NAME", "it", "GIT_AUTHOR_EMAIL", "it@example.invalid",
                "GIT_COMMITTER_NAME", "it", "GIT_COMMITTER_EMAIL", "it@example.invalid"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** The build context is the project directory (the fake engine reads none); trees come from the test's repository. */
    private record RepoTrees(Path repo) implements Sources {
        @Override
        public Path sourceDir(RunRecord run, SlipwaySpec spec) {
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
