package dev.slipway.images;

import dev.slipway.core.WorkDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a build context directory as the tar the engine's build API takes, leaving out what .dockerignore names and,
 * whatever it names, every directory that is Slipway's own ({@code .slipway/}, a snapshot directory: see
 * {@link WorkDir#isOwn}). Entry modes are 0755 for directories and owner-executable files, else 0644, whatever the
 * files' modes on disk (Slipway unpacks commits privately, 0600/0700).
 */
final class ContextArchive {
    private final Path context;
    private final String dockerfile;

    ContextArchive(Path context, String dockerfile) {
        this.context = context;
        this.dockerfile = dockerfile;
    }

    /** The paths (relative, '/'-separated) that go into the archive; the Dockerfile and .dockerignore always do. */
    List<String> entries() throws IOException {
        Path ignoreFile = context.resolve(".dockerignore");
        IgnoreRules rules = IgnoreRules.parse(Files.exists(ignoreFile) ? Files.readAllLines(ignoreFile) : List.of());
        Set<String> always = Set.of(IgnoreRules.clean(dockerfile), ".dockerignore");
        List<String> out = new ArrayList<>();
        Files.walkFileTree(context, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(context) && WorkDir.isOwn(dir)) {
                    return FileVisitResult.SKIP_SUBTREE; // Slipway's state (journal, snapshots): no rule brings it back
                }
                String rel = relative(dir);
                if (!rel.isEmpty() && !rules.excludes(rel)) {
                    out.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = relative(file);
                if (always.contains(rel) || !rules.excludes(rel)) {
                    out.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** Writes the archive to {@code target}. */
    void write(OutputStream target) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(target)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String rel : entries()) {
                add(tar, rel);
            }
            tar.finish();
        }
    }

    private void add(TarArchiveOutputStream tar, String rel) throws IOException {
        Path path = context.resolve(rel);
        if (Files.isSymbolicLink(path)) {
            TarArchiveEntry link = new TarArchiveEntry(rel, TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(Files.readSymbolicLink(path).toString());
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            return;
        }
        TarArchiveEntry entry = new TarArchiveEntry(path.toFile(), rel);
        entry.setMode(mode(path, Files.isDirectory(path)));
        entry.setUserId(0);
        entry.setGroupId(0);
        tar.putArchiveEntry(entry);
        if (Files.isRegularFile(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }

    private static int mode(Path path, boolean dir) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return dir ? 040755 : 0100644;
        }
        boolean exec = perms.contains(PosixFilePermission.OWNER_EXECUTE);
        return dir ? 040755 : exec ? 0100755 : 0100644;
    }

    private String relative(Path p) {
        return context.relativize(p).toString().replace('\\', '/');
    }
}
