package dev.slipway.core.journal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The journal contract against a real PostgreSQL named by {@code SLIPWAY_TEST_PG_URL} (set by scripts/test.sh and CI).
 * Skipped with a message where none is configured, except in CI, where a missing database is a failure.
 */
class PostgresJournalTest extends JournalContract {
    static final String URL = System.getenv("SLIPWAY_TEST_PG_URL");

    @BeforeAll
    static void requirePostgres() {
        if ("true".equals(System.getenv("CI")) && URL == null) {
            throw new IllegalStateException("CI=true but SLIPWAY_TEST_PG_URL is not set: .ci/run must start PostgreSQL");
        }
        assumeTrue(URL != null, "SLIPWAY_TEST_PG_URL not set: skipping PostgreSQL journal tests (scripts/test.sh sets it)");
    }

    @Override
    String[] store() {
        return new String[] {URL, System.getenv().getOrDefault("SLIPWAY_TEST_PG_USER", "postgres"),
                System.getenv("SLIPWAY_TEST_PG_PASSWORD")};
    }
}
