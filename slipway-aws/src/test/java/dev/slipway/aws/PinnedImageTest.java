package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.target.TargetException;
import org.junit.jupiter.api.Test;

/** {@code deploy --image} references read as a container engine reads them. */
class PinnedImageTest {
    static final String D = "sha256:" + "ab".repeat(32);

    @Test
    void parse_registryHostsAndDockerHubNames() {
        assertThat(PinnedImage.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/ci/builds@" + D))
                .isEqualTo(new PinnedImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/ci/builds@" + D,
                        "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "ci/builds", D));
        assertThat(PinnedImage.parse("127.0.0.1:5000/hello:v1@" + D)).extracting(PinnedImage::registry, PinnedImage::repository)
                .containsExactly("127.0.0.1:5000", "hello");
        assertThat(PinnedImage.parse("localhost/hello@" + D)).extracting(PinnedImage::registry).isEqualTo("localhost");
        assertThat(PinnedImage.parse("hello@" + D)).extracting(PinnedImage::registry, PinnedImage::repository)
                .containsExactly("docker.io", "library/hello");
        assertThat(PinnedImage.parse("acme/hello@" + D)).extracting(PinnedImage::registry, PinnedImage::repository)
                .containsExactly("docker.io", "acme/hello");
    }

    @Test
    void parse_withoutADigest_isRefusedNamingTheForm() {
        assertThatThrownBy(() -> PinnedImage.parse("hello:latest")).isInstanceOf(TargetException.class)
                .hasMessageContaining("REF@sha256:<64 hex digits>");
    }
}
