package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.SlipwayException;
import dev.slipway.github.GithubSettings.ProtectionPolicy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GithubSettingsTest {
    private static final Map<String, String> ACTIONS = Map.of(
            "GITHUB_TOKEN", "ghs_job", "GITHUB_REPOSITORY", "acme/shop", "GITHUB_API_URL", "https://ghe.acme.test/api/v3",
            "GITHUB_SERVER_URL", "https://ghe.acme.test", "GITHUB_RUN_ID", "99", "GITHUB_RUN_ATTEMPT", "2");

    @Test
    void fromEnv_actionsEnvironment_readsTokenRepositoryApiAndRunUrl() {
        GithubSettings s = GithubSettings.fromEnv(ACTIONS::get);

        assertThat(s.token()).isEqualTo("ghs_job");
        assertThat(s.repository()).isEqualTo("acme/shop");
        assertThat(s.apiUrl()).isEqualTo(URI.create("https://ghe.acme.test/api/v3"));
        assertThat(s.logUrl()).isEqualTo("https://ghe.acme.test/acme/shop/actions/runs/99/attempts/2");
        assertThat(s.protection()).isEqualTo(ProtectionPolicy.ENFORCE);
        assertThat(s.usable()).isTrue();
    }

    @Test
    void fromEnv_nothingSet_defaultsToGithubComWithoutToken() {
        GithubSettings s = GithubSettings.fromEnv(name -> null);
        assertThat(s.apiUrl()).isEqualTo(URI.create("https://api.github.com"));
        assertThat(s.usable()).isFalse();
        assertThat(s.logUrl()).isNull();
    }

    @Test
    void fromEnv_slipwayTokenAndEmptyProtectionVariable_prefersSlipwayTokenAndEnforces() {
        Map<String, String> env = new java.util.HashMap<>(ACTIONS);
        env.put("SLIPWAY_GITHUB_TOKEN", "github_pat_admin");
        env.put("SLIPWAY_GITHUB_PROTECTION", "");
        GithubSettings s = GithubSettings.fromEnv(env::get);
        assertThat(s.token()).isEqualTo("github_pat_admin");
        assertThat(s.protection()).isEqualTo(ProtectionPolicy.ENFORCE);
    }

    @Test
    void fromEnv_emptySlipwayToken_fallsBackToJobToken() {
        Map<String, String> env = new java.util.HashMap<>(ACTIONS);
        env.put("SLIPWAY_GITHUB_TOKEN", "");
        assertThat(GithubSettings.fromEnv(env::get).token()).isEqualTo("ghs_job");
    }

    @Test
    void fromEnv_unknownProtectionPolicy_failsNamingTheVariable() {
        assertThatThrownBy(() -> GithubSettings.fromEnv(Map.of("SLIPWAY_GITHUB_PROTECTION", "maybe")::get))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("SLIPWAY_GITHUB_PROTECTION");
    }

    @Test
    void toString_withToken_masksIt() {
        assertThat(GithubSettings.fromEnv(ACTIONS::get).toString()).doesNotContain("ghs_job").contains("****");
    }

    @Test
    void withRepository_notOwnerSlashName_failsAsBadConfig() {
        assertThatThrownBy(() -> GithubSettings.fromEnv(ACTIONS::get).withRepository("shop"))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("owner/name");
    }

    @Test
    void withApiUrl_notHttp_failsAsBadConfig() {
        assertThatThrownBy(() -> GithubSettings.fromEnv(ACTIONS::get).withApiUrl("ghe.acme.test"))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("not an http(s) URL");
    }
}
