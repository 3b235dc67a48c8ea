package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.spec.SlipwaySpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
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

    /** The project file, with STAGE checked against it before anything else (git, the journal) is asked. */
    SlipwaySpec specWithStage() {
        SlipwaySpec spec = project.spec();
        Stages.require(spec, stage, project.file);
        return spec;
    }

    PrintWriter out() {
        return cmd.commandLine().getOut();
    }

    PrintWriter err() {
        return cmd.commandLine().getErr();
    }

    /** {@code --commit} for commands that take one. */
    static final class Commit {
        /** A commit id as git prints it: 7 to 40 hex digits (SHA-1), or 64 (SHA-256 repositories). */
        static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,40}|[0-9a-fA-F]{64}");
        /** Longer than any ref name git accepts in practice; past it a value is not worth asking git about. */
        static final int MAX_REF = 255;

        @Option(names = "--commit", paramLabel = "SHA", description = {"The commit: 7 to 40 hex digits, or a branch, tag or",
                "revision git resolves in this checkout (default: GITHUB_SHA, else the checked-out HEAD)."})
        String sha;

        /**
         * The full SHA of {@code --commit} (default GITHUB_SHA, else HEAD). In a git checkout it must name a commit of
         * the repository, since that is where the image is built from; outside one (a deploy of {@code --image}, whose
         * build step then needs no source) it must be a SHA. Git is asked without a shell and after
         * {@code --end-of-options}, so no value reaches it as an option.
         */
        String orHead(SlipwaySpec spec) {
            String env = System.getenv("GITHUB_SHA");
            if (sha == null && (env == null || env.isBlank())) {
                return Git.head(spec.baseDir());
            }
            return check(sha != null ? "--commit" : "GITHUB_SHA", sha != null ? sha : env, spec.baseDir());
        }

        static String check(String name, String asked, Path dir) {
            if (asked.isEmpty()) {
                throw bad(name + " is empty; give a commit SHA (7 to 40 hex digits) or a branch or tag");
            }
            Optional<Git.Repo> repo = Git.repo(dir);
            if (repo.isEmpty()) {
                if (!SHA.matcher(asked).matches()) {
                    throw bad(name + " '" + Display.value(asked) + "' must be a commit SHA (7 to 40 hex digits): " + dir
                            + " is not a git checkout, so no branch or tag can be resolved there");
                }
                return asked.toLowerCase(java.util.Locale.ROOT);
            }
            if (asked.length() > MAX_REF || asked.startsWith("-") || asked.codePoints().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw bad(name + " '" + Display.value(asked) + "' is not a commit name: a SHA (7 to 40 hex digits), or a"
                        + " branch, tag or revision of at most " + MAX_REF + " characters without spaces");
            }
            return repo.get().resolve(asked).orElseThrow(() -> bad(name + " '" + Display.value(asked) + "' is not a commit of"
                    + " the repository at " + repo.get().top() + " (git fetch it first, or check the SHA)"));
        }

        private static SlipwayException bad(String message) {
            return new SlipwayException(ErrorCode.BAD_USAGE, message);
        }
    }

    /** {@code --requested-by} for commands that start a run. */
    static final class Requester {
        @Option(names = "--requested-by", paramLabel = "NAME", description = "Who asks (default: GITHUB_ACTOR, else USER).")
        String name;

        String orCurrent() {
            return name != null ? Who.check("--requested-by", name) : Who.current();
        }
    }
}
