package dev.slipway.local;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** slipway.yml texts for unit tests. */
final class Specs {
    private Specs() {
    }

    static SlipwaySpec local(String network, int replicas) {
        return local(network, replicas, "");
    }

    /** Like {@link #local(String, int)} with {@code extra} (", proxy: caddy", say) appended to the stage's local mapping. */
    static SlipwaySpec local(String network, int replicas, String extra) {
        return new SpecLoader(Set.of("local")).parse("""
                app: hello
                build: {context: app, dockerfile: Containerfile}
                migrations: {command: [java, -jar, /app/hello.jar, migrate], timeout: 30s}
                health: {path: /healthz, port: 8080, timeout: 20s}
                stages:
                  staging:
                    branch: main
                    target: local
                    replicas: %d
                    database: {url: "jdbc:postgresql://127.0.0.1:55432/hello", user: app, password: "${env:DB_PASSWORD}"}
                    environment: {GREETING: hi}
                    snapshots: {keep: 2}
                    local: {port: 19000, network: %s, stop-grace: 7s%s}
                """.formatted(replicas, network, extra), "test.yml", Path.of("/project"));
    }

    static Map<String, String> labels(long run, String role, int replica) {
        return labels(String.valueOf(run), run, role, replica);
    }

    /** Labels of a container of run number {@code run} whose key is {@code key}. */
    static Map<String, String> labels(String key, long run, String role, int replica) {
        return Map.of(Labels.APP, "hello", Labels.STAGE, "staging", Labels.RUN, String.valueOf(run),
                Labels.RUN_KEY, key, Labels.ROLE, role,
                Labels.COMMIT, "commit" + run, Labels.REPLICA, String.valueOf(replica), Labels.PORT, String.valueOf(19000 + replica));
    }

    /** A run key as {@link dev.slipway.core.journal.RunKeys} makes them, made at "time" {@code t}: later t, newer key. */
    static String key(long t) {
        return String.format("%010d", t) + "abcdefghjkmnpqrs";
    }
}
