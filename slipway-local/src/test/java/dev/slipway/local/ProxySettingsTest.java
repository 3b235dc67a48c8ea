package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.spec.LocalSpec;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.StepName;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
    @Test
    void localProxy_absent_isNoneAndOnlineIsUnsupportedNamingThePort() {
        SlipwaySpec spec = Specs.local("host", 1);
        LocalSpec local = spec.stage("staging").orElseThrow().local();

        assertThat(local.proxied()).isFalse();
        assertThat(target().onlineUnsupported(spec.stage("staging").orElseThrow()))
                .contains("with local.proxy: none the old and new replicas cannot share port 19000; set local.proxy: caddy");
    }

    @Test
    void localProxy_caddy_adminDefaultsToPortPlus500AndOnlineIsSupported() {
        SlipwaySpec spec = Specs.local("host", 1, ", proxy: caddy");
        LocalSpec local = spec.stage("staging").orElseThrow().local();

        assertThat(local.proxyAdmin()).isEqualTo(19500);
        assertThat(target().onlineUnsupported(spec.stage("staging").orElseThrow())).isEmpty();
    }

    @Test
    void localProxy_unknown_isAnErrorListingTheChoices() {
        assertThatThrownBy(() -> Specs.local("host", 1, ", proxy: nginx"))
                .hasMessageContaining("stages.staging.local.proxy: must be one of none, caddy; found 'nginx'");
    }

    @Test
    void localProxyAdmin_sameAsPort_isAnError() {
        assertThatThrownBy(() -> Specs.local("host", 1, ", proxy: caddy, proxy-admin: 19000"))
                .hasMessageContaining("stages.staging.local.proxy-admin: must differ from local.port (19000)");
    }

    @Test
    void config_holdsRequestsForMigrationsPlusHealthAndListensOnTheStagePort() {
        FixedContext ctx = new FixedContext(Specs.local("host", 2, ", proxy: caddy"), "staging", 3, "abc").at(StepName.VERIFY);

        JsonNode config = new CaddyProxy(ctx).config(List.of(41000, 41001));

        assertThat(config.at("/admin/listen").asText()).isEqualTo("127.0.0.1:19500");
        JsonNode server = config.at("/apps/http/servers/slipway");
        assertThat(server.at("/listen/0").asText()).isEqualTo(":19000");
        JsonNode proxy = server.at("/routes/0/handle/0");
        assertThat(proxy.at("/upstreams").toString()).isEqualTo("[{\"dial\":\"127.0.0.1:41000\"},{\"dial\":\"127.0.0.1:41001\"}]");
        assertThat(proxy.at("/load_balancing/try_duration").asText()).isEqualTo("50000ms"); // 30 s + 20 s
        assertThat(CaddyProxy.dir(ctx)).isEqualTo(Path.of("/project/.slipway/proxy/staging"));
    }

    private static LocalTarget target() {
        return new LocalTarget(() -> null, FakeContainers::new, null, null, null);
    }
}
