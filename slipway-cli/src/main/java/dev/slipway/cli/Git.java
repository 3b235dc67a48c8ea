package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The little Slipway asks of git: which commit is meant, and that commit's tree. Never through a shell. */
final class Git {
    private static final long WAIT_SECONDS = 120;

    private Git() {
    }

    /** A repository: its work tree's top and its git directory. */
    record Repo(Path top, Path gitDir) {
        boolean hasCommit(String commit) {
            return run(null, "--git-dir=" + gitDir, "cat-file", "-e", commit + "^{commit}").exit() == 0;
        }

        /** The committer time of {@code commit} (the DORA lead time starts there); empty when git cannot say. */
        Optional<java.time.Instant> commitTime(String commit) {
            Result r = run(null, "--git-dir=" + gitDir, "show", "-s", "--format=%ct", commit + "^{commit}", "--");
            try {
                return r.exit() == 0 ? Optional.of(java.time.Instant.ofEpochSecond(Long.parseLong(r.out().trim()))) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** The full SHA of {@code rev} if it names a commit of this repository. */
        Optional<String> resolve(String rev) {
            Result r = run(null, "--git-dir=" + gitDir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}");
            return r.exit() == 0 ? Optional.of(r.out().trim()) : Optional.empty();
        }

        /** The git tree id of commit {@code commit}, if this repository holds the commit. */
        Optional<String> tree(String commit) {
            Result r = run(null, "--git-dir=" + gitDir, "rev-parse", "--verify", "--quiet", "--end-of-options", commit + "^{tree}");
            return r.exit() == 0 && r.out().trim().matches("[0-9a-f]{40,64}") ? Optional.of(r.out().trim()) : Optional.empty();
        }

        /**
         * {@code git diff --name-status -M from to -- under} as tab-separated lines ({@code R100\told\tnew}), paths as
         * git prints them (relative to the repository's top); {@code from} null lists every file of {@code to} under
         * {@code under} as added. Read with {@code -z}, so no path is quoted or escaped. Empty when git fails.
         */
        Optional<List<String>> nameStatus(String from, String to, String under) {
            // ":(top)" alone is the whole tree; ":(top)." matches nothing, so a spec at the top saw no change at all
            String spec = under;
            Result r = from == null
                    ? run(null, "--git-dir=" + gitDir, "ls-tree", "-r", "-z", "--name-only", "--full-tree", to, "--", ":(top)" + spec)
                    : run(null, "--git-dir=" + gitDir, "diff", "--name-status", "-z", "-M", "--no-ext-diff", from, to, "--", ":(top)" + spec);
            if (r.exit() != 0) {
                return Optional.empty();
            }
            String[] f = r.out().split("\0");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < f.length; i++) {
                if (f[i].isEmpty()) {
                    continue;
                }
                if (from == null) {
                    lines.add("A\t" + f[i]);
                } else if ((f[i].startsWith("R") || f[i].startsWith("C")) && i + 2 < f.length) {
                    lines.add(f[i] + "\t" + f[i + 1] + "\t" + f[i + 2]);
                    i += 2;
                } else if (i + 1 < f.length) {
                    lines.add(f[i] + "\t" + f[i + 1]);
                    i += 1;
                }
            }
            return Optional.of(lines);
        }

        /** Whether the work tree has uncommitted changes to tracked files. */
        boolean dirty() {
            return !run(top, "status", "--porcelain", "--untracked-files=no").out().isBlank();
        }

        /**
         * Writes the tree of {@code commit} into {@code dir} ({@code git archive | tar -x}), private like the rest of
         * {@code .slipway/}: files 0600, executables 0700, directories 0700 (tar.umask 077; git's default 002 would make
         * them world-readable). The image build takes only the owner's execute bit from them.
         */
        void archiveInto(String commit, Path dir) throws IOException {
            List<ProcessBuilder> pipe = List.of(
                    new ProcessBuilder("git", "--git-dir=" + gitDir, "-c", "tar.umask=0077", "archive", "--format=tar", commit)
                            .redirectError(ProcessBuilder.Redirect.DISCARD),
                    new ProcessBuilder("tar", "-x", "-C", dir.toString()).redirectErrorStream(true));
            List<Process> ps = ProcessBuilder.startPipeline(pipe);
            try {
                String tarOut = new String(ps.get(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                for (Process p : ps) {
                    if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new IOException("git archive of " + commit + " did not finish within " + WAIT_SECONDS + " s");
                    }
                }
                if (ps.get(0).exitValue() != 0 || ps.get(1).exitValue() != 0) {
                    throw new IOException("git archive " + commit + " | tar -x failed: " + tarOut.trim());
                }
            } catch (InterruptedException e) {
                ps.forEach(Process::destroyForcibly);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unpacking " + commit, e);
            }
        }
    }

    record Result(int exit, String out) {
    }

    /** The repository {@code dir} is in, if any. */
    static Optional<Repo> repo(Path dir) {
        Result top = run(dir, "rev-parse", "--show-toplevel");
        Result gitDir = run(dir, "rev-parse", "--absolute-git-dir");
        if (top.exit() != 0 || gitDir.exit() != 0) {
            return Optional.empty();
        }
        return Optional.of(new Repo(Path.of(top.out().trim()), Path.of(gitDir.out().trim())));
    }

    /** The repository whose git directory is {@code gitDir} (a requester's origin), if it is one. */
    static Optional<Repo> repoAt(String gitDir) {
        Result r = run(null, "--git-dir=" + gitDir, "rev-parse", "--absolute-git-dir");
        return r.exit() == 0 ? Optional.of(new Repo(Path.of(gitDir), Path.of(r.out().trim()))) : Optional.empty();
    }

    /** GITHUB_SHA in Actions, else the checked-out HEAD. */
    static String head(Path dir) {
        String env = System.getenv("GITHUB_SHA");
        if (env != null && !env.isBlank()) {
            return env;
        }
        Result r = run(dir, "rev-parse", "--verify", "HEAD^{commit}");
        if (r.exit() == 0) {
            return r.out().trim();
        }
        throw new SlipwayException(ErrorCode.BAD_USAGE, dir + " is not a git checkout with a commit; pass --commit SHA");
    }

    private static Result run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "git did not answer");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, "git is not installed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
