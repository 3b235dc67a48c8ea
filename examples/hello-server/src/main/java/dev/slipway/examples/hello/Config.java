package dev.slipway.examples.hello;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings read from the environment. Every problem is reported at once, naming the variable.
 *
 * @param port            HTTP port ({@code PORT}, default 8080)
 * @param databaseUrl     JDBC URL ({@code DATABASE_URL}, {@code jdbc:postgresql://host:port/db})
 * @param databaseUser    {@code DATABASE_USER}, may be null
 * @param databasePassword {@code DATABASE_PASSWORD}, may be null
 * @param redisUrl        {@code REDIS_URL} ({@code redis://host:port}), may be null for {@code migrate}
 * @param stage           {@code STAGE} (default "dev"), the label on every metric
 * @param version         {@code APP_VERSION} (default "dev")
 * @param migrationsDir   {@code MIGRATIONS_DIR} (default /app/migrations), extra SQL migrations if it exists
 * @param shutdownGraceSeconds {@code SHUTDOWN_GRACE_SECONDS} (default 5), how long in-flight requests may finish
 */
record Config(int port, String databaseUrl, String databaseUser, String databasePassword, URI redisUrl,
              String stage, String version, Path migrationsDir, int shutdownGraceSeconds) {

    static final String DEFAULT_MIGRATIONS_DIR = "/app/migrations";

    /** What a command needs: {@code migrate} needs only the database, {@code serve} also Redis. */
    enum Needs { DATABASE, DATABASE_AND_REDIS }

    static Config fromEnv(Map<String, String> env, Needs needs) {
        List<String> errors = new ArrayList<>();
        int port = intVar(env, "PORT", 8080, 1, 65535, errors);
        int grace = intVar(env, "SHUTDOWN_GRACE_SECONDS", 5, 0, 3600, errors);
        String databaseUrl = databaseUrl(env, errors);
        URI redisUrl = redisUrl(env, needs == Needs.DATABASE_AND_REDIS, errors);
        String stage = value(env, "STAGE").orElse("dev");
        String version = value(env, "APP_VERSION").orElse("dev");
        Path migrationsDir = Path.of(value(env, "MIGRATIONS_DIR").orElse(DEFAULT_MIGRATIONS_DIR));
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new Config(port, databaseUrl, value(env, "DATABASE_USER").orElse(null),
                value(env, "DATABASE_PASSWORD").orElse(null), redisUrl, stage, version, migrationsDir, grace);
    }

    /** Leaves out the password and any Redis credentials. */
    @Override
    public String toString() {
        return "Config[port=" + port + ", databaseUrl=" + databaseUrl + ", databaseUser=" + databaseUser
                + ", redis=" + (redisUrl == null ? null : redisUrl.getHost() + ":" + redisUrl.getPort())
                + ", stage=" + stage + ", version=" + version + ", migrationsDir=" + migrationsDir + "]";
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static int intVar(Map<String, String> env, String name, int fallback, int min, int max,
                              List<String> errors) {
        Optional<String> raw = value(env, name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(raw.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(name + ": must be a number from " + min + " to " + max + ", was '" + raw.get() + "'");
        return fallback;
    }

    private static String databaseUrl(Map<String, String> env, List<String> errors) {
        Optional<String> url = value(env, "DATABASE_URL");
        if (url.isEmpty()) {
            errors.add("DATABASE_URL: must be set, e.g. jdbc:postgresql://127.0.0.1:5432/hello");
            return null;
        }
        if (!url.get().startsWith("jdbc:postgresql://")) {
            errors.add("DATABASE_URL: must start with jdbc:postgresql://, was '" + url.get() + "'");
        }
        return url.get();
    }

    private static URI redisUrl(Map<String, String> env, boolean required, List<String> errors) {
        Optional<String> url = value(env, "REDIS_URL");
        if (url.isEmpty()) {
            if (required) {
                errors.add("REDIS_URL: must be set, e.g. redis://127.0.0.1:6379");
            }
            return null;
        }
        try {
            URI uri = new URI(url.get());
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        errors.add("REDIS_URL: must look like redis://host:port, was '" + url.get() + "'");
        return null;
    }

    /** Raised with every configuration problem found. */
    static final class ConfigException extends RuntimeException {
        private final List<String> errors;

        ConfigException(List<String> errors) {
            super("invalid configuration: " + String.join("; ", errors));
            this.errors = List.copyOf(errors);
        }

        List<String> errors() {
            return errors;
        }
    }
}
