package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunKeys;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 finding 6: an image labelled with commit X must hold X's tree, whatever the checkout of the process that
 * builds it holds. A real git repository (the git binary), since what is under test is what git archive gives.
 */
class GitSourcesTest {
    @TempDir
    Path dir;

    private String git(Path in, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@localhost"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private String commit(Path repo, String version) throws Exception {
        Files.writeString(repo.resolve("app/VERSION"), version);
        git(repo, "add", "-A");
        git(repo, "commit", "-qm", version);
        return git(repo, "rev-parse", "HEAD");
    }

    private Path repo(Path at) throws Exception {
        Files.createDirectories(at.resolve("app"));
        Files.writeString(at.resolve("app/slipway.yml"), """
                app: demo
                build: {context: .}
                stages:
                  staging: {branch: main, target: local}
                """);
        git(at, "init", "-q", "-b", "main");
        return at;
    }

    private static RunRecord run(String commit, String origin) {
        return new RunRecord(1, RunKeys.next(), "demo", "staging", commit, RunKind.DEPLOY, "t", Instant.now(), null, origin);
    }

    @Test
    void sourceDir_anotherCommitThanTheCheckout_holdsThatCommitsTreeNotTheWorkingTree() throws Exception {
        Path repo = repo(dir.resolve("repo"));
        String v1 = commit(repo, "one");
        commit(repo, "two");
        Files.writeString(repo.resolve("app/VERSION"), "uncommitted");
        SlipwaySpec spec = new SpecLoader().load(repo.resolve("app/slipway.yml"));

        Path tree = new GitSources().sourceDir(run(v1, null), spec);

        assertThat(Files.readString(tree.resolve("VERSION"))).isEqualTo("one");
        assertThat(tree).isEqualTo(repo.resolve("app/.slipway/src/" + v1 + "/app"));
        assertThat(Files.readString(repo.resolve("app/VERSION"))).isEqualTo("uncommitted");
        assertThat(git(repo, "status", "--porcelain", "--untracked-files=all")).as("nothing of .slipway/ for git to add")
                .isEqualTo("M app/VERSION");
    }

    @Test
    void sourceDir_underUmask022_unpacksPrivatelyKeepingTheOwnersExecuteBit() throws Exception {
        Path repo = repo(dir.resolve("repo"));
        Files.createDirectories(repo.resolve("app/bin"));
        Files.writeString(repo.resolve("app/bin/run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(repo.resolve("app/bin/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String v1 = commit(repo, "one");
        SlipwaySpec spec = new SpecLoader().load(repo.resolve("app/slipway.yml"));

        new GitSources().sourceDir(run(v1, null), spec);

        Path own = repo.resolve("app/.slipway");
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(own)) {
            all.forEach(p -> modes.put(own.relativize(p).toString(), mode(p)));
        }
        String tree = "src/" + v1 + "/app";
        assertThat(modes).containsEntry(tree + "/bin/run.sh", "rwx------").containsEntry(tree + "/VERSION", "rw-------")
                .containsEntry(tree + "/slipway.yml", "rw-------");
        assertThat(modes).allSatisfy((path, mode) -> assertThat(mode).as(path)
                .isEqualTo(Files.isDirectory(own.resolve(path)) || path.endsWith("run.sh") ? "rwx------" : "rw-------"));
        assertThat(git(repo, "status", "--porcelain", "--untracked-files=all")).isEmpty();
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void sourceDir_commitOnlyInTheRequestersRepository_isReadFromThere() throws Exception {
        Path mine = repo(dir.resolve("mine"));
        commit(mine, "mine");
        Path theirs = repo(dir.resolve("theirs"));
        String only = commit(theirs, "theirs");
        SlipwaySpec spec = new SpecLoader().load(mine.resolve("app/slipway.yml"));

        Path tree = new GitSources().sourceDir(run(only, theirs.resolve(".git").toString()), spec);

        assertThat(Files.readString(tree.resolve("VERSION"))).isEqualTo("theirs");
    }

    @Test
    void sourceDir_commitNowhere_failsNamingItAndWhatToDo() throws Exception {
        Path repo = repo(dir.resolve("repo"));
        commit(repo, "one");
        SlipwaySpec spec = new SpecLoader().load(repo.resolve("app/slipway.yml"));
        String missing = "0123456789abcdef0123456789abcdef01234567";

        assertThatThrownBy(() -> new GitSources().sourceDir(run(missing, null), spec))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("commit " + missing + " is not in the repository at " + repo)
                .hasMessageContaining("git fetch origin " + missing);
    }

    @Test
    void deploy_commitThatIsNoCommitOfTheRepository_exits2BeforeAnythingIsQueued() throws Exception {
        Path repo = repo(dir.resolve("repo"));
        commit(repo, "one");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new String[] {"deploy", "staging", "--commit", "$(touch pwned)", "-f",
                repo.resolve("app/slipway.yml").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("is not a commit name");
        assertThat(repo.resolve("app/.slipway/state.db")).doesNotExist();
    }
}
