package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    @TempDir
    Path dir;

    private SnapshotStore.Meta take(SnapshotStore store, long run, String content) throws IOException {
        String id = SnapshotStore.idFor(String.valueOf(run), "0123456789abcdef0123");
        Path partial = Files.writeString(store.newPartialFile(id), content);
        return store.commit(id, partial, "staging", run, String.valueOf(run), "0123456789abcdef0123",
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(run), 42, "db:5432/x");
    }

    @Test
    void commit_finishedDump_recordsSizeChecksumAndTiming() throws IOException {
        SnapshotStore store = new SnapshotStore(dir.resolve("staging"));

        SnapshotStore.Meta meta = take(store, 7, "hello");

        assertThat(meta.id()).isEqualTo("7-0123456789ab");
        assertThat(meta.sizeBytes()).isEqualTo(5);
        assertThat(meta.sha256()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(store.find("7-0123456789ab")).contains(meta);
        assertThat(Files.exists(store.dir().resolve("7-0123456789ab.dump.partial"))).isFalse();
    }

    @Test
    void commit_underUmask022_everyFileIs0600AndTheStoreIs0700AndIgnoredByGit() throws IOException {
        SnapshotStore store = new SnapshotStore(dir.resolve("backups/staging"));

        take(store, 7, "hello");

        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir.resolve("backups"))) {
            all.forEach(p -> modes.put(dir.relativize(p).toString(), mode(p)));
        }
        assertThat(modes).isEqualTo(Map.of("backups", "rwx------", "backups/staging", "rwx------",
                "backups/staging/.gitignore", "rw-------", "backups/staging/7-0123456789ab.dump", "rw-------",
                "backups/staging/7-0123456789ab.json", "rw-------"));
        assertThat(Files.readAllLines(store.dir().resolve(".gitignore"))).contains("*");
    }

    @Test
    void newPartialFile_leftByAStoppedAttempt_startsEmptyAndPrivate() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        Path stale = Files.writeString(dir.resolve("1-x.dump.partial"), "half");
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-r--r--"));

        Path partial = store.newPartialFile("1-x");

        assertThat(partial).isEqualTo(stale).isEmptyFile();
        assertThat(mode(partial)).isEqualTo("rw-------");
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void list_dumpWithoutSidecar_isNotASnapshot() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        take(store, 1, "a");
        Files.writeString(store.newPartialFile("2-x"), "unfinished");

        assertThat(store.list()).extracting(SnapshotStore.Meta::runId).containsExactly(1L);
    }

    @Test
    void retain_moreThanKeep_deletesTheOldest() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        for (long run = 1; run <= 4; run++) {
            take(store, run, "dump " + run);
        }

        assertThat(store.retain(2)).containsExactly("2-0123456789ab", "1-0123456789ab");
        assertThat(store.list()).extracting(SnapshotStore.Meta::runId).containsExactly(4L, 3L);
        assertThat(store.dumpFile("1-0123456789ab")).doesNotExist();
    }

    @Test
    void intact_dumpChangedAfterwards_isFalse() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        SnapshotStore.Meta meta = take(store, 1, "original");
        assertThat(store.intact(meta)).isTrue();

        Files.writeString(store.dumpFile(meta.id()), "tampered");

        assertThat(store.intact(meta)).isFalse();
    }

    @Test
    void idFor_sameRunNumberOfTwoJournals_differsByTheRunKey() {
        String oldJournalsRun1 = SnapshotStore.idFor("01m8xfk1k5kpmv4rk37qn5rgm4", "0123456789abcdef0123");
        String newJournalsRun1 = SnapshotStore.idFor("01m8xfnymqd6vb77t4w0c4e162", "0123456789abcdef0123");

        assertThat(newJournalsRun1).isEqualTo("01m8xfnymqd6vb77t4w0c4e162-0123456789ab").isNotEqualTo(oldJournalsRun1);
    }

    @Test
    void find_sidecarWrittenBeforeRunKeys_readsWithoutAKey() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        Files.move(Files.writeString(store.newPartialFile("3-abc"), "dump"), store.dumpFile("3-abc"));
        Files.writeString(dir.resolve("3-abc.json"), """
                {"id":"3-abc","stage":"staging","runId":3,"commit":"abc","createdAt":"2026-01-01T00:00:00Z","sizeBytes":4,
                 "sha256":"x","durationMs":1,"database":"db:5432/x"}""");

        assertThat(store.find("3-abc")).hasValueSatisfying(m -> assertThat(m.runKey()).isNull());
    }

    @Test
    void find_idWithPathCharacters_isEmpty() {
        assertThat(new SnapshotStore(dir).find("../etc/passwd")).isEmpty();
    }
}
