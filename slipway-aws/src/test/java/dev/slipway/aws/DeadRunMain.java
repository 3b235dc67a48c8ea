package dev.slipway.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.spec.SlipwaySpec;
import java.nio.file.Path;

/**
 * The run that dies, for {@link EcsRecoveryIT}: deploys on the stage with a migration that never stops (a fault proxy
 * keeps moto's task RUNNING), so the parent test can SIGKILL this JVM after stop-old scaled the service to 0.
 * Arguments: moto endpoint, project directory, journal file.
 */
public final class DeadRunMain {
    private DeadRunMain() {
    }

    public static void main(String[] args) {
        FaultProxy proxy = FaultProxy.start(args[0]);
        proxy.rewrite("DescribeTasks", (request, response) -> {
            response.withArray("tasks").forEach(t -> ((ObjectNode) t).put("lastStatus", "RUNNING"));
            return response;
        });
        Path dir = Path.of(args[1]);
        SlipwaySpec spec = EcsWorld.specOn(dir, proxy.endpoint(), "20s");
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), Path.of(args[2]))) {
            EcsWorld.deploy(engine, EcsRecoveryIT.COMMIT);
        }
        System.exit(2); // the parent kills this JVM long before the migration could time out
    }
}
