package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreviousReleaseTest {
    private final FakeContainers engine = new FakeContainers();

    private FixedContext ctx() {
        return new FixedContext(Specs.local("host", 2), "staging", 9, "abc").at(StepName.STOP_OLD);
    }

    @Test
    void find_journaledReleaseStillThere_isChosenEvenWhenStopped() {
        engine.add("hello-staging-7-0", "exited", Specs.labels(7, Labels.SERVER, 0));
        engine.add("hello-staging-8-0", "running", Specs.labels(8, Labels.SERVER, 0));
        FixedContext ctx = ctx();
        ctx.previous = new StepContext.Release(7, "7", "commit7", Outputs.NONE, Outputs.NONE);

        assertThat(PreviousRelease.find(ctx, engine.list(Map.of())).runId()).isEqualTo(7);
    }

    @Test
    void find_noJournal_takesTheNewestRunAndIgnoresThisRun() {
        engine.add("hello-staging-3-0", "running", Specs.labels(3, Labels.SERVER, 0));
        engine.add("hello-staging-4-1", "running", Specs.labels(4, Labels.SERVER, 1));
        engine.add("hello-staging-4-0", "exited", Specs.labels(4, Labels.SERVER, 0));
        engine.add("hello-staging-9-0", "running", Specs.labels(9, Labels.SERVER, 0));

        PreviousRelease p = PreviousRelease.find(ctx(), engine.list(Map.of()));

        assertThat(p.runId()).isEqualTo(4);
        assertThat(p.names()).containsExactly("hello-staging-4-0", "hello-staging-4-1");
        assertThat(p.commit()).isEqualTo("commit4");
    }

    @Test
    void find_noJournalAndNothingRunning_takesTheNewestStoppedRun() {
        engine.add("hello-staging-old-0", "exited", Specs.labels(Specs.key(3), 3, Labels.SERVER, 0));
        engine.add("hello-staging-new-0", "exited", Specs.labels(Specs.key(5), 1, Labels.SERVER, 0));
        engine.add("hello-staging-legacy-0", "running", Specs.labels("8.oldjournal", 8, Labels.SERVER, 0));

        PreviousRelease p = PreviousRelease.find(ctx(), engine.list(Map.of()));

        assertThat(p.key()).as("keys are newer than legacy keys, and time-ordered among themselves").isEqualTo(Specs.key(5));
        assertThat(p.names()).containsExactly("hello-staging-new-0");
    }

    @Test
    void find_journaledReleaseGone_takesTheNewestOtherRun() {
        engine.add("hello-staging-3-0", "exited", Specs.labels(3, Labels.SERVER, 0));
        FixedContext ctx = ctx();
        ctx.previous = new StepContext.Release(7, "7", "commit7", Outputs.NONE, Outputs.NONE);

        assertThat(PreviousRelease.find(ctx, engine.list(Map.of())).key()).isEqualTo("3");
    }

    @Test
    void find_onlyThisRunsContainers_isNone() {
        engine.add("hello-staging-9-0", "created", Specs.labels(9, Labels.SERVER, 0));

        PreviousRelease p = PreviousRelease.find(ctx(), engine.list(Map.of()));

        assertThat(p.isNone()).isTrue();
        Map<String, String> out = new HashMap<>();
        p.putInto(out);
        assertThat(out).containsEntry("previous", "none");
    }

    @Test
    void outputs_roundTrip_keepsEveryField() {
        PreviousRelease p = new PreviousRelease(4, "4", "c4", "sha256:i", List.of("a", "b"), List.of("n-0", "n-1"));
        Map<String, String> out = new HashMap<>();
        p.putInto(out);

        assertThat(PreviousRelease.fromOutputs(new Outputs(out))).contains(p);
        assertThat(PreviousRelease.fromOutputs(Outputs.NONE)).isEmpty();
    }
}
