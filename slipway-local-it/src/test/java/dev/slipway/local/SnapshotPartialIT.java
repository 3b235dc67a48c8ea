package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pg_dump that is stopped part way (SIGTERM to Slipway kills it) must leave no partial dump behind. The database is
 * real; pg_dump is a stand-in script that writes half a file and fails, because a real one cannot be made to stop at a
 * chosen byte.
 */
class SnapshotPartialIT {
    @TempDir
    Path dir;

    @Test
    void snapshot_pgDumpStopsPartWay_leavesNoPartialFile() throws Exception {
        ItEnv.freshDatabase("slipway_partial");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path pgDump = bin.resolve("pg_dump");
        Files.writeString(pgDump, """
                #!/bin/sh
                for a in "$@"; do case "$a" in --file=*) printf 'PGDMP half a dump' > "${a#--file=}";; esac; done
                echo "pg_dump: terminated by signal" >&2
                exit 1
                """);
        Files.setPosixFilePermissions(pgDump, PosixFilePermissions.fromString("rwxr-xr-x"));
        SlipwaySpec spec = new SpecLoader(Set.of("local")).parse("""
                app: hello
                build: {context: .}
                stages:
                  staging:
                    branch: main
                    target: local
                    database: {url: "%s", user: postgres}
                    local: {snapshot-dir: snaps}
                """.formatted(ItEnv.jdbcUrl("slipway_partial")), "slipway.yml", dir);
        FixedContext ctx = new FixedContext(spec, "staging", 3, "0123456789abcdef").at(StepName.SNAPSHOT);

        assertThatThrownBy(() -> new SnapshotStep(new PgTools(bin, java.time.Clock.systemUTC())).run(ctx))
                .isInstanceOf(TargetException.class).hasMessageContaining("pg_dump");

        try (Stream<Path> files = Files.walk(dir.resolve("snaps"))) {
            assertThat(files.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
                    .as("nothing but the store's own .gitignore").containsExactly(".gitignore");
        }
    }
}
