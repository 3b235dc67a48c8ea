package dev.slipway.core.engine;

import static dev.slipway.core.engine.EngineTest.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.target.StepName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approval gate of a production stage. */
class EngineApprovalTest {
    @TempDir
    Path dir;
    EngineHarness h;

    @BeforeEach
    void setUp() {
        h = new EngineHarness(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static Background<RunView> start(Engine engine, RunRecord run) {
        return Background.start("run-" + run.id(), () -> engine.run(run.id(), RunListener.NONE));
    }

    private void awaitState(long runId, RunState state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> h.engine.view(runId).state() == state);
    }

    @Test
    void approvals_twoDistinctApprovers_openTheGate() throws Exception {
        RunRecord r = h.engine.request("production", "c1", RunKind.DEPLOY, "alice");
        Background<RunView> run = start(h.engine, r);
        Engine approver = h.engine("approver");
        awaitState(r.id(), RunState.AWAITING_APPROVAL);

        assertThat(h.target.count(StepName.SNAPSHOT)).isZero();
        assertThatThrownBy(() -> approver.approve(r.id(), "alice")).hasMessageContaining("alice requested run " + r.id());
        assertThatThrownBy(() -> approver.approve(r.id(), "mallory")).hasMessageContaining("mallory may not approve");
        approver.approve(r.id(), "bob");
        assertThatThrownBy(() -> approver.approve(r.id(), "bob")).hasMessageContaining("bob already approved");
        approver.approve(r.id(), "carol");

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(v.step("approval").orElseThrow().outputs()).containsEntry("digest", "sha256:c1");
    }

    @Test
    void approvals_nobodyApproves_failsAfterTimeoutChangingNothing() throws Exception {
        RunRecord r = h.engine.request("production", "c1", RunKind.DEPLOY, "alice");
        Background<RunView> run = start(h.engine, r);
        awaitState(r.id(), RunState.AWAITING_APPROVAL);

        h.clock.advance(Duration.ofHours(1).plusSeconds(1));

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).contains("approval did not finish within 1h00m");
        assertThat(h.target.count(StepName.STOP_OLD)).isZero();
    }
}
