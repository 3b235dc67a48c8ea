package dev.slipway.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.core.WorkDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The snapshots of one stage in a directory: {@code <id>.dump} ({@code pg_dump -Fc}) beside {@code <id>.json}, which
 * is written last, so a snapshot without its sidecar is an unfinished one and does not count.
 */
final class SnapshotStore {
    /** What the sidecar holds. {@code createdAt} is ISO-8601; {@code runKey} is null in sidecars older than run keys. */
    record Meta(String id, String stage, long runId, String runKey, String commit, String createdAt, long sizeBytes,
                String sha256, long durationMs, String database) {
        Instant created() {
            return Instant.parse(createdAt);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    SnapshotStore(Path dir) {
        this.dir = dir;
    }

    /**
     * {@code <run key>-<first 12 characters of the commit>}, file-name safe. The key, not the run number: run numbers
     * restart in a new journal, and its run 1 must never take an old run 1's snapshot for its own.
     */
    static String idFor(String runKey, String commit) {
        String c = commit.replaceAll("[^A-Za-z0-9_.-]", "-");
        return runKey.replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + (c.length() > 12 ? c.substring(0, 12) : c);
    }

    Path dir() {
        return dir;
    }

    Path dumpFile(String id) {
        return dir.resolve(id + ".dump");
    }

    /**
     * Where a dump is written before {@link #commit} makes it a snapshot: a new empty file, 0600 like the directory's
     * 0700 (pg_dump keeps the mode of the file it writes into; left to the umask, a dump would be world-readable).
     */
    Path newPartialFile(String id) throws IOException {
        WorkDir.claim(dir);
        return newPrivateFile(dir.resolve(id + ".dump.partial"));
    }

    Optional<Meta> find(String id) {
        if (!id.matches("[A-Za-z0-9_.-]+")) {
            return Optional.empty();
        }
        Path json = dir.resolve(id + ".json");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(dumpFile(id))) {
            return Optional.empty();
        }
        return Optional.of(read(json));
    }

    /** Moves a finished partial dump into place and writes its sidecar (size, checksum, timing). */
    Meta commit(String id, Path partial, String stage, long runId, String runKey, String commit, Instant createdAt,
                long durationMs, String database) throws IOException {
        Path dump = dumpFile(id);
        move(partial, dump);
        Meta meta = new Meta(id, stage, runId, runKey, commit, createdAt.toString(), Files.size(dump), sha256(dump), durationMs,
                database);
        Path tmp = newPrivateFile(dir.resolve(id + ".json.partial"));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out, meta);
        }
        move(tmp, dir.resolve(id + ".json"));
        return meta;
    }

    /** Every finished snapshot, newest first. */
    List<Meta> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Meta> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".json")).forEach(f -> {
                String id = f.getFileName().toString().replaceFirst("\\.json$", "");
                find(id).ifPresent(all::add);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + dir, e);
        }
        all.sort(Comparator.comparing(Meta::created).thenComparingLong(Meta::runId).reversed());
        return all;
    }

    /** Deletes all but the newest {@code keep}; returns the ids deleted. */
    List<String> retain(int keep) throws IOException {
        List<Meta> all = list();
        List<String> removed = new ArrayList<>();
        for (Meta m : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(dir.resolve(m.id() + ".json"));
            Files.deleteIfExists(dumpFile(m.id()));
            removed.add(m.id());
        }
        return removed;
    }

    /** Whether the dump still has the checksum recorded when it was taken. */
    boolean intact(Meta meta) throws IOException {
        return sha256(dumpFile(meta.id())).equals(meta.sha256());
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK (bug)", e);
        }
    }

    private static Meta read(Path json) {
        try {
            return JSON.readValue(json.toFile(), Meta.class);
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot sidecar " + json + " is unreadable", e);
        }
    }

    /** An empty file with mode 0600, in place of whatever a stopped attempt left there. */
    private static Path newPrivateFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        WorkDir.createPrivateFile(file);
        return file;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
