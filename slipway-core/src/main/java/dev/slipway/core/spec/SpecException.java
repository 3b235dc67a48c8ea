package dev.slipway.core.spec;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.util.List;

/** A {@code slipway.yml} that is not valid; {@link #problems()} holds every problem found, each prefixed by its path. */
public final class SpecException extends SlipwayException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public SpecException(String source, List<String> problems) {
        super(ErrorCode.BAD_CONFIG, source + ": " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
