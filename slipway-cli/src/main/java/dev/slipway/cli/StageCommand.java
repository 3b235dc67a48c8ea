package dev.slipway.cli;

import dev.slipway.core.spec.SlipwaySpec;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command about one stage shares: the project options, the STAGE argument, where output goes. */
abstract class StageCommand {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Parameters(index = "0", paramLabel = "STAGE")
    String stage;

    PrintWriter out() {
        return cmd.commandLine().getOut();
    }

    PrintWriter err() {
        return cmd.commandLine().getErr();
    }

    /** {@code --commit} for commands that take one. */
    static final class Commit {
        @Option(names = "--commit", description = "The commit (default: GITHUB_SHA, else the checked-out HEAD).")
        String sha;

        /**
         * The full SHA of {@code --commit} (default GITHUB_SHA, else HEAD). In a git checkout it must name a commit of
         * the repository, since that is where the image is built from; outside one (a deploy of {@code --image}, whose
         * build step then needs no source) it is only a name and must look like one. Either way nothing reaches git or a
         * shell as an option.
         */
        String orHead(SlipwaySpec spec) {
            String asked = sha != null ? sha : Git.head(spec.baseDir());
            java.util.Optional<Git.Repo> repo = Git.repo(spec.baseDir());
            if (repo.isPresent()) {
                if (!asked.matches("[0-9A-Za-z][0-9A-Za-z._/~^-]{0,199}")) {
                    throw bad("--commit '" + shorten(asked) + "' is not a commit name (a SHA, a tag or a branch)");
                }
                return repo.get().resolve(asked).orElseThrow(() -> bad("--commit " + shorten(asked) + " is not a commit of the"
                        + " repository at " + repo.get().top() + " (git fetch it first, or check the SHA)"));
            }
            if (!asked.matches("[0-9A-Za-z][0-9A-Za-z._-]{0,63}")) {
                throw bad("--commit '" + shorten(asked) + "' must be a commit SHA (up to 64 letters, digits, '.', '_' or '-')"
                        + " when " + spec.baseDir() + " is not a git checkout");
            }
            return asked;
        }

        private static dev.slipway.core.SlipwayException bad(String message) {
            return new dev.slipway.core.SlipwayException(dev.slipway.core.ErrorCode.BAD_USAGE, message);
        }

        private static String shorten(String s) {
            return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + " characters)" : s;
        }
    }

    /** {@code --requested-by} for commands that start a run. */
    static final class Requester {
        @Option(names = "--requested-by", description = "Who asks (default: GITHUB_ACTOR, else USER).")
        String name;

        String orCurrent() {
            return name != null ? name : Who.current();
        }
    }
}
