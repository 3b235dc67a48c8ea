package dev.slipway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9: what Slipway creates is private (0700/0600) whatever the umask, and ignored by git. Run under umask 022. */
class WorkDirTest {
    @TempDir
    Path dir;

    @Test
    void prepare_insideSlipway_makesEveryDirectoryPrivateAndTheGitignore() throws IOException {
        WorkDir.prepare(dir.resolve(".slipway/snapshots/staging"));

        assertThat(modes(dir.resolve(".slipway"))).isEqualTo(Map.of(
                ".slipway", "rwx------", ".slipway/.gitignore", "rw-------", ".slipway/snapshots", "rwx------",
                ".slipway/snapshots/staging", "rwx------"));
        assertThat(Files.readAllLines(dir.resolve(".slipway/.gitignore"))).containsExactly(WorkDir.IGNORE_MARK, "*");
        assertThat(WorkDir.isOwn(dir.resolve(".slipway"))).isTrue();
    }

    @Test
    void prepare_slipwayDirOfAnOlderVersion_isNarrowedTo0700() throws IOException {
        Files.createDirectories(dir.resolve(".slipway"));
        Files.setPosixFilePermissions(dir.resolve(".slipway"), PosixFilePermissions.fromString("rwxr-xr-x"));

        WorkDir.prepare(dir.resolve(".slipway/src"));

        assertThat(mode(dir.resolve(".slipway"))).isEqualTo("rwx------");
    }

    @Test
    void prepare_outsideSlipway_marksOnlyADirectoryItCreated() throws IOException {
        Path users = Files.createDirectories(dir.resolve("db"));

        WorkDir.prepare(users);
        WorkDir.prepare(dir.resolve("state/journal"));

        assertThat(users.resolve(".gitignore")).doesNotExist();
        assertThat(WorkDir.isOwn(users)).isFalse();
        assertThat(mode(dir.resolve("state"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("state/journal"))).isEqualTo("rwx------");
        assertThat(WorkDir.isOwn(dir.resolve("state/journal"))).isTrue();
    }

    @Test
    void claim_existingDirectory_isIgnoredInGitButAUsersGitignoreStays() throws IOException {
        Path snapshots = Files.createDirectories(dir.resolve("backups/staging"));
        Path other = Files.createDirectories(dir.resolve("backups/production"));
        Files.writeString(other.resolve(".gitignore"), "*.dump\n");

        WorkDir.claim(snapshots);
        WorkDir.claim(other);

        assertThat(WorkDir.isOwn(snapshots)).isTrue();
        assertThat(mode(snapshots.resolve(".gitignore"))).isEqualTo("rw-------");
        assertThat(Files.readString(other.resolve(".gitignore"))).isEqualTo("*.dump\n");
    }

    @Test
    void createPrivateFile_new_is0600AndAnExistingOneIsLeftAlone() throws IOException {
        Path file = dir.resolve("a.dump.partial");
        Path existing = Files.writeString(dir.resolve("state.db"), "data");

        assertThat(WorkDir.createPrivateFile(file)).isTrue();
        assertThat(WorkDir.createPrivateFile(existing)).isFalse();

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(Files.readString(existing)).isEqualTo("data");
    }

    @Test
    void openSqliteJournal_defaultPlace_stateDbAndItsWalAndShmArePrivate() {
        Path project = dir.resolve("project");
        try (Journal journal = Journals.open(Journals.defaultUrl(project), null, null)) {
            journal.enqueue("demo", "staging", "c1", RunKind.DEPLOY, "t", Instant.now());

            Map<String, String> modes = modes(project.resolve(".slipway"));
            assertThat(modes).containsKeys(".slipway/state.db", ".slipway/state.db-wal", ".slipway/state.db-shm");
            assertThat(modes).allSatisfy((path, mode) ->
                    assertThat(mode).as(path).isEqualTo(Files.isDirectory(project.resolve(path)) ? "rwx------" : "rw-------"));
        }
    }

    /** Path (relative to {@code root}'s parent) to mode, for {@code root} and everything below it. */
    static Map<String, String> modes(Path root) {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.forEach(p -> modes.put(root.getParent().relativize(p).toString(), mode(p)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return modes;
    }

    static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
