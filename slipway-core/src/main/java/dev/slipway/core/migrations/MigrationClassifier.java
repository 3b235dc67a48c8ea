package dev.slipway.core.migrations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classifies a deploy's pending migrations as {@link MigrationClass#NONE}, {@link MigrationClass#EXPAND} or
 * {@link MigrationClass#BREAKING}, so the deploy can run online when the old release would not notice them.
 *
 * <p>Unknown is breaking: a statement the parser cannot read, a DO block or any statement kind without a rule
 * makes its file breaking, with a reason on its line. Files are read in the order given, which must be the order
 * they run in ({@link PendingMigrations#files()} is): a table created by an earlier statement of the same deploy
 * may be changed freely by later ones.
 */
public final class MigrationClassifier {
    private MigrationClassifier() {
    }

    /** Classifies {@code sources}, in the order they run. */
    public static Classification classify(List<MigrationSource> sources) {
        return classify(sources, List.of());
    }

    /**
     * Classifies {@code sources} together with reasons found before reading any file: an already-applied
     * migration that was edited, renamed or deleted ({@link PendingMigrations#reasons()}).
     */
    public static Classification classify(List<MigrationSource> sources, List<Reason> fileReasons) {
        DeploySchema schema = new DeploySchema();
        Map<String, FileResult> files = new LinkedHashMap<>();
        for (Reason reason : fileReasons) {
            FileResult before = files.get(reason.file());
            List<Reason> reasons = new ArrayList<>(before == null ? List.of() : before.reasons());
            reasons.add(reason);
            files.put(reason.file(), new FileResult(reason.file(), MigrationClass.BREAKING, reasons));
        }
        for (MigrationSource source : sources) {
            FileResult result = classify(source, schema);
            FileResult before = files.get(source.path());
            if (before != null) {
                List<Reason> reasons = new ArrayList<>(before.reasons());
                reasons.addAll(result.reasons());
                result = new FileResult(source.path(), MigrationClass.BREAKING, reasons);
            }
            files.put(source.path(), result);
        }
        MigrationClass cls = MigrationClass.NONE;
        List<Reason> reasons = new ArrayList<>();
        for (FileResult file : files.values()) {
            cls = cls.max(file.cls());
            reasons.addAll(file.reasons());
        }
        return new Classification(cls, reasons, List.copyOf(files.values()));
    }

    private static FileResult classify(MigrationSource source, DeploySchema schema) {
        StatementRules rules = new StatementRules(schema);
        MigrationClass cls = MigrationClass.EXPAND;
        List<Reason> reasons = new ArrayList<>();
        for (SqlStatement statement : SqlSplitter.split(source.text())) {
            Verdict verdict = rules.decide(statement);
            cls = cls.max(verdict.cls());
            for (String why : verdict.whys()) {
                reasons.add(new Reason(source.path(), statement.line(), statement.shown(), why));
            }
        }
        return new FileResult(source.path(), cls, reasons);
    }
}
