package dev.slipway.core.spec;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The migration command, run from the NEW image before it is deployed.
 *
 * @param argv    argv run in a one-off container of the new image, unresolved: its elements may reference
 *                {@code ${env:NAME}} (resolve each through the step context, which masks them); empty means the app
 *                has no migrations
 * @param timeout how long the migration may run before the step fails
 * @param files   globs (relative to the spec's directory, {@code /}-separated) naming the migration files, e.g.
 *                {@code db/migration/*.sql}; those that changed since the live release are the pending ones, whose
 *                class picks the strategy. Empty: Slipway cannot tell what a migration does, so {@code auto} treats
 *                every deploy with a migration command as breaking
 */
public record MigrationsSpec(List<ConfigValue> argv, Duration timeout, List<String> files) {
    static final Set<String> KEYS = Set.of("command", "timeout", "files");
    static final String EXAMPLE = "[java, -jar, app.jar, migrate]";

    public MigrationsSpec {
        argv = List.copyOf(argv);
        files = List.copyOf(files);
    }

    public boolean enabled() {
        return !argv.isEmpty();
    }

    /** The command as written, references unresolved: for showing, never for running. */
    public List<String> command() {
        return argv.stream().map(ConfigValue::template).toList();
    }

    /** The path of element {@code i} in messages. */
    public static String path(int i) {
        return "migrations.command[" + i + "]";
    }

    static MigrationsSpec read(Node n) {
        if (!n.mapping(KEYS)) {
            return new MigrationsSpec(List.of(), Duration.ofMinutes(10), List.of());
        }
        return new MigrationsSpec(n.argv("command", EXAMPLE), TimeoutsSpec.step(n, "timeout", Duration.ofMinutes(10)),
                n.stringList("files", false));
    }
}
