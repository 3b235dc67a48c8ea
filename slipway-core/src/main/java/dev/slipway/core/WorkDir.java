package dev.slipway.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Slipway's own directories and files: {@code .slipway/} beside {@code slipway.yml} (the default journal, unpacked
 * commits, snapshots) and any other directory it creates for its state (a snapshot directory configured elsewhere).
 * They hold database dumps and run logs, so they are private whatever the umask: directories 0700, files 0600.
 * They ignore themselves in git, so a project without its own ignore rules never commits Slipway's state, and build
 * contexts never include them (see the images module, which asks {@link #isOwn}).
 */
public final class WorkDir {
    public static final String NAME = ".slipway";
    /** First line of the {@code .gitignore} Slipway writes; it also marks a directory as Slipway's ({@link #isOwn}). */
    static final String IGNORE_MARK = "# Slipway's own state (journal, unpacked commits, snapshots): never commit it";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private WorkDir() {
    }

    /**
     * Creates {@code dir} and its missing parents, each 0700. Inside a {@code .slipway} directory, that directory is made
     * first (or, made by an older Slipway, narrowed to 0700) and gets its {@code .gitignore} before anything lands in it;
     * outside one, {@code dir} gets a {@code .gitignore} only if this call created it (never in a directory of the user's).
     */
    public static Path prepare(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path own = findOwn(abs);
        if (own != null) {
            if (!createPrivate(own)) {
                restrict(own, DIR_MODE);
            }
            ignoreAll(own);
            createPrivate(abs);
        } else if (createPrivate(abs)) {
            ignoreAll(abs);
        }
        return dir;
    }

    /** Like {@link #prepare}, for a directory that is Slipway's by definition (a stage's snapshot store): always ignored in git. */
    public static Path claim(Path dir) throws IOException {
        prepare(dir);
        ignoreAll(dir.toAbsolutePath().normalize());
        return dir;
    }

    /**
     * Creates {@code file} empty with mode 0600 unless it exists (then it is left as it is); returns whether it was created.
     * Create a file this way before a tool that follows the umask opens it: SQLite gives its -wal, -shm and -journal
     * files the database file's mode, and {@code pg_dump --file} keeps the mode of a file it overwrites.
     */
    public static boolean createPrivateFile(Path file) throws IOException {
        try {
            if (posix(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        restrict(file, FILE_MODE); // the umask may have taken more than group and other bits (e.g. 0277)
        return true;
    }

    /**
     * Whether {@code dir} is Slipway's own: a {@code .slipway} directory, or one holding the {@code .gitignore} Slipway
     * writes. Such a directory never goes into a build context, whatever {@code .dockerignore} says.
     */
    public static boolean isOwn(Path dir) {
        Path name = dir.getFileName();
        if (name != null && name.toString().equals(NAME)) {
            return true;
        }
        Path ignore = dir.resolve(".gitignore");
        if (!Files.isRegularFile(ignore, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (BufferedReader r = Files.newBufferedReader(ignore, StandardCharsets.UTF_8)) {
            return IGNORE_MARK.equals(r.readLine());
        } catch (IOException e) {
            return false; // unreadable or not text: not one Slipway wrote
        }
    }

    /** Makes {@code dir} (and its missing parents) with mode 0700; returns whether {@code dir} itself was made here. */
    private static boolean createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createPrivate(parent);
        }
        try {
            if (posix(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return false; // another process made it first
            }
            throw e;
        }
        restrict(dir, DIR_MODE);
        return true;
    }

    /** Writes the ignore-everything {@code .gitignore} into {@code dir} unless one is there (the user's stays). */
    private static void ignoreAll(Path dir) throws IOException {
        Path ignore = dir.resolve(".gitignore");
        if (Files.exists(ignore, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        FileAttribute<?>[] mode = posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel out = Files.newByteChannel(ignore, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), mode)) {
            out.write(ByteBuffer.wrap((IGNORE_MARK + "\n*\n").getBytes(StandardCharsets.UTF_8)));
        } catch (FileAlreadyExistsException e) {
            return; // another process wrote it first: same content
        }
        restrict(ignore, FILE_MODE);
    }

    private static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (posix(path) && !Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(mode)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The {@code .slipway} directory {@code dir} is, or is inside of, if any. */
    private static Path findOwn(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals(NAME)) {
                return p;
            }
        }
        return null;
    }
}
