package dev.slipway.cli.observability;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes generated files into a directory and remembers, in its {@code .slipway-generated} manifest (the format of
 * {@code sha256sum}), the SHA-256 of each as written. A file whose content no longer has that hash was edited by
 * someone (or is not Slipway's) and is replaced only when forced. A manifest rather than a header in each file,
 * because a Grafana dashboard is JSON and has nowhere to keep a comment.
 */
final class GeneratedFiles {
    static final String MANIFEST = ".slipway-generated";

    enum State { ABSENT, IDENTICAL, STALE, CHANGED }

    private GeneratedFiles() {
    }

    /** Writes {@code files} (relative to {@code dir}); returns false, having written nothing, when refused. */
    static boolean write(Path dir, Map<Path, String> files, boolean force, String command, PrintStream out) {
        Map<String, String> written = readManifest(dir.resolve(MANIFEST));
        Map<Path, State> states = new LinkedHashMap<>();
        files.forEach((rel, content) -> states.put(rel, classify(read(dir.resolve(rel)), content, written.get(key(rel)))));
        List<Path> changed = states.entrySet().stream().filter(e -> e.getValue() == State.CHANGED).map(Map.Entry::getKey).toList();
        if (!changed.isEmpty() && !force) {
            changed.forEach(p -> out.println("refused: " + dir.resolve(p) + " differs from what Slipway wrote (edited, or not Slipway's)"));
            out.println("Nothing was written. Move your changes into slipway.yml or the command's options, or run `" + command
                    + " --force` to replace " + (changed.size() == 1 ? "it" : "them") + ".");
            return false;
        }
        StringBuilder manifest = new StringBuilder();
        written.forEach((rel, hash) -> {
            if (files.keySet().stream().noneMatch(p -> key(p).equals(rel))) {
                manifest.append(hash).append("  ").append(rel).append('\n'); // files an older version wrote stay known
            }
        });
        files.forEach((rel, content) -> {
            State state = states.get(rel);
            if (state != State.IDENTICAL) {
                atomically(dir.resolve(rel), content);
            }
            out.println(switch (state) {
                case IDENTICAL -> "unchanged: ";
                case ABSENT -> "wrote: ";
                case STALE -> "updated: ";
                case CHANGED -> "overwrote (--force): ";
            } + dir.resolve(rel));
            manifest.append(sha256(content)).append("  ").append(key(rel)).append('\n');
        });
        atomically(dir.resolve(MANIFEST), manifest.toString());
        return true;
    }

    static State classify(String existing, String generated, String writtenHash) {
        if (existing == null) {
            return State.ABSENT;
        }
        if (existing.equals(generated)) {
            return State.IDENTICAL;
        }
        return sha256(existing).equals(writtenHash) ? State.STALE : State.CHANGED;
    }

    /** Temporary file in the same directory, renamed over the target: a reader sees the old file or the new one. */
    static void atomically(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, content);
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readManifest(Path manifest) {
        Map<String, String> hashes = new LinkedHashMap<>();
        String text = read(manifest);
        if (text != null) {
            text.lines().map(l -> l.split("  ", 2)).filter(p -> p.length == 2 && p[0].matches("[0-9a-f]{64}"))
                    .forEach(p -> hashes.put(p[1], p[0]));
        }
        return hashes;
    }

    private static String key(Path rel) {
        return rel.toString().replace('\\', '/');
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256 (bug)", e);
        }
    }
}
