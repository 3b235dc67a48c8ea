package dev.slipway.images;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Assumptions;

/** The container engine the ITs use: skipped with a message when none answers, unless CI=true (then they fail). */
final class ContainerEngine {
    private ContainerEngine() {
    }

    static DockerClient connectOrSkip() {
        String why;
        try {
            DockerClient client = DockerClients.fromEnvironment();
            client.pingCmd().exec();
            return client;
        } catch (RuntimeException e) {
            why = "no container engine answers (" + e.getMessage() + "); run scripts/env-up.sh and "
                    + "source ~/.slipway-env/env.sh";
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why + " — CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(why);
        return null;
    }

    static String baseImage() {
        String env = System.getenv("SLIPWAY_JRE_IMAGE");
        return env == null || env.isBlank() ? "localhost/slipway-jre:17" : env;
    }
}
