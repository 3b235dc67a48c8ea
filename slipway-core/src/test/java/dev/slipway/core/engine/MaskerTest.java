package dev.slipway.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.SpecException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MaskerTest {
    private final Masker masker = new Masker();

    @Test
    void mask_secretInsideALongerValue_masksTheReferencedValueWherever() {
        UnaryOperator<String> env = Map.of("S", "Zq7-secret-9xK")::get;
        ConfigValue dsn = ConfigValue.of("app:${env:S}");
        masker.add(dsn, env, dsn.resolve(env, "DSN"));

        assertThat(masker.mask("DSN=app:Zq7-secret-9xK; token Zq7-secret-9xK; half Zq7-sec"))
                .isEqualTo("DSN=****; token ****; half Zq7-sec");
    }

    @Test
    void of_specWithAGrafanaToken_masksTheTokenFromTheStart() {
        dev.slipway.core.spec.SlipwaySpec spec = new dev.slipway.core.spec.SpecLoader(java.util.Set.of("local")).parse("""
                app: demo
                build: {context: .}
                metrics:
                  grafana: {url: "http://127.0.0.1:3000", token: "${env:GRAFANA_TOKEN}"}
                stages:
                  staging: {branch: main, target: local}
                """, "slipway.yml", java.nio.file.Path.of("/project"));

        Masker m = Masker.of(spec, Map.of("GRAFANA_TOKEN", "glsa_abcdef0123456789")::get);

        assertThat(m.mask("grafana said: bad token glsa_abcdef0123456789")).isEqualTo("grafana said: bad token ****");
    }

    @Test
    void mask_overlappingSecrets_masksTheWholeStretchTheyCover() {
        masker.add("abcdef");
        masker.add("defghi");

        assertThat(masker.mask("x abcdefghi y")).isEqualTo("x **** y");
    }

    @Test
    void mask_secretShorterThanFour_isLeftAlone() {
        masker.add("db");

        assertThat(masker.mask("host db is up")).isEqualTo("host db is up");
    }

    @Test
    void mask_urlCredentials_areMaskedEvenWhenNotASecretOfTheSpec() {
        assertThat(masker.mask("cannot reach jdbc:postgresql://u:pw99@h/db")).isEqualTo("cannot reach jdbc:postgresql://u:****@h/db");
    }

    @Test
    void refuseShort_shortPasswordOrBuildSecret_isABadConfigNamingThePath() {
        assertThatThrownBy(() -> Masker.refuseShort("stages.staging.database.password", "abc"))
                .isInstanceOf(SpecException.class).hasMessageContaining("stages.staging.database.password")
                .hasMessageContaining("3 character(s)").hasMessageNotContaining("abc");
        assertThatThrownBy(() -> Masker.refuseShort("build.secrets.npm", "x")).isInstanceOf(SpecException.class);
        Masker.refuseShort("stages.staging.database.password", ""); // no password at all
        Masker.refuseShort("stages.staging.environment.HOST", "db"); // not a secret by nature
    }
}
