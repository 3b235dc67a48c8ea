package dev.slipway.core.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of {@code migrations/corpus/}: each directory is a repository's migration files as a deploy
 * would add them, and {@code expected.tsv} says the class the deploy must get and, when breaking, the file:line
 * of its first reason.
 */
class MigrationCorpusTest {
    private static final List<String> GLOBS = List.of("db/migration/*.sql", "prisma/migrations/*/migration.sql");

    record Case(String name, String cls, String first) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Path corpus() {
        try {
            return Path.of(MigrationCorpusTest.class.getResource("/migrations/corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> cases() throws IOException {
        return Files.readAllLines(corpus().resolve("expected.tsv")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t"))
                .map(f -> new Case(f[0], f[1], f[2]))
                .toList();
    }

    @Test
    void corpus_hasAtLeastFortyCasesAndEveryDirectoryIsListed() throws IOException {
        List<String> listed = cases().stream().map(Case::name).sorted().toList();
        try (Stream<Path> dirs = Files.list(corpus())) {
            List<String> present = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted()
                    .toList();
            assertThat(listed).hasSizeGreaterThanOrEqualTo(40).isEqualTo(present);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corpusCase_classifiesAsExpected(Case c) throws IOException {
        Classification result = classify(corpus().resolve(c.name()));

        assertThat(result.cls()).as(result.reasons().stream().map(Reason::render).collect(Collectors.joining("\n")))
                .isEqualTo(MigrationClass.valueOf(c.cls().toUpperCase()));
        if (result.cls() == MigrationClass.BREAKING) {
            Reason first = result.reasons().get(0);
            assertThat(first.file() + ":" + first.line()).as(first.render()).isEqualTo(c.first());
        } else {
            assertThat(result.reasons()).isEmpty();
        }
    }

    private static Classification classify(Path root) throws IOException {
        List<Change> changes;
        try (Stream<Path> files = Files.walk(root)) {
            changes = files.filter(Files::isRegularFile)
                    .map(f -> Change.added(root.relativize(f).toString().replace('\\', '/')))
                    .toList();
        }
        PendingMigrations pending = PendingMigrations.select(GLOBS, changes);
        assertThat(pending.files()).hasSameSizeAs(changes);
        List<MigrationSource> sources = pending.files().stream()
                .map(path -> new MigrationSource(path, read(root.resolve(path))))
                .toList();
        return MigrationClassifier.classify(sources, pending.reasons());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
