package dev.slipway.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.core.journal.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Finding 4e: lease holder names, and when a holder is provably gone (so its lease may be taken before it expires). */
class HolderTest {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private Process child;

    @BeforeEach
    void needsLinux() {
        assumeTrue(Files.isReadable(BOOT_ID), "holder liveness needs the kernel's boot id (Linux)");
    }

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    private static Lease leaseOf(String holder) {
        return new Lease("staging", holder, 1, Instant.EPOCH, Instant.EPOCH, 1);
    }

    private static String[] parts(String holder) {
        return holder.split("/");
    }

    private static String with(String holder, int part, String value) {
        String[] p = parts(holder);
        p[part] = value;
        return String.join("/", p);
    }

    @Test
    void thisProcess_namesHostBootPidAndStartTime() throws IOException {
        String[] p = parts(Holder.thisProcess());

        assertThat(p).hasSize(4);
        assertThat(Files.readString(BOOT_ID).trim().replace("-", "")).startsWith(p[1]);
        assertThat(p[2]).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        assertThat(p[3]).doesNotStartWith("x"); // Linux knows when a process started
        assertThat(Holder.thisProcess()).as("stable within a process").isEqualTo(Holder.thisProcess());
    }

    @Test
    void isDead_thisProcess_isFalse() {
        assertThat(Holder.isDead(leaseOf(Holder.thisProcess()))).isFalse();
    }

    @Test
    void isDead_pidOfThisBootThatHasExited_isTrue() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();

        assertThat(Holder.isDead(leaseOf(with(Holder.thisProcess(), 2, String.valueOf(gone.pid()))))).isTrue();
    }

    @Test
    void isDead_livePidWhoseStartTimeMatches_isFalse() throws Exception {
        child = new ProcessBuilder("cat").start();
        String start = Long.toString(child.toHandle().info().startInstant().orElseThrow().toEpochMilli(), 36);

        assertThat(Holder.isDead(leaseOf(with(with(Holder.thisProcess(), 2, String.valueOf(child.pid())), 3, start)))).isFalse();
    }

    @Test
    void isDead_livePidThatStartedAfterTheHolder_isTrue() throws Exception {
        child = new ProcessBuilder("cat").start(); // runs until its stdin closes; the holder's pid, reused by a process that started later

        assertThat(Holder.isDead(leaseOf(with(with(Holder.thisProcess(), 2, String.valueOf(child.pid())), 3, "1")))).isTrue();
    }

    @Test
    void isDead_exitedPidOfAnotherBootWithTheSameHostName_isFalse() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String otherBoot = with(with(Holder.thisProcess(), 1, "0123456789ab"), 2, String.valueOf(gone.pid()));

        assertThat(Holder.isDead(leaseOf(otherBoot))).as("another machine, or this one before a reboot").isFalse();
    }

    @Test
    void isDead_otherHost_isFalse() {
        assertThat(Holder.isDead(leaseOf(with(Holder.thisProcess(), 0, "elsewhere")))).isFalse();
        assertThat(Holder.isDead(leaseOf("not-a-holder-name"))).isFalse();
    }
}
