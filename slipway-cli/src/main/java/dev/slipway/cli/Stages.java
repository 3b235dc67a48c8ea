package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import java.nio.file.Path;
import java.util.List;

/** The STAGE a command names: checked against slipway.yml before anything else (git, the journal) is asked. */
final class Stages {
    private Stages() {
    }

    /** The stage called {@code name}, else exit 2 listing the stages, with the nearest one when a name is close. */
    static StageSpec require(SlipwaySpec spec, String name, Path file) {
        return spec.stage(name).orElseThrow(() -> new SlipwayException(ErrorCode.BAD_USAGE, "no stage '" + Display.value(name)
                + "' in " + Display.path(file) + "; stages are " + String.join(", ", spec.stages().keySet())
                + Nearest.to(name, List.copyOf(spec.stages().keySet())).map(s -> "; did you mean '" + s + "'?").orElse("")));
    }

    /** The stages a {@code --stage} option selects: that one (which must exist), or every stage when it is null. */
    static List<String> selected(SlipwaySpec spec, String stage, Path file) {
        if (stage == null) {
            return List.copyOf(spec.stages().keySet());
        }
        require(spec, stage, file);
        return List.of(stage);
    }
}
