package dev.slipway.core.spec;

import java.util.Set;

/**
 * Settings of the {@code ecs} target.
 *
 * @param region         AWS region
 * @param cluster        ECS cluster name or ARN
 * @param service        ECS service name
 * @param taskDefinition path of the task definition JSON template, relative to the project directory
 * @param container      name of the container in the template that runs the app image
 * @param ecrRepository  ECR repository name
 * @param rdsInstance    RDS DB instance identifier that is snapshotted
 * @param roleArn        IAM role GitHub Actions assumes through OIDC (used by {@code slipway init github})
 * @param endpoint       endpoint override (tests, LocalStack, moto); null for real AWS
 * @param registry       push images to this registry ({@code host:port}) instead of ECR; null for ECR. For tests
 *                       against moto, whose ECR keeps no image layers
 * @param healthUrl      optional URL that must answer 2xx (e.g. through the load balancer) before a deploy counts as
 *                       verified; null to rely on ECS and load-balancer target health only
 */
public record EcsSpec(String region, String cluster, String service, String taskDefinition, String container,
                      String ecrRepository, String rdsInstance, String roleArn, String endpoint, String registry,
                      String healthUrl, String listener) {
    /** {@code arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:listener/app/LB/ID/ID}: only ALB listeners take fixed responses. */
    static final java.util.regex.Pattern LISTENER_ARN = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener/app/[A-Za-z0-9-]+/[0-9a-f]+/[0-9a-f]+");

    static final Set<String> KEYS = Set.of("region", "cluster", "service", "task-definition", "container",
            "ecr-repository", "rds-instance", "role-arn", "endpoint", "registry", "health-url", "listener");

    static EcsSpec read(Node n) {
        if (!n.present()) {
            n.problem("is required when target is ecs");
            return null;
        }
        n.mapping(KEYS);
        return new EcsSpec(n.string("region", null, true), n.string("cluster", null, true),
                n.string("service", null, true), n.string("task-definition", null, true),
                n.string("container", "app", false), n.string("ecr-repository", null, true),
                n.string("rds-instance", null, false), n.string("role-arn", null, false),
                n.plainUrl("endpoint", false), n.plainUrl("registry", true), healthUrl(n), listener(n));
    }

    /**
     * The repository the stage's images are in, as far as slipway.yml says: {@code registry/name} with
     * {@code ecs.registry}, else the ECR repository of the region (and of the endpoint). Two stages with the same
     * {@code ecr-repository} in another region, registry or endpoint keep their images in different repositories (and
     * in another account, {@link #account()}).
     */
    public String imagesWhere() {
        return registry != null ? "repository " + registry + "/" + ecrRepository
                : "ECR repository " + ecrRepository + " (region " + region + (endpoint == null ? "" : ", endpoint " + endpoint) + ")";
    }

    /** The account of {@code role-arn} ({@code arn:PARTITION:iam::ACCOUNT:role/NAME}), whose ECR the deploys use; or null. */
    public String account() {
        String[] parts = roleArn == null ? new String[0] : roleArn.split(":", 6);
        return parts.length == 6 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }

    private static String healthUrl(Node n) {
        String url = n.plainUrl("health-url", false);
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
            n.get("health-url").problem("must be an http(s) URL");
        }
        return url;
    }

    private static String listener(Node n) {
        String arn = n.string("listener", null, false);
        if (arn != null && !LISTENER_ARN.matcher(arn).matches()) {
            n.get("listener").problem("must be an application load balancer listener ARN "
                    + "(arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)");
            return null;
        }
        return arn;
    }
}
