package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.target.TargetException;
import dev.slipway.core.target.TargetProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;

class SmallPartsTest {
    @Test
    void stoppedService_throughTags_roundTrips() {
        StoppedService s = new StoppedService("arn:aws:ecs:eu-west-1:1:task-definition/web:7", 3,
                "01jb0test0key0000000000007", "abc");
        List<Tag> tags = s.toTags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        assertThat(StoppedService.fromTags(tags)).contains(s);
        assertThat(StoppedService.fromOutputs(s.toOutputs("service")).orElseThrow().desiredCount()).isEqualTo(3);
    }

    @Test
    void stoppedService_unreadableTags_isEmpty() {
        assertThat(StoppedService.fromTags(List.of(Tag.builder().key(StoppedService.TAG_TASK_DEFINITION).value("x").build(),
                Tag.builder().key(StoppedService.TAG_DESIRED_COUNT).value("lots").build()))).isEmpty();
    }

    @Test
    void awsCalls_throttlingAndServerErrors_areTransient_restPermanent() {
        assertThat(failure("ThrottlingException", 400).isTransient()).isTrue();
        assertThat(failure("InternalError", 503).isTransient()).isTrue();
        assertThat(failure("InvalidParameterException", 400).isTransient()).isFalse();
        TargetException denied = failure("AccessDeniedException", 400);
        assertThat(denied.isTransient()).isFalse();
        assertThat(denied.getMessage()).contains("UpdateService of service web", "AccessDeniedException", "docs/aws.md");
    }

    @Test
    void rdsSnapshotId_followsRdsRulesAndCarriesTheRunKey() {
        assertThat(RdsSnapshots.idFor("Hello_App", "staging", "01jb0test0key0000000000007", "0123456789ABCDEF0123"))
                .isEqualTo("slipway-hello-app-staging-01jb0test0key0000000000007-0123456789ab")
                .matches("[a-z][a-z0-9-]*[a-z0-9]").doesNotContain("--");
    }

    @Test
    void rdsSnapshotId_longAppAndStage_cutsThemButNeverTheKey() {
        String id = RdsSnapshots.idFor("a".repeat(200), "s-".repeat(40), "01jb0test0key0000000000007", "abc");

        assertThat(id).hasSizeLessThanOrEqualTo(255).endsWith("-01jb0test0key0000000000007-abc")
                .matches("[a-z][a-z0-9-]*[a-z0-9]").doesNotContain("--");
    }

    @Test
    void migrationStartedBy_isTheRunKeyWithinEcsLimit() {
        TestContext ctx = new TestContext(new dev.slipway.core.spec.SpecLoader(java.util.Set.of("ecs"))
                .parse(PollerTest.SPEC, "slipway.yml", java.nio.file.Path.of("/p")), java.time.Duration.ofSeconds(5));

        assertThat(MigrateStep.startedBy(ctx)).isEqualTo("slipway-" + ctx.runKey()).hasSizeLessThanOrEqualTo(36)
                .matches("[A-Za-z0-9_/-]+");
    }

    @Test
    void ecsListener_anAlbListenerArn_isRead_anythingElseIsRefused() {
        String arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/hello/50dc6c495c0c9188/f2f7dc8efc522ab2";
        assertThat(withListener(arn).stage("staging").orElseThrow().ecs().listener()).isEqualTo(arn);

        String targetGroup = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/hello/50dc6c495c0c9188";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withListener(targetGroup))
                .isInstanceOfSatisfying(dev.slipway.core.spec.SpecException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("ecs.listener", "must be an application load balancer listener ARN")));
    }

    private static dev.slipway.core.spec.SlipwaySpec withListener(String arn) {
        return new dev.slipway.core.spec.SpecLoader(java.util.Set.of("ecs")).parse(PollerTest.SPEC.replace(
                "ecr-repository: r}", "ecr-repository: r, listener: '" + arn + "'}"), "slipway.yml", java.nio.file.Path.of("/p"));
    }

    @Test
    void provider_isFoundByServiceLoaderAsEcs() {
        assertThat(ServiceLoader.load(TargetProvider.class).stream().map(p -> p.get().type())).contains("ecs");
    }

    @Test
    void verifyTargetGroups_duplicatesAndClassicLoadBalancer_listsEachTargetGroupOnceAndLogsTheClassicOne() {
        TestContext ctx = new TestContext(new dev.slipway.core.spec.SpecLoader(java.util.Set.of("ecs"))
                .parse(PollerTest.SPEC, "slipway.yml", java.nio.file.Path.of("/p")), java.time.Duration.ofSeconds(5));
        Service s = Service.builder().loadBalancers(
                LoadBalancer.builder().targetGroupArn("arn:tg/a").containerName("app").containerPort(8080).build(),
                LoadBalancer.builder().targetGroupArn("arn:tg/a").containerName("app").containerPort(8080).build(),
                LoadBalancer.builder().targetGroupArn("arn:tg/b").containerName("app").containerPort(9090).build(),
                LoadBalancer.builder().loadBalancerName("old-elb").containerName("app").containerPort(8080).build()).build();

        assertThat(VerifyStep.targetGroups(ctx, s)).containsExactly("arn:tg/a", "arn:tg/b");
        assertThat(ctx.logs).containsExactly("classic load balancer old-elb: instance health is not checked");
    }

    private static TargetException failure(String code, int status) {
        AwsServiceException e = AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("message").build()).build();
        try {
            AwsCalls.call("UpdateService of service web", () -> {
                throw e;
            });
            throw new AssertionError("no failure");
        } catch (TargetException t) {
            return t;
        }
    }
}
