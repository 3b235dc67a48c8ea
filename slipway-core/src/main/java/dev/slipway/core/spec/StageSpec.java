package dev.slipway.core.spec;

import java.util.Map;
import java.util.Set;

/**
 * One stage: where a branch is deployed.
 *
 * @param name        stage name, also the {@code STAGE} given to the app and the {@code stage} metrics label
 * @param branch      the git branch whose pushes deploy this stage
 * @param target      {@code local} or {@code ecs}; picks the target implementation once per stage
 * @param production  whether this stage is production (approvals mandatory, GitHub environment protection)
 * @param replicas    how many instances of the server run
 * @param database    the stage's PostgreSQL database, or null if it has none
 * @param redisUrl    the stage's Redis URL, or null
 * @param environment variables given to the app (and to its migrations); values may reference {@code ${env:NAME}}
 * @param approvals   the approval gate
 * @param snapshots   snapshot retention and restore policy
 * @param local       settings of the local target (null unless target is local)
 * @param ecs         settings of the ecs target (null unless target is ecs)
 * @param strategy    how the new release replaces the old one ({@code auto} by default: chosen per deploy from the
 *                    pending migrations)
 * @param preflight   whether to run the migrations on a scratch restore of the snapshot before anything stops; null
 *                    leaves it to the target (the local target does, where it can)
 * @param promoteFrom the stage whose verified image this stage deploys instead of building (matched by the commit's
 *                    git tree), or null when this stage builds its own
 */
public record StageSpec(String name, String branch, String target, boolean production, int replicas,
                        DatabaseSpec database, ConfigValue redisUrl, Map<String, ConfigValue> environment,
                        ApprovalsSpec approvals, SnapshotsSpec snapshots, LocalSpec local, EcsSpec ecs,
                        Strategy strategy, Boolean preflight, String promoteFrom) {
    static final Set<String> KEYS = Set.of("branch", "target", "production", "replicas", "database", "redis",
            "environment", "approvals", "snapshots", "local", "ecs", "strategy", "preflight", "promote-from");
    /** The targets Slipway ships; more may be added through {@link dev.slipway.core.target.TargetProvider}. */
    public static final Set<String> BUILT_IN_TARGETS = Set.of("local", "ecs");

    public StageSpec {
        environment = Map.copyOf(environment);
    }

    static StageSpec read(String name, Node n, Set<String> targets) {
        if (!name.matches("[a-z][a-z0-9-]{0,39}")) {
            n.problem("stage names must be lower-case letters, digits and '-', starting with a letter");
        }
        if (!n.present() || !n.mapping(KEYS)) {
            if (!n.present()) {
                n.problem("must describe the stage (at least its branch and target)");
            }
            return null;
        }
        String target = n.string("target", "local", false);
        if (!targets.contains(target)) {
            n.get("target").problem("must be one of " + String.join(", ", new java.util.TreeSet<>(targets)) + "; found '"
                    + Node.shown(target, 60) + "'" + Suggest.didYouMean(target, targets));
        }
        boolean production = n.bool("production", name.equals("production"));
        Node redis = n.get("redis");
        ConfigValue redisUrl = null;
        if (redis.mapping(Set.of("url"))) {
            redisUrl = redis.url("url", true);
        }
        return new StageSpec(name, n.string("branch", null, true), target, production,
                n.integer("replicas", 1, 1, 100), DatabaseSpec.read(n.get("database")), redisUrl,
                n.valueMap("environment"), ApprovalsSpec.read(n.get("approvals"), production),
                SnapshotsSpec.read(n.get("snapshots")), readLocal(n, target), readEcs(n, target), readStrategy(n),
                n.get("preflight").present() ? n.bool("preflight", true) : null, n.string("promote-from", null, false));
    }

    private static Strategy readStrategy(Node n) {
        String id = n.string("strategy", Strategy.AUTO.id(), false);
        java.util.Optional<Strategy> s = Strategy.fromId(id);
        if (s.isEmpty()) {
            java.util.List<String> ids = java.util.Arrays.stream(Strategy.values()).map(Strategy::id).toList();
            n.get("strategy").problem("must be one of " + String.join(", ", ids) + "; found '" + Node.shown(id, 60) + "'"
                    + Suggest.didYouMean(id, ids));
            return Strategy.AUTO;
        }
        return s.get();
    }

    private static LocalSpec readLocal(Node n, String target) {
        Node local = n.get("local");
        if (!target.equals("local")) {
            if (local.present()) {
                local.problem("is only valid when target is local");
            }
            return null;
        }
        return LocalSpec.read(local);
    }

    private static EcsSpec readEcs(Node n, String target) {
        Node ecs = n.get("ecs");
        if (!target.equals("ecs")) {
            if (ecs.present()) {
                ecs.problem("is only valid when target is ecs");
            }
            return null;
        }
        return EcsSpec.read(ecs);
    }
}
