package dev.slipway.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.WorkDir;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextArchiveTest {
    @TempDir
    Path dir;

    @Test
    void write_ignoredDockerfile_isStillSentWithTheIncludedFiles() throws IOException {
        Files.writeString(dir.resolve("Containerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve(".dockerignore"), "*\n!target/app.jar\n");
        Files.createDirectories(dir.resolve("target/classes"));
        Files.writeString(dir.resolve("target/app.jar"), "jar");
        Files.writeString(dir.resolve("target/classes/A.class"), "x");
        Files.writeString(dir.resolve("notes.txt"), "x");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContextArchive(dir, "Containerfile").write(out);

        assertThat(names(out.toByteArray())).containsExactlyInAnyOrder("Containerfile", ".dockerignore", "target/app.jar");
    }

    @Test
    void write_slipwaysOwnDirectory_isNeverSent() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Files.createDirectories(dir.resolve(".slipway/snapshots/staging"));
        Files.writeString(dir.resolve(".slipway/state.db"), "journal");
        Files.writeString(dir.resolve(".slipway/snapshots/staging/x.dump"), "dump");
        Files.createDirectories(dir.resolve("sub/.slipway"));
        Files.writeString(dir.resolve("sub/.slipway/state.db-wal"), "wal");
        Files.writeString(dir.resolve("app.txt"), "x");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContextArchive(dir, "Dockerfile").write(out);

        assertThat(names(out.toByteArray())).containsExactlyInAnyOrder("Dockerfile", "app.txt", "sub/");
    }

    @Test
    void write_dockerignoreThatBringsEverythingBack_stillLeavesOutSlipwaysStateAndSnapshots() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve(".dockerignore"), "*\n!**\n!.slipway\n!.slipway/**\n!**/.slipway/**\n!backups/**\n");
        WorkDir.prepare(dir.resolve(".slipway/src"));
        Files.writeString(dir.resolve(".slipway/state.db"), "journal");
        WorkDir.claim(dir.resolve("backups/staging")); // a snapshot-dir outside .slipway, as the local target makes it
        Files.writeString(dir.resolve("backups/staging/1-abc.dump"), "dump");
        Files.writeString(dir.resolve("app.txt"), "x");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContextArchive(dir, "Dockerfile").write(out);

        assertThat(names(out.toByteArray())).containsExactlyInAnyOrder("Dockerfile", ".dockerignore", "app.txt", "backups/");
    }

    @Test
    void write_privateFilesOnDisk_getImageModesFromTheOwnersExecuteBit() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("run.sh"), "#!/bin/sh\n");
        Files.writeString(bin.resolve("data.txt"), "x");
        Files.setPosixFilePermissions(bin.resolve("run.sh"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(bin.resolve("data.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContextArchive(dir, "Dockerfile").write(out);

        assertThat(modes(out.toByteArray())).containsEntry("bin/", "40755").containsEntry("bin/run.sh", "100755")
                .containsEntry("bin/data.txt", "100644");
    }

    @Test
    void write_noDockerignore_sendsEverythingWithDirectories() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Files.createDirectories(dir.resolve("empty"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContextArchive(dir, "Dockerfile").write(out);

        assertThat(names(out.toByteArray())).containsExactlyInAnyOrder("Dockerfile", "empty/");
    }

    private static Map<String, String> modes(byte[] tar) throws IOException {
        Map<String, String> modes = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                modes.put(e.getName(), Integer.toOctalString(e.getMode()));
            }
        }
        return modes;
    }

    private static List<String> names(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
