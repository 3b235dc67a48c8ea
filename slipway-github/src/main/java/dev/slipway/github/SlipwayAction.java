package dev.slipway.github;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.util.regex.Pattern;

/**
 * The Slipway GitHub Action (action.yml at the root of Slipway's repository) at one release: the workflows
 * {@link WorkflowGenerator} writes run it as {@code uses: REPOSITORY@vVERSION} with {@code version: VERSION}, so the
 * deploy runs exactly the Slipway version that wrote them and nothing of Slipway is kept in the user's repository.
 */
public record SlipwayAction(String repository, String version) {
    /**
     * Slipway's own repository on github.com, where the action and the release jars are published. action.yml's
     * {@code base-url} default names the same repository ({@code ActionIT} checks that the two agree).
     */
    public static final String REPOSITORY = "slipway-dev/slipway";
    private static final Pattern OWNER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]*");

    public SlipwayAction {
        if (repository == null || !OWNER_NAME.matcher(repository).matches()) {
            throw new IllegalArgumentException("not an owner/name repository: " + repository);
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, "this Slipway has no release version (" + version + "), so the "
                    + "workflows could not pin the Slipway action to it: run `slipway init github` with a released Slipway jar");
        }
    }

    /** The action of Slipway's own repository at {@code version}. */
    public static SlipwayAction release(String version) {
        return new SlipwayAction(REPOSITORY, version);
    }

    /** What a workflow step's {@code uses:} says. */
    public String uses() {
        return repository + "@v" + version;
    }

    /** A development build: no release of it is published, so the action cannot download it. */
    public boolean snapshot() {
        return version.endsWith("-SNAPSHOT");
    }
}
