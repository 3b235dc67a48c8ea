package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.SnapshotInfo;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.Target;
import dev.slipway.images.ImageEngine;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The {@code ecs} target of one stage: each step is its own class; this only wires and delegates. */
final class EcsTarget implements Target {
    private final EcsSettings settings;
    private final RdsSnapshots snapshots;
    private final BuildImageStep buildImage;
    private final RegisterTaskDefinitionStep registerTaskDefinition;
    private final SnapshotStep snapshot;
    private final RestoreSnapshotStep restoreSnapshot;
    private final StopOldStep stopOld;
    private final MigrateStep migrate;
    private final DeployStep deploy;
    private final VerifyStep verify;
    private final CompensateStep compensate;
    private final PlanStep plan;

    EcsTarget(EcsSettings settings, AwsClients aws, Supplier<ImageEngine> images) {
        this.settings = settings;
        EcsService service = new EcsService(aws.ecs(), settings.spec().cluster(), settings.spec().service());
        ServiceTasks tasks = new ServiceTasks(aws.ecs(), service);
        Rollout rollout = new Rollout(service, tasks, settings.poller());
        this.snapshots = new RdsSnapshots(aws.rds(), settings.spec().rdsInstance());
        this.buildImage = new BuildImageStep(aws.ecr(), registryClient(), images, settings);
        this.registerTaskDefinition = new RegisterTaskDefinitionStep(aws.ecs(), settings);
        this.snapshot = new SnapshotStep(aws.rds(), snapshots, settings.poller());
        this.restoreSnapshot = new RestoreSnapshotStep(aws.rds(), snapshots, settings.poller());
        ReleaseNames releases = new ReleaseNames(aws.ecs());
        MaintenanceRule rule = settings.spec().listener() == null ? null : new MaintenanceRule(aws.elb(), settings.spec().listener());
        this.stopOld = new StopOldStep(service, tasks, releases, settings.poller(), rule, new DrainDelay(aws.elb()));
        this.migrate = new MigrateStep(aws.ecs(), service, new LogTail(aws.logs()), settings,
                registerTaskDefinition);
        this.deploy = new DeployStep(service, rollout, stopOld);
        this.verify = new VerifyStep(service, rollout, new TargetHealth(aws.elb(), settings.poller()),
                new HealthUrl(HealthUrl.http(healthClient()), settings.poller()), settings.spec().healthUrl(), rule);
        this.compensate = new CompensateStep(aws.ecs(), service, rollout, releases, restoreSnapshot, rule);
        this.plan = new PlanStep(buildImage, snapshots, service, settings);
    }

    /** For ecs.health-url; HTTP/1.1 because a health endpoint behind a load balancer gains nothing from h2c upgrades. */
    private static HttpClient healthClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(HealthUrl.REQUEST_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** For the ecs.registry override's HTTP API (manifest lookups); HTTP/1.1 as Docker's registry speaks it. */
    private static HttpClient registryClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(RegistryImages.REQUEST_TIMEOUT)
                .build();
    }

    /** Build, push and register the task definition: nothing that runs changes, so all of it precedes stop-old. */
    @Override
    public Outputs build(StepContext ctx) {
        Outputs image = buildImage.run(ctx);
        Outputs taskDefinition = registerTaskDefinition.run(ctx, image.require("image"));
        Map<String, String> all = new LinkedHashMap<>(image.values());
        all.putAll(taskDefinition.values());
        return new Outputs(all);
    }

    @Override
    public Outputs snapshot(StepContext ctx) {
        return snapshot.run(ctx);
    }

    /** A rolling UpdateService runs the old and the new revision side by side behind the service's load balancer. */
    @Override
    public java.util.Optional<String> onlineUnsupported(dev.slipway.core.spec.StageSpec stage) {
        return java.util.Optional.empty();
    }

    /** An image on another registry must be in the stage's repository already; another repository of it is copied. */
    @Override
    public java.util.Optional<String> imageRefused(dev.slipway.core.spec.StageSpec stage, String image) {
        return buildImage.refusal(stage.name(), image);
    }

    @Override
    public Outputs stopOld(StepContext ctx) {
        return stopOld.run(ctx);
    }

    @Override
    public Outputs migrate(StepContext ctx) {
        return migrate.run(ctx);
    }

    @Override
    public Outputs deploy(StepContext ctx) {
        return deploy.run(ctx);
    }

    @Override
    public Outputs verify(StepContext ctx) {
        return verify.run(ctx);
    }

    @Override
    public Outputs compensate(StepContext ctx, boolean restoreSnapshot) {
        return compensate.run(ctx, restoreSnapshot);
    }

    @Override
    public List<String> plan(StepContext ctx) {
        return plan.run(ctx);
    }

    @Override
    public List<SnapshotInfo> snapshots(StepContext ctx) {
        if (settings.spec().rdsInstance() == null) {
            return List.of();
        }
        return snapshots.ofStage(ctx.spec().app(), ctx.stage().name()).stream().map(RdsSnapshots::info).toList();
    }

    @Override
    public void restore(StepContext ctx, String id) {
        restoreSnapshot.run(ctx, id);
    }
}
