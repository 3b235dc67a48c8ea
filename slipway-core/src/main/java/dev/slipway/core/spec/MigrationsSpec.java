package dev.slipway.core.spec;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The migration command, run from the NEW image before it is deployed.
 *
 * @param command argv run in a one-off container of the new image; empty means the app has no migrations
 * @param timeout how long the migration may run before the step fails
 */
public record MigrationsSpec(List<String> command, Duration timeout) {
    static final Set<String> KEYS = Set.of("command", "timeout");

    public MigrationsSpec {
        command = List.copyOf(command);
    }

    public boolean enabled() {
        return !command.isEmpty();
    }

    static MigrationsSpec read(Node n) {
        if (!n.mapping(KEYS)) {
            return new MigrationsSpec(List.of(), Duration.ofMinutes(10));
        }
        return new MigrationsSpec(n.stringList("command", true), n.duration("timeout", Duration.ofMinutes(10)));
    }
}
