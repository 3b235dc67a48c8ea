package dev.slipway.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
    @Test
    void url_userInfoPassword_isMaskedAndUserAndHostStay() {
        assertThat(Redact.url("jdbc:postgresql://app:s3cr3t-pw@db.internal:5432/shop"))
                .isEqualTo("jdbc:postgresql://app:****@db.internal:5432/shop");
    }

    @Test
    void url_passwordWithAnAtSign_masksUpToTheLastAtBeforeTheHost() {
        assertThat(Redact.url("postgresql://app:p@ss@db/shop")).isEqualTo("postgresql://app:****@db/shop");
    }

    @Test
    void url_credentialParameters_areMaskedAndOthersStay() {
        assertThat(Redact.url("jdbc:postgresql://db/shop?user=app&password=hunter22&sslmode=require&sslpassword=k3y-pass"))
                .isEqualTo("jdbc:postgresql://db/shop?user=app&password=****&sslmode=require&sslpassword=****");
        assertThat(Redact.url("jdbc:sqlserver://db;user=app;Password=hunter22;encrypt=true"))
                .isEqualTo("jdbc:sqlserver://db;user=app;Password=****;encrypt=true");
        assertThat(Redact.url("https://api.example/x?access_token=abc123&page=2"))
                .isEqualTo("https://api.example/x?access_token=****&page=2");
    }

    @Test
    void url_withoutCredentials_isUnchanged() {
        assertThat(Redact.url("http://127.0.0.1:8080/healthz")).isEqualTo("http://127.0.0.1:8080/healthz");
        assertThat(Redact.url("jdbc:sqlite:/tmp/x/state.db")).isEqualTo("jdbc:sqlite:/tmp/x/state.db");
        assertThat(Redact.url(null)).isNull();
    }

    @Test
    void text_driverMessageQuotingAUrl_masksItsCredentialsOnly() {
        assertThat(Redact.text("Connection to redis://:r3dis-pw@cache:6379/0 refused. Check that the host is up."))
                .isEqualTo("Connection to redis://:****@cache:6379/0 refused. Check that the host is up.");
    }
}
