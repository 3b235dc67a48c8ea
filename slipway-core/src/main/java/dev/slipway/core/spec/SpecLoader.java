package dev.slipway.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.target.TargetProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Reads and validates {@code slipway.yml}; the one entry point to the spec. A file that is not a regular file, is
 * larger than {@link YamlTree#MAX_CHARS} bytes or is not UTF-8 is refused before it is parsed, so a hostile path
 * ({@code /dev/zero}, a named pipe) can neither block nor exhaust memory.
 */
public final class SpecLoader {
    /** Problems listed in one error; a file with more has a bigger problem than any one of them. */
    static final int MAX_PROBLEMS = 100;
    private final Set<String> targets;

    /** A loader that accepts the built-in targets and those of every {@link TargetProvider} on the class path. */
    public SpecLoader() {
        this(discoverTargets());
    }

    /** A loader that accepts exactly {@code targets} as {@code stages.*.target}. */
    public SpecLoader(Set<String> targets) {
        this.targets = Set.copyOf(targets);
    }

    private static Set<String> discoverTargets() {
        Set<String> all = new HashSet<>(StageSpec.BUILT_IN_TARGETS);
        ServiceLoader.load(TargetProvider.class).stream().forEach(p -> all.add(p.get().type()));
        return all;
    }

    /** Loads {@code file}; throws {@link SpecException} listing every problem with its path. */
    public SlipwaySpec load(Path file) {
        String text = decode(read(file), file);
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    private static byte[] read(Path file) {
        int max = YamlTree.MAX_CHARS;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw bad(file, "is a directory; pass the slipway.yml file itself");
            }
            if (!attributes.isRegularFile()) {
                throw bad(file, "is not a regular file (a named pipe, device or socket); slipway.yml is read only "
                        + "from a regular file");
            }
            if (attributes.size() > max) {
                throw bad(file, tooLarge(attributes.size()));
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(max + 1); // it may have grown since its size was read
            }
            if (bytes.length > max) {
                throw bad(file, tooLarge(bytes.length));
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file; create one (see docs/config.md) or pass --file");
        } catch (AccessDeniedException e) {
            throw bad(file, "cannot read it: permission denied");
        } catch (FileSystemException e) {
            throw bad(file, "cannot read it: " + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            throw bad(file, "cannot read it: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static String tooLarge(long size) {
        return "is " + size + " bytes; slipway.yml may be at most " + YamlTree.MAX_CHARS + " bytes (256 KiB)";
    }

    private static SlipwayException bad(Path file, String message) {
        return new SlipwayException(ErrorCode.BAD_CONFIG, file + ": " + message);
    }

    /** Strict UTF-8 (a leading byte order mark is dropped); the first bad byte is named with its offset and line. */
    private static String decode(byte[] bytes, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw bad(file, String.format("not valid UTF-8 (byte 0x%02X at offset %d, line %d); save the file as UTF-8",
                    bytes[offset] & 0xff, offset, line));
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Parses YAML text; {@code source} names it in messages and {@code baseDir} anchors relative paths. */
    public SlipwaySpec parse(String text, String source, Path baseDir) {
        List<String> problems = new ArrayList<>();
        JsonNode tree = YamlTree.read(text, problems);
        if (!problems.isEmpty()) {
            throw failure(source, problems);
        }
        Node root = new Node(tree, "", problems);
        if (!root.present()) {
            throw new SpecException(source, List.of("(top level): the file is empty"));
        }
        SlipwaySpec spec = SlipwaySpec.read(root, baseDir, targets);
        if (!problems.isEmpty()) {
            throw failure(source, problems);
        }
        return spec;
    }

    private static SpecException failure(String source, List<String> problems) {
        if (problems.size() <= MAX_PROBLEMS) {
            return new SpecException(source, problems);
        }
        List<String> first = new ArrayList<>(problems.subList(0, MAX_PROBLEMS));
        first.add("… and " + (problems.size() - MAX_PROBLEMS) + " more problem(s)");
        return new SpecException(source, first);
    }
}
