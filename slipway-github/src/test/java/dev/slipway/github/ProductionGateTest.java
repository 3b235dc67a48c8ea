package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.github.GithubSettings.ProtectionPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProductionGateTest {
    private final FakeGithub github = new FakeGithub();
    private final GithubApi api = Fixtures.api(github.url(), new Fixtures.RecordingSleeper());
    private final SlipwaySpec spec = Fixtures.spec(Fixtures.LOCAL_SPEC, Path.of("."));
    private final StageSpec production = spec.stage("production").orElseThrow();
    private final GithubSettings settings = new GithubSettings(github.url(), "t0ken", FakeGithub.REPO, null, null);

    ProductionGateTest() throws IOException {
    }

    @AfterEach
    void stop() {
        GithubRequests.assertConform(github.requests());
        github.close();
    }

    @Test
    void decide_productionProtected_allows() {
        ProductionGate.Decision d = ProductionGate.decide(production, settings, api);
        assertThat(d.allowed()).isTrue();
        assertThat(d.report().passed()).isTrue();
    }

    @Test
    void decide_adminsCanBypass_refusesNamingTheFailedRule() {
        github.enforceAdmins = false;

        ProductionGate.Decision d = ProductionGate.decide(production, settings, api);

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("FAIL     admins cannot bypass").contains("refused: production is not protected")
                .contains("SLIPWAY_GITHUB_PROTECTION=warn");
    }

    @Test
    void decide_tokenCannotReadProtection_refuses() {
        github.branchProtectionForbidden = true;
        assertThat(ProductionGate.decide(production, settings, api).allowed()).isFalse();
    }

    @Test
    void decide_adminsCanBypassWithWarnPolicy_allowsWithWarning() {
        github.enforceAdmins = false;

        ProductionGate.Decision d = ProductionGate.decide(production, settings.withProtection(ProtectionPolicy.WARN), api);

        assertThat(d.allowed()).isTrue();
        assertThat(d.message()).contains("deploying production anyway");
    }

    @Test
    void decide_policyOff_allowsWithoutAskingGithub() {
        github.enforceAdmins = false;
        assertThat(ProductionGate.decide(production, settings.withProtection(ProtectionPolicy.OFF), api).allowed()).isTrue();
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void decide_noToken_allowsWithoutAskingGithub() {
        assertThat(ProductionGate.decide(production, settings.withToken(null), null).allowed()).isTrue();
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void decide_githubDown_allowsWithWarning() {
        github.fault("GET", ".*", 502, Map.of(), 100);

        ProductionGate.Decision d = ProductionGate.decide(production, settings, api);

        assertThat(d.allowed()).isTrue();
        assertThat(d.message()).contains("GitHub could not be reached");
    }

    @Test
    void decide_stagingStage_allowsWithoutCheck() {
        github.enforceAdmins = false;
        assertThat(ProductionGate.decide(spec.stage("staging").orElseThrow(), settings, api).allowed()).isTrue();
        assertThat(github.requests()).isEmpty();
    }
}
