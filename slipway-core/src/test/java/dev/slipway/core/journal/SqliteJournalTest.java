package dev.slipway.core.journal;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteJournalTest extends JournalContract {
    @TempDir
    Path dir;

    @Override
    String[] store() {
        return new String[] {"jdbc:sqlite:" + dir.resolve("nested/state.db"), null, null};
    }
}
