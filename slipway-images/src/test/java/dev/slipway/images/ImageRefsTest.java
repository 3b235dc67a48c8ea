package dev.slipway.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageRefsTest {
    @Test
    void tag_fullSha_isKept() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        assertThat(ImageRefs.tag(sha)).isEqualTo(sha);
    }

    @Test
    void tag_branchLikeName_replacesInvalidCharacters() {
        assertThat(ImageRefs.tag("feature/x y")).isEqualTo("feature-x-y");
        assertThat(ImageRefs.tag("-rc")).isEqualTo("c-rc");
        assertThat(ImageRefs.tag("a".repeat(200))).hasSize(128);
    }

    @Test
    void repositoryAndTag_registryWithPort_splitAtTheTagColon() {
        assertThat(ImageRefs.repository("127.0.0.1:5000/team/app:abc")).isEqualTo("127.0.0.1:5000/team/app");
        assertThat(ImageRefs.tagOf("127.0.0.1:5000/team/app:abc")).isEqualTo("abc");
        assertThat(ImageRefs.repository("127.0.0.1:5000/app")).isEqualTo("127.0.0.1:5000/app");
        assertThat(ImageRefs.tagOf("127.0.0.1:5000/app")).isEqualTo("latest");
    }

    @Test
    void local_appAndCommit_makeTheLocalReference() {
        assertThat(ImageRefs.local("hello", "abc123")).isEqualTo("hello:abc123");
    }
}
