package dev.slipway.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths a hostile tester passes as {@code --file} that are not YAML at all, and files too large to parse. */
class HostileFileTest {
    private final SpecLoader loader = new SpecLoader(Set.of("local", "ecs"));
    @TempDir
    Path dir;

    private String refused(Path file) {
        SlipwayException e = HostileConfigTest.refusal(loader, file);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_CONFIG);
        assertThat(e.exitCode()).isEqualTo(2);
        return e.getMessage();
    }

    @Test
    void load_namedPipe_isRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("slipway.yml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();

        assertThat(refused(fifo)).isEqualTo(fifo + ": is not a regular file (a named pipe, device or socket); "
                + "slipway.yml is read only from a regular file");
    }

    @Test
    void load_devZero_isRefusedWithoutReadingIt() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero));

        assertThat(refused(zero)).startsWith("/dev/zero: is not a regular file");
    }

    @Test
    void load_symlinkToDevZero_isRefusedLikeItsTarget() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path link = Files.createSymbolicLink(dir.resolve("slipway.yml"), Path.of("/dev/zero"));

        assertThat(refused(link)).isEqualTo(link + ": is not a regular file (a named pipe, device or socket); "
                + "slipway.yml is read only from a regular file");
    }

    @Test
    void load_directory_saysSo() {
        assertThat(refused(dir)).isEqualTo(dir + ": is a directory; pass the slipway.yml file itself");
    }

    @Test
    void load_missingFile_saysHowToMakeOne() {
        Path missing = dir.resolve("nope.yml");

        assertThat(refused(missing)).isEqualTo(missing + ": no such file; create one (see docs/config.md) or pass --file");
    }

    @Test
    void load_unreadableFile_saysPermissionDenied() throws IOException {
        Path file = Files.writeString(dir.resolve("slipway.yml"), "app: a\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(file), "running as a user who may read any file (root)");

        assertThat(refused(file)).isEqualTo(file + ": cannot read it: permission denied");
    }

    @Test
    void load_fourMegabyteScalar_isRefusedBySizeBeforeParsing() throws IOException {
        Path file = Files.writeString(dir.resolve("slipway.yml"), "app: " + "x".repeat(4 * 1024 * 1024) + "\n");

        assertThat(refused(file)).isEqualTo(file + ": is " + Files.size(file)
                + " bytes; slipway.yml may be at most 262144 bytes (256 KiB)");
    }

    @Test
    void load_oneValueJustUnderTheFileLimit_isRefusedQuickly() throws IOException {
        String head = "app: hello\nbuild: {context: .}\nstages: {staging: {branch: main}}\nx: ";
        int length = YamlTree.MAX_CHARS - head.length() - 1;
        Path file = Files.writeString(dir.resolve("slipway.yml"), head + "x".repeat(length) + "\n");

        assertThat(refused(file)).contains("x: has " + length + " characters (line 4); a key or value may have at most 16384");
    }

    @Test
    void parse_fourMegabyteString_isRefusedBeforeParsing() {
        String text = "app: " + "x".repeat(4 * 1024 * 1024);

        Throwable e = assertTimeoutPreemptively(HostileConfigTest.LIMIT,
                () -> org.assertj.core.api.Assertions.catchThrowable(() -> loader.parse(text, "slipway.yml", dir)));

        assertThat(e).isInstanceOf(SpecException.class).hasMessageContaining(
                "(top level): the file has 4194309 characters; slipway.yml may have at most 262144 (256 KiB)");
    }

    @Test
    void load_thousandsOfUnknownKeys_listsAHundredAndCountsTheRest() throws IOException {
        StringBuilder yaml = new StringBuilder("app: hello\nbuild: {context: .}\nstages: {staging: {branch: main}}\n");
        for (int i = 0; i < 5000; i++) {
            yaml.append("junk").append(i).append(": x\n");
        }
        Path file = Files.writeString(dir.resolve("slipway.yml"), yaml);

        SpecException e = (SpecException) HostileConfigTest.refusal(loader, file);

        assertThat(e.problems()).hasSize(101).last().isEqualTo("… and 4900 more problem(s)");
    }
}
