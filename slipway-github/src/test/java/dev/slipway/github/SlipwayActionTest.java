package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import org.junit.jupiter.api.Test;

class SlipwayActionTest {
    @Test
    void uses_release_isTheRepositoryAtTheVersionTag() {
        assertThat(SlipwayAction.release("0.3.1").uses()).isEqualTo("slipway-dev/slipway@v0.3.1");
    }

    @Test
    void release_noVersion_isBadUsageNamingWhatToDo() {
        assertThatThrownBy(() -> SlipwayAction.release(null)).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("released Slipway jar")
                .satisfies(e -> assertThat(((SlipwayException) e).code()).isEqualTo(ErrorCode.BAD_USAGE));
    }

    @Test
    void release_versionThatIsNotATagName_isRefused() {
        assertThatThrownBy(() -> SlipwayAction.release("1.0/../x")).isInstanceOf(SlipwayException.class);
    }

    @Test
    void snapshot_onlyForDevelopmentBuilds() {
        assertThat(SlipwayAction.release("0.1.0-SNAPSHOT").snapshot()).isTrue();
        assertThat(SlipwayAction.release("0.1.0").snapshot()).isFalse();
    }
}
