package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

class RolloutTest {
    static final String NEW = "arn:aws:ecs:eu-west-1:1:task-definition/web:8";
    static final String OLD = "arn:aws:ecs:eu-west-1:1:task-definition/web:7";
    final EcsService service = new EcsService(new NoTasks(), "apps", "web");
    final Rollout rollout = new Rollout(service, new ServiceTasks(new NoTasks(), service), Poller.DEFAULT);

    @Test
    void judge_rolloutCompletedAndAllRunning_isDone() {
        assertThat(rollout.judge(service(NEW, 2, deployment(NEW, "PRIMARY", DeploymentRolloutState.COMPLETED, 2)), NEW, "d")).isTrue();
    }

    @Test
    void judge_rolloutInProgress_isNotDoneYet() {
        assertThat(rollout.judge(service(NEW, 1, deployment(NEW, "PRIMARY", DeploymentRolloutState.IN_PROGRESS, 1),
                deployment(OLD, "ACTIVE", DeploymentRolloutState.COMPLETED, 1)), NEW, "d")).isFalse();
    }

    @Test
    void judge_rolloutFailed_isPermanentFailureNamingCircuitBreakerAndEvents() {
        Service s = service(NEW, 0, deployment(NEW, "PRIMARY", DeploymentRolloutState.FAILED, 0)).toBuilder()
                .events(ServiceEvent.builder().message("(service web) deployment failed: tasks failed to start.").build()).build();
        assertThatThrownBy(() -> rollout.judge(s, NEW, "deployment of web:8"))
                .hasMessageContaining("deployment of web:8 failed").hasMessageContaining("circuit breaker")
                .hasMessageContaining("tasks failed to start");
    }

    @Test
    void judge_circuitBreakerRolledBackToOldRevision_isFailureNotSuccess() {
        Service s = service(OLD, 2, deployment(OLD, "PRIMARY", DeploymentRolloutState.COMPLETED, 2),
                deployment(NEW, "ACTIVE", DeploymentRolloutState.FAILED, 0));
        assertThatThrownBy(() -> rollout.judge(s, NEW, "d")).hasMessageContaining("rollout FAILED");
        Service gone = service(OLD, 2, deployment(OLD, "PRIMARY", DeploymentRolloutState.COMPLETED, 2));
        assertThatThrownBy(() -> rollout.judge(gone, NEW, "d")).hasMessageContaining("rolled back");
    }

    @Test
    void judge_noDeploymentsTracked_fallsBackToServiceStable() {
        Service s = service(NEW, 2, deployment(OLD, "PRIMARY", DeploymentRolloutState.COMPLETED, 2));
        assertThat(rollout.judge(s, "web:8", "d")).isTrue();
    }

    @Test
    void sameTaskDefinition_arnAndFamilyRevision_match() {
        assertThat(Rollout.sameTaskDefinition(NEW, "web:8")).isTrue();
        assertThat(Rollout.sameTaskDefinition(NEW, OLD)).isFalse();
    }

    private static Service service(String taskDefinition, int running, Deployment... deployments) {
        return Service.builder().serviceArn("arn:svc").taskDefinition(taskDefinition).desiredCount(2).runningCount(running)
                .pendingCount(0).deployments(deployments).build();
    }

    private static Deployment deployment(String td, String status, DeploymentRolloutState state, int running) {
        return Deployment.builder().id("ecs-svc/" + td.hashCode()).taskDefinition(td).status(status).rolloutState(state)
                .rolloutStateReason("reason " + state).desiredCount(2).runningCount(running).build();
    }

    /** Hand-written fake: a cluster with no tasks; every other call is unsupported. */
    static final class NoTasks implements EcsClient {
        @Override
        public ListTasksResponse listTasks(Consumer<ListTasksRequest.Builder> r) {
            return ListTasksResponse.builder().taskArns(List.of()).build();
        }

        @Override
        public DescribeTasksResponse describeTasks(Consumer<DescribeTasksRequest.Builder> r) {
            return DescribeTasksResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "ecs";
        }

        @Override
        public void close() {
        }
    }
}
