package dev.slipway.core.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A whole, valid {@code slipway.yml}. Obtain one from {@link SpecLoader}; it never holds resolved secrets.
 *
 * @param app        application name, used in image names, labels and metrics
 * @param baseDir    directory holding the file; relative paths in the spec are resolved against it
 * @param build      how the image is built
 * @param migrations the migration command
 * @param health     the health check
 * @param timeouts   per-step limits
 * @param stages     stages by name, in file order
 * @param state      the journal store
 * @param metrics    where metrics go
 */
public record SlipwaySpec(String app, Path baseDir, BuildSpec build, MigrationsSpec migrations, HealthSpec health,
                          TimeoutsSpec timeouts, Map<String, StageSpec> stages, StateSpec state, MetricsSpec metrics) {
    static final Set<String> KEYS = Set.of("app", "build", "migrations", "health", "timeouts", "stages", "state", "metrics");

    public SlipwaySpec {
        stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    }

    public Optional<StageSpec> stage(String name) {
        return Optional.ofNullable(stages.get(name));
    }

    /** The stage named {@code name}, or a usage error that lists the stages there are. */
    public StageSpec requireStage(String name) {
        return stage(name).orElseThrow(() -> new dev.slipway.core.SlipwayException(dev.slipway.core.ErrorCode.BAD_USAGE,
                "no stage '" + name + "' in slipway.yml; stages are " + String.join(", ", stages.keySet())));
    }

    /** The stage whose branch is {@code branch}, if any. */
    public Optional<StageSpec> stageForBranch(String branch) {
        return stages.values().stream().filter(s -> s.branch().equals(branch)).findFirst();
    }

    static SlipwaySpec read(Node root, Path baseDir, Set<String> targets) {
        root.mapping(KEYS);
        String app = root.string("app", "app", true);
        if (!app.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
            root.get("app").problem("must be lower-case letters, digits, '.', '_' or '-' (it names images), found '" + Node.shown(app, 60) + "'");
        }
        Map<String, StageSpec> stages = new LinkedHashMap<>();
        Node stagesNode = root.get("stages");
        if (!stagesNode.present()) {
            stagesNode.problem("is required: name at least one stage");
        } else if (stagesNode.mapping(Set.copyOf(stagesNode.keys())) && stagesNode.keys().isEmpty()) {
            stagesNode.problem("must name at least one stage");
        } else if (!stagesNode.keys().isEmpty()) {
            for (String name : stagesNode.keys()) {
                StageSpec stage = StageSpec.read(name, stagesNode.get(name), targets);
                if (stage != null) {
                    stages.put(name, stage);
                }
            }
            checkBranches(stagesNode, stages);
            checkPromotions(stagesNode, stages);
        }
        return new SlipwaySpec(app, baseDir, BuildSpec.read(root.get("build")), MigrationsSpec.read(root.get("migrations")),
                HealthSpec.read(root.get("health")), TimeoutsSpec.read(root.get("timeouts")), stages,
                StateSpec.read(root.get("state")), MetricsSpec.read(root.get("metrics")));
    }

    /**
     * {@code promote-from} names another stage of this file (hence of the same journal), on the same target type, and
     * promotions form no cycle; on ecs the two stages share an image repository, since Slipway copies no image: the same
     * {@code ecs.ecr-repository} in the same region, registry, endpoint and account ({@link EcsSpec#imagesWhere},
     * {@link EcsSpec#account}).
     */
    private static void checkPromotions(Node stagesNode, Map<String, StageSpec> stages) {
        for (StageSpec s : stages.values()) {
            if (s.promoteFrom() == null) {
                continue;
            }
            Node at = stagesNode.get(s.name()).get("promote-from");
            StageSpec from = stages.get(s.promoteFrom());
            if (s.promoteFrom().equals(s.name())) {
                at.problem("names this stage itself; name the stage whose verified image this one deploys");
            } else if (from == null) {
                at.problem("names no stage of this file: '" + Node.shown(s.promoteFrom(), 60) + "'; stages are "
                        + String.join(", ", stages.keySet()) + dev.slipway.core.spec.Suggest.didYouMean(s.promoteFrom(), stages.keySet()));
            } else if (!from.target().equals(s.target())) {
                at.problem("stage " + from.name() + " uses target " + from.target() + " and this one " + s.target()
                        + "; promotion deploys the same image, so both stages need the same target");
            } else if (from.ecs() != null && s.ecs() != null && !java.util.Objects.equals(from.ecs().ecrRepository(), s.ecs().ecrRepository())) {
                at.problem("stage " + from.name() + " keeps its images in ECR repository " + from.ecs().ecrRepository() + " and this one in "
                        + s.ecs().ecrRepository() + "; promotion needs the same ecs.ecr-repository (Slipway copies no image)");
            } else if (from.ecs() != null && s.ecs() != null && !from.ecs().imagesWhere().equals(s.ecs().imagesWhere())) {
                at.problem("stage " + from.name() + " keeps its images in " + from.ecs().imagesWhere() + " and this one in "
                        + s.ecs().imagesWhere() + ": the same ecs.ecr-repository name, but another repository; promotion needs"
                        + " the same repository (the same ecs.region, ecs.registry, ecs.endpoint and account; Slipway copies no image)");
            } else if (from.ecs() != null && s.ecs() != null && from.ecs().registry() == null && from.ecs().account() != null
                    && s.ecs().account() != null && !from.ecs().account().equals(s.ecs().account())) {
                at.problem("stage " + from.name() + " deploys with a role of account " + from.ecs().account() + " (ecs.role-arn) and"
                        + " this one of account " + s.ecs().account() + ", so their ECR repositories " + s.ecs().ecrRepository()
                        + " differ; promotion needs the same repository (Slipway copies no image)");
            } else if (cycle(s, stages)) {
                at.problem("makes a cycle of promotions (" + s.name() + " -> " + s.promoteFrom() + " -> …); one stage must build");
            }
        }
    }

    private static boolean cycle(StageSpec start, Map<String, StageSpec> stages) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (StageSpec s = start; s != null && s.promoteFrom() != null; s = stages.get(s.promoteFrom())) {
            if (!seen.add(s.name())) {
                return true;
            }
        }
        return false;
    }

    private static void checkBranches(Node stagesNode, Map<String, StageSpec> stages) {
        Map<String, List<String>> byBranch = new LinkedHashMap<>();
        for (StageSpec s : stages.values()) {
            if (s.branch() != null) {
                byBranch.computeIfAbsent(s.branch(), b -> new ArrayList<>()).add(s.name());
            }
        }
        byBranch.forEach((branch, names) -> {
            if (names.size() > 1) {
                stagesNode.get(names.get(1)).get("branch").problem(
                        "branch '" + branch + "' already deploys stage " + names.get(0) + "; each branch deploys one stage");
            }
        });
    }
}
