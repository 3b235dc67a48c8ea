package dev.slipway.core.testing;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetProvider;
import java.nio.file.Path;

/** Registers {@link SignalTarget} as {@code target: test} for process-level tests (see META-INF/services in test resources). */
public final class SignalTargetProvider implements TargetProvider {
    @Override
    public String type() {
        return "test";
    }

    @Override
    public Target create(SlipwaySpec spec, StageSpec stage) {
        String dir = System.getenv("SLIPWAY_TEST_DIR");
        if (dir == null) {
            throw new IllegalStateException("target 'test' needs SLIPWAY_TEST_DIR");
        }
        return new SignalTarget(Path.of(dir));
    }
}
