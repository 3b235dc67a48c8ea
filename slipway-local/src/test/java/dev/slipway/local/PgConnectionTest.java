package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgConnectionTest {
    @Test
    void parse_plainUrl_givesLibpqUriAndCredentialsInTheEnvironment() {
        PgConnection db = PgConnection.parse("jdbc:postgresql://127.0.0.1:55432/hello_staging", "app", "s3cret");

        assertThat(db.libpqUri()).isEqualTo("postgresql://127.0.0.1:55432/hello_staging");
        assertThat(db.toolEnvironment()).containsEntry("PGUSER", "app").containsEntry("PGPASSWORD", "s3cret");
        assertThat(db.describe()).isEqualTo("127.0.0.1:55432/hello_staging");
        assertThat(db.toString()).doesNotContain("s3cret");
    }

    @Test
    void parse_queryParameters_keepsLibpqOnesAndMovesCredentialsOut() {
        PgConnection db = PgConnection.parse("jdbc:postgresql://db:5432/app?sslmode=require&user=u&password=p%40ss"
                + "&connectTimeout=3&prepareThreshold=0", null, null);

        assertThat(db.libpqUri()).isEqualTo("postgresql://db:5432/app?sslmode=require&connect_timeout=3");
        assertThat(db.user()).isEqualTo("u");
        assertThat(db.password()).isEqualTo("p@ss");
        assertThat(db.libpqUri()).doesNotContain("p@ss");
    }

    @Test
    void parse_notPostgres_isRejected() {
        assertThatThrownBy(() -> PgConnection.parse("jdbc:mysql://x/y", null, null)).hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> PgConnection.parse("jdbc:postgresql://host:5432/", null, null)).hasMessageContaining("no database");
    }

    @Test
    void scrub_driverMessage_losesThePasswordAndUrlCredentials() {
        PgConnection c = PgConnection.parse("jdbc:postgresql://db:5432/shop?password=Pw-9f3k", "app", null);

        assertThat(c.scrub("FATAL: bad password Pw-9f3k for jdbc:postgresql://app:Pw-9f3k@db/shop"))
                .isEqualTo("FATAL: bad password **** for jdbc:postgresql://app:****@db/shop");
    }

    @Test
    void withDatabase_urlWithQuery_replacesOnlyTheDatabase() {
        PgConnection db = PgConnection.parse("jdbc:postgresql://db:5432/shop?sslmode=require&password=pw", "app", null);

        PgConnection scratch = db.withDatabase("shop_pf_01jb");

        assertThat(scratch.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/shop_pf_01jb?sslmode=require&password=pw");
        assertThat(scratch.libpqUri()).isEqualTo("postgresql://db:5432/shop_pf_01jb?sslmode=require");
        assertThat(scratch.user()).isEqualTo("app");
        assertThat(scratch.password()).isEqualTo("pw");
    }
}
