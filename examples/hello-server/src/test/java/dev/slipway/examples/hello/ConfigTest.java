package dev.slipway.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static final String DB = "jdbc:postgresql://127.0.0.1:55432/hello";

    @Test
    void fromEnv_onlyDatabaseUrl_usesDefaults() {
        Config config = Config.fromEnv(Map.of("DATABASE_URL", DB), Config.Needs.DATABASE);

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.stage()).isEqualTo("dev");
        assertThat(config.version()).isEqualTo("dev");
        assertThat(config.migrationsDir()).isEqualTo(Path.of("/app/migrations"));
        assertThat(config.shutdownGraceSeconds()).isEqualTo(5);
        assertThat(config.databaseUser()).isNull();
        assertThat(config.redisUrl()).isNull();
    }

    @Test
    void fromEnv_everythingSet_readsEveryVariable() {
        Config config = Config.fromEnv(Map.of("PORT", "18080", "DATABASE_URL", DB, "DATABASE_USER", "postgres",
                "DATABASE_PASSWORD", "secret", "REDIS_URL", "redis://127.0.0.1:16379", "STAGE", "staging",
                "APP_VERSION", "abc123", "MIGRATIONS_DIR", "/tmp/m", "SHUTDOWN_GRACE_SECONDS", "2"),
                Config.Needs.DATABASE_AND_REDIS);

        assertThat(config.port()).isEqualTo(18080);
        assertThat(config.databaseUser()).isEqualTo("postgres");
        assertThat(config.databasePassword()).isEqualTo("secret");
        assertThat(config.redisUrl().getPort()).isEqualTo(16379);
        assertThat(config.stage()).isEqualTo("staging");
        assertThat(config.version()).isEqualTo("abc123");
        assertThat(config.migrationsDir()).isEqualTo(Path.of("/tmp/m"));
        assertThat(config.shutdownGraceSeconds()).isEqualTo(2);
    }

    @Test
    void fromEnv_blankValues_countAsUnset() {
        Config config = Config.fromEnv(Map.of("DATABASE_URL", DB, "STAGE", "  ", "PORT", ""), Config.Needs.DATABASE);

        assertThat(config.stage()).isEqualTo("dev");
        assertThat(config.port()).isEqualTo(8080);
    }

    @Test
    void fromEnv_severalProblems_reportsAllAtOnce() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("PORT", "http", "DATABASE_URL", "postgres://x/db",
                "REDIS_URL", "localhost:6379"), Config.Needs.DATABASE_AND_REDIS))
                .isInstanceOfSatisfying(Config.ConfigException.class, e -> assertThat(e.errors()).containsExactly(
                        "PORT: must be a number from 1 to 65535, was 'http'",
                        "DATABASE_URL: must start with jdbc:postgresql://, was 'postgres://x/db'",
                        "REDIS_URL: must look like redis://host:port, was 'localhost:6379'"));
    }

    @Test
    void fromEnv_serveWithoutRedis_failsButMigrateDoesNot() {
        Map<String, String> env = Map.of("DATABASE_URL", DB);

        assertThatThrownBy(() -> Config.fromEnv(env, Config.Needs.DATABASE_AND_REDIS))
                .hasMessageContaining("REDIS_URL: must be set");
        assertThat(Config.fromEnv(env, Config.Needs.DATABASE).databaseUrl()).isEqualTo(DB);
    }

    @Test
    void fromEnv_noDatabaseUrl_fails() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of(), Config.Needs.DATABASE))
                .hasMessageContaining("DATABASE_URL: must be set");
    }

    @Test
    void toString_withPassword_leavesItOut() {
        Config config = Config.fromEnv(Map.of("DATABASE_URL", DB, "DATABASE_PASSWORD", "secret",
                "REDIS_URL", "redis://user:pw@127.0.0.1:6379"), Config.Needs.DATABASE_AND_REDIS);

        assertThat(config.toString()).doesNotContain("secret").doesNotContain("pw").contains("127.0.0.1:6379");
    }
}
