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
    void tree_mergeCommitWithTheSameTree_isTheSameTreeIdAndAnotherCommitsIsNot() throws Exception {
        Path repo = repo(dir.resolve("repo"));
        String a = commit(repo, "a");
        String b = commit(repo, "b");
        String aTree = git(repo, "rev-parse", a + "^{tree}");
        String merge = git(repo, "commit-tree", aTree, "-p", b, "-p", a, "-m", "merge main into prod");
        SlipwaySpec spec = new SpecLoader().load(repo.resolve("app/slipway.yml"));

        assertThat(new GitSources().tree(spec, merge, null)).contains(aTree);
        assertThat(new GitSources().tree(spec, a, null)).contains(aTree);
        assertThat(new GitSources().tree(spec, b, null)).isPresent().get().isNotEqualTo(aTree);
        assertThat(new GitSources().tree(spec, "0".repeat(40), null)).isEmpty();
    }

    @Test
    void tree_commitOnlyInTheRequestersRepository_isReadFromThere() throws Exception {
        Path mine = repo(dir.resolve("mine"));
        commit(mine, "mine");
        Path theirs = repo(dir.resolve("theirs"));
        String only = commit(theirs, "theirs");
        SlipwaySpec spec = new SpecLoader().load(mine.resolve("app/slipway.yml"));

        assertThat(new GitSources().tree(spec, only, theirs.resolve(".git").toString()))
                .contains(git(theirs, "rev-parse", only + "^{tree}"));
        assertThat(new GitSources().tree(spec, only, null)).isEmpty();
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

    @Test
    void changes_betweenTwoCommits_nameStatusLinesRelativeToTheSpecsDirectoryOnly() throws Exception {
        Path repo = repo(dir.resolve("repo"));
        Files.createDirectories(repo.resolve("app/db"));
        Files.writeString(repo.resolve("app/db/V1__users.sql"), "CREATE TABLE users (id int, legacy text, note text);\n");
        Files.writeString(repo.resolve("app/db/V2__old name.sql"), "CREATE TABLE audit (id int, at timestamp, who text);\n");
        Files.writeString(repo.resolve("outside.sql"), "x");
        String v1 = commit(repo, "one");
        Files.writeString(repo.resolve("app/db/V3__drop.sql"), "ALTER TABLE users DROP COLUMN legacy;\n");
        Files.writeString(repo.resolve("app/db/V1__users.sql"), "CREATE TABLE users (id int);\n");
        git(repo, "mv", "app/db/V2__old name.sql", "app/db/V2__new name.sql");
        Files.writeString(repo.resolve("outside.sql"), "y");
        String v2 = commit(repo, "two");
        SlipwaySpec spec = new SpecLoader().load(repo.resolve("app/slipway.yml"));

        assertThat(new GitSources().changes(spec, v1, v2)).hasValueSatisfying(lines -> assertThat(lines).containsExactlyInAnyOrder(
                "M\tVERSION", "M\tdb/V1__users.sql", "R100\tdb/V2__old name.sql\tdb/V2__new name.sql", "A\tdb/V3__drop.sql"));
        assertThat(new GitSources().changes(spec, null, v1)).hasValueSatisfying(lines -> assertThat(lines).containsExactlyInAnyOrder(
                "A\tVERSION", "A\tslipway.yml", "A\tdb/V1__users.sql", "A\tdb/V2__old name.sql"));
        assertThat(new GitSources().changes(spec, "0123456789abcdef0123456789abcdef01234567", v2))
                .as("a live commit the repository lacks: no history to compare").isEmpty();
    }

    @Test
    void changes_specAtTheRepositorysTop_listsTheChangedFiles() throws Exception {
        Path repo = dir.resolve("top");
        Files.createDirectories(repo.resolve("migrations"));
        Files.writeString(repo.resolve("slipway.yml"), "app: demo\nbuild: {context: .}\nstages:\n  staging: {branch: main, target: local}\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "commit", "-qm", "one");
        String v1 = git(repo, "rev-parse", "HEAD");
        Files.writeString(repo.resolve("migrations/V4__visits.sql"), "CREATE TABLE visits (id int);\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-qm", "two");
        String v2 = git(repo, "rev-parse", "HEAD");
        SlipwaySpec spec = new SpecLoader().load(repo.resolve("slipway.yml"));

        assertThat(new GitSources().changes(spec, v1, v2)).hasValue(List.of("A\tmigrations/V4__visits.sql"));
        assertThat(new GitSources().changes(spec, null, v2)).hasValueSatisfying(lines -> assertThat(lines)
                .containsExactlyInAnyOrder("A\tslipway.yml", "A\tmigrations/V4__visits.sql"));
    }

    @Test
    void changes_notAGitCheckout_isEmpty() throws Exception {
        Files.createDirectories(dir.resolve("plain"));
        Files.writeString(dir.resolve("plain/slipway.yml"), "app: demo\nbuild: {context: .}\nstages:\n  staging: {branch: main, target: local}\n");
        SlipwaySpec spec = new SpecLoader().load(dir.resolve("plain/slipway.yml"));

        assertThat(new GitSources().changes(spec, null, "0123456789abcdef0123456789abcdef01234567")).isEmpty();
    }
}
