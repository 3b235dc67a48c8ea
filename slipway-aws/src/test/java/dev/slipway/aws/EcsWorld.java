package dev.slipway.aws;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.EcsSpec;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * An ecs stage on moto, as a user would have it before Slipway's first deploy: cluster, a Fargate awsvpc service on
 * revision 1 with 2 tasks, an RDS instance, a log group, plus the project directory with slipway.yml and the task
 * definition template. {@link #admin} talks to moto directly (the tests' view); targets may go through a proxy.
 */
final class EcsWorld implements AutoCloseable {
    static final String REGION = "us-east-1";
    static final String CLUSTER = "slipway";
    static final String SERVICE = "hello";
    static final String FAMILY = "hello";
    static final String INSTANCE = "hello-staging";
    static final String LOG_GROUP = "/ecs/hello";
    static final String LOG_PREFIX = "hello";
    static final String STAGE = "staging";
    static final String TARGET_GROUP = "hello-tg";
    /** The IPs the service's two tasks would have in its target group (moto registers nothing for ECS itself). */
    static final List<String> TARGET_IPS = List.of("10.0.1.10", "10.0.1.11");
    static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    final MotoServer moto;
    final Path dir;
    final AwsClients admin;
    final String initialTaskDefinition;
    /** The service's load-balancer target group, or null when the stage has no load balancer. */
    final String targetGroupArn;
    /** The load balancer's HTTP listener (forwarding to {@link #targetGroupArn}), or null without a load balancer. */
    String listenerArn;
    private String subnet;
    private String secondSubnet;
    private String vpc;
    private String securityGroup;

    private EcsWorld(MotoServer moto, Path dir, boolean loadBalanced) {
        this.moto = moto;
        this.dir = dir;
        this.admin = AwsClients.create(ecsSpec(moto.endpoint()), CREDENTIALS);
        writeTemplate();
        readNetwork();
        this.targetGroupArn = loadBalanced ? createLoadBalancer() : null;
        this.initialTaskDefinition = createStage();
    }

    /** A fresh stage on the shared moto (emptied first). */
    static EcsWorld create(Path dir) {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        return new EcsWorld(moto, dir, false);
    }

    /**
     * A fresh stage whose service sits behind an application load balancer: target group {@link #TARGET_GROUP} (type
     * ip) with the tasks' {@link #TARGET_IPS} registered, which moto reports healthy.
     */
    static EcsWorld createLoadBalanced(Path dir) {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        return new EcsWorld(moto, dir, true);
    }

    static EcsWorld on(MotoServer moto, Path dir) {
        return new EcsWorld(moto, dir, false);
    }

    static EcsSpec ecsSpec(String endpoint) {
        return new EcsSpec(REGION, CLUSTER, SERVICE, "task.json", "app", "hello", INSTANCE, null, endpoint, null, null, null);
    }

    /** slipway.yml for a stage whose AWS endpoint is {@code endpoint}, with the given deploy timeout. */
    SlipwaySpec spec(String endpoint, String deployTimeout) {
        return specOn(dir, endpoint, deployTimeout);
    }

    static SlipwaySpec specOn(Path dir, String endpoint, String deployTimeout) {
        return specOn(dir, endpoint, deployTimeout, "20s", null);
    }

    /** With {@code health.timeout} (the verify step's) and {@code ecs.health-url} (null for none). */
    SlipwaySpec spec(String endpoint, String deployTimeout, String healthTimeout, String healthUrl) {
        return specOn(dir, endpoint, deployTimeout, healthTimeout, healthUrl);
    }

    static SlipwaySpec specOn(Path dir, String endpoint, String deployTimeout, String healthTimeout, String healthUrl) {
        return specOn(dir, endpoint, deployTimeout, healthTimeout, healthUrl, null);
    }

    /** With {@code ecs.registry} too (null for ECR). */
    static SlipwaySpec specOn(Path dir, String endpoint, String deployTimeout, String healthTimeout, String healthUrl,
                              String registry) {
        return specOn(dir, endpoint, deployTimeout, healthTimeout, healthUrl, registry, null, null);
    }

    /** With the stage's {@code strategy} and {@code ecs.listener} too (null for the defaults). */
    SlipwaySpec strategySpec(String endpoint, String deployTimeout, String strategy, String listener) {
        return specOn(dir, endpoint, deployTimeout, "20s", null, null, strategy, listener);
    }

    static SlipwaySpec specOn(Path dir, String endpoint, String deployTimeout, String healthTimeout, String healthUrl,
                              String registry, String strategy, String listener) {
        String yaml = """
                app: hello
                build:
                  context: .
                migrations:
                  command: [java, -jar, /app/hello-server.jar, migrate]   # the example app's, as in HelloStage (local)
                  timeout: 20s
                health:
                  timeout: %s
                timeouts:
                  stop: 20s
                  deploy: %s
                  compensate: 30s
                stages:
                  staging:
                    branch: main
                    target: ecs
                    replicas: 1
                    environment:
                      GREETING: hi
                    snapshots:
                      keep: 2
                    ecs:
                      region: %s
                      cluster: %s
                      service: %s
                      task-definition: task.json
                      ecr-repository: hello
                      rds-instance: %s
                      endpoint: %s
                """.formatted(healthTimeout, deployTimeout, REGION, CLUSTER, SERVICE, INSTANCE, endpoint)
                + (healthUrl == null ? "" : "      health-url: " + healthUrl + "\n")
                + (registry == null ? "" : "      registry: " + registry + "\n")
                + (listener == null ? "" : "      listener: " + listener + "\n")
                + (strategy == null ? "" : "    strategy: " + strategy + "\n");
        return new SpecLoader(Set.of("ecs", "local")).parse(yaml, "slipway.yml", dir);
    }

    SlipwaySpec spec(String endpoint) {
        return spec(endpoint, "20s");
    }

    /** The stage's target on {@code spec}'s endpoint, pushing images to ECR there through {@code images}. */
    static EcsTarget target(SlipwaySpec spec, FakeImageEngine images) {
        EcsSpec ecs = spec.stage(STAGE).orElseThrow().ecs();
        AwsClients aws = AwsClients.create(ecs, CREDENTIALS);
        images.pushInto(aws.ecr());
        return new EcsTarget(EcsSettings.of(ecs), aws, () -> images);
    }

    static Engine engine(SlipwaySpec spec, Target target, Path journal) {
        Journal j = Journals.open("jdbc:sqlite:" + journal, null, null);
        return new Engine(j, spec, stage -> target, EngineOptions.defaults(Duration.ofSeconds(5)));
    }

    static RunView deploy(Engine engine, String commit) {
        long id = engine.request(STAGE, commit, RunKind.DEPLOY, "test").id();
        return engine.run(id, dev.slipway.core.engine.RunListener.NONE);
    }

    static List<String> logs(Path journal, long runId) {
        return Journals.open("jdbc:sqlite:" + journal, null, null).logs(runId).stream().map(LogLine::line).toList();
    }

    /** The URI of the ECR repository the stage's images go to (the build step creates it). */
    String repositoryUri() {
        return admin.ecr().describeRepositories(b -> b.repositoryNames("hello")).repositories().get(0).repositoryUri();
    }

    Service service() {
        return admin.ecs().describeServices(b -> b.cluster(CLUSTER).services(SERVICE).include(ServiceField.TAGS))
                .services().get(0);
    }

    Map<String, String> serviceTags() {
        return service().tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    TaskDefinition taskDefinition(String arn) {
        return admin.ecs().describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition();
    }

    List<Tag> taskDefinitionTags(String arn) {
        return admin.ecs().describeTaskDefinition(b -> b.taskDefinition(arn).include(TaskDefinitionField.TAGS)).tags();
    }

    /**
     * Tasks started with {@code startedBy}, whatever their desired status (moto leaves a task that ran to STOPPED at
     * desiredStatus RUNNING; AWS would say STOPPED), so both are listed.
     */
    List<String> tasksStartedBy(String startedBy) {
        java.util.Set<String> arns = new java.util.LinkedHashSet<>();
        for (String status : List.of("RUNNING", "STOPPED")) {
            arns.addAll(admin.ecs().listTasks(b -> b.cluster(CLUSTER).startedBy(startedBy).desiredStatus(status)).taskArns());
        }
        return List.copyOf(arns);
    }

    /** What the awslogs driver would have written for a task's app container. */
    void writeLog(String taskArn, List<String> lines) {
        String stream = LOG_PREFIX + "/app/" + ServiceTasks.id(taskArn);
        admin.logs().createLogStream(b -> b.logGroupName(LOG_GROUP).logStreamName(stream));
        long now = System.currentTimeMillis();
        admin.logs().putLogEvents(b -> b.logGroupName(LOG_GROUP).logStreamName(stream).logEvents(lines.stream()
                .map(l -> software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder().timestamp(now).message(l).build())
                .toList()));
    }

    String subnet() {
        return subnet;
    }

    String securityGroup() {
        return securityGroup;
    }

    /** A task of the service that ECS started from {@code taskDefinition} and stopped for {@code reason}. */
    String stoppedServiceTask(String taskDefinition, String reason) {
        String arn = admin.ecs().runTask(b -> b.cluster(CLUSTER).taskDefinition(taskDefinition).group("service:" + SERVICE)
                .launchType(LaunchType.FARGATE).networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnet)
                        .securityGroups(securityGroup)))).tasks().get(0).taskArn();
        admin.ecs().stopTask(b -> b.cluster(CLUSTER).task(arn).reason(reason));
        return arn;
    }

    /**
     * Another service in the stage's cluster, as a second stage would have it before Slipway's first deploy there:
     * Fargate awsvpc on a revision of its own (image {@code hello:initial}), {@link MotoServer#SERVICE_RUNNING} tasks;
     * returns that revision's ARN.
     */
    String createService(String name) {
        String arn = admin.ecs().registerTaskDefinition(b -> b.family(name).networkMode("awsvpc")
                .requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                .containerDefinitions(software.amazon.awssdk.services.ecs.model.ContainerDefinition.builder().name("app")
                        .image("hello:initial").memory(512).essential(true).build()))
                .taskDefinition().taskDefinitionArn();
        admin.ecs().createService(b -> b.cluster(CLUSTER).serviceName(name).taskDefinition(arn)
                .desiredCount(MotoServer.SERVICE_RUNNING).launchType(LaunchType.FARGATE)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnet).securityGroups(securityGroup)
                        .assignPublicIp(AssignPublicIp.DISABLED))));
        return arn;
    }

    Service service(String name) {
        return admin.ecs().describeServices(b -> b.cluster(CLUSTER).services(name)).services().get(0);
    }

    private String createStage() {
        admin.ecs().createCluster(b -> b.clusterName(CLUSTER));
        String arn = admin.ecs().registerTaskDefinition(b -> b.family(FAMILY).networkMode("awsvpc")
                .requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                .containerDefinitions(software.amazon.awssdk.services.ecs.model.ContainerDefinition.builder().name("app")
                        .image("hello:initial").memory(512).essential(true).build()))
                .taskDefinition().taskDefinitionArn();
        admin.ecs().createService(b -> b.cluster(CLUSTER).serviceName(SERVICE).taskDefinition(arn)
                .desiredCount(MotoServer.SERVICE_RUNNING).launchType(LaunchType.FARGATE)
                .loadBalancers(targetGroupArn == null ? List.of() : List.of(LoadBalancer.builder()
                        .targetGroupArn(targetGroupArn).containerName("app").containerPort(8080).build()))
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnet).securityGroups(securityGroup)
                        .assignPublicIp(AssignPublicIp.DISABLED))));
        admin.rds().createDBInstance(b -> b.dbInstanceIdentifier(INSTANCE).dbInstanceClass("db.t3.micro").engine("postgres")
                .allocatedStorage(20).masterUsername("hello").masterUserPassword("not-a-secret-1"));
        admin.logs().createLogGroup(b -> b.logGroupName(LOG_GROUP));
        return arn;
    }

    private void readNetwork() {
        try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(REGION)).credentialsProvider(CREDENTIALS)
                .endpointOverride(URI.create(moto.endpoint())).httpClient(UrlConnectionHttpClient.create()).build()) {
            List<Subnet> subnets = ec2.describeSubnets().subnets();
            subnet = subnets.get(0).subnetId();
            secondSubnet = subnets.stream().filter(s -> !s.availabilityZone().equals(subnets.get(0).availabilityZone()))
                    .findFirst().orElse(subnets.get(0)).subnetId();
            vpc = subnets.get(0).vpcId();
            securityGroup = ec2.describeSecurityGroups().securityGroups().get(0).groupId();
        }
    }

    /** ALB, listener and ip target group, with the tasks' targets registered as ECS would register them. */
    private String createLoadBalancer() {
        String lb = admin.elb().createLoadBalancer(b -> b.name("hello").subnets(subnet, secondSubnet))
                .loadBalancers().get(0).loadBalancerArn();
        String tg = admin.elb().createTargetGroup(b -> b.name(TARGET_GROUP).protocol(ProtocolEnum.HTTP).port(8080).vpcId(vpc)
                .targetType(TargetTypeEnum.IP).healthCheckPath("/healthz")).targetGroups().get(0).targetGroupArn();
        listenerArn = admin.elb().createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build()))
                .listeners().get(0).listenerArn();
        admin.elb().registerTargets(b -> b.targetGroupArn(tg).targets(TARGET_IPS.stream()
                .map(ip -> TargetDescription.builder().id(ip).port(8080).build()).toList()));
        return tg;
    }

    private void writeTemplate() {
        try {
            Files.writeString(dir.resolve("task.json"), """
                    {
                      "family": "hello",
                      "networkMode": "awsvpc",
                      "requiresCompatibilities": ["FARGATE"],
                      "cpu": "256",
                      "memory": "512",
                      "containerDefinitions": [{
                        "name": "app",
                        "image": "filled-in-by-slipway",
                        "memory": 512,
                        "essential": true,
                        "command": ["serve"],
                        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                        "environment": [{"name": "FROM_TEMPLATE", "value": "yes"}, {"name": "STAGE", "value": "wrong"}],
                        "logConfiguration": {"logDriver": "awslogs", "options": {
                          "awslogs-group": "/ecs/hello", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "hello"}}
                      }]
                    }
                    """);
            Files.writeString(dir.resolve("Containerfile"), "FROM scratch\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
