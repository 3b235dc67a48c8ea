package dev.slipway.core.engine;

import dev.slipway.core.migrations.Change;
import dev.slipway.core.migrations.Classification;
import dev.slipway.core.migrations.MigrationClass;
import dev.slipway.core.migrations.MigrationClassifier;
import dev.slipway.core.migrations.MigrationSource;
import dev.slipway.core.migrations.PendingMigrations;
import dev.slipway.core.migrations.Reason;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a deploy's pending migrations do and how the stage therefore goes from the old release to the new one. The
 * {@link StepName#CLASSIFY} step journals it (so a resumed run keeps its order) and {@code slipway plan} shows it.
 *
 * @param cls      the class of the pending migrations
 * @param reasons  why they are breaking, rendered ({@code file:line statement — why}), in the order they run
 * @param pending  the pending files, in the order they run
 * @param strategy ONLINE or STOP_FIRST, never AUTO
 * @param why      one line saying why this strategy: {@code strategy: online (migrations: expand, 2 pending files)}
 */
record Assessment(MigrationClass cls, List<String> reasons, List<String> pending, Strategy strategy, String why) {
    /** How many reasons and files outputs, logs and plans list; the rest are counted. */
    static final int SHOWN = 20;
    static final String NO_FILES = "no migrations.files: Slipway cannot tell what the migration does";
    static final String NO_HISTORY = "no git history to compare";

    Assessment {
        reasons = List.copyOf(reasons);
        pending = List.copyOf(pending);
    }

    /**
     * Classifies the migrations of a deploy of {@code to} to {@code stage}, whose live release runs {@code from} (null:
     * nothing deployed yet, so every migration file of {@code to} is pending); {@code tree} is the directory standing for
     * the spec's directory as of {@code to}, read only when there are files to read. Then picks the strategy.
     */
    static Assessment of(SlipwaySpec spec, StageSpec stage, Sources sources, String from, String to, Supplier<Path> tree,
                         Optional<String> onlineUnsupported) {
        MigrationClass cls;
        List<String> reasons = new ArrayList<>();
        List<String> pending = List.of();
        if (!spec.migrations().enabled()) {
            cls = MigrationClass.NONE;
        } else if (spec.migrations().files().isEmpty()) {
            cls = MigrationClass.BREAKING;
            reasons.add(NO_FILES);
        } else {
            Optional<List<String>> changes = sources.changes(spec, from, to);
            if (changes.isEmpty()) {
                cls = MigrationClass.BREAKING;
                reasons.add(NO_HISTORY + (from == null ? " (commit " + to + ")" : " (" + from + " → " + to + ")"));
            } else {
                List<Change> parsed;
                try {
                    parsed = Change.parseNameStatus(String.join("\n", changes.get()));
                } catch (IllegalArgumentException e) {
                    parsed = null;
                    reasons.add("cannot read what git says changed: " + e.getMessage());
                }
                if (parsed == null) {
                    cls = MigrationClass.BREAKING;
                } else {
                    PendingMigrations p = PendingMigrations.select(spec.migrations().files(), parsed);
                    Classification c = classify(p, tree);
                    cls = c.cls();
                    c.reasons().forEach(r -> reasons.add(r.render()));
                    pending = p.files();
                }
            }
        }
        return decide(stage, cls, reasons, pending, onlineUnsupported);
    }

    private static Classification classify(PendingMigrations pending, Supplier<Path> tree) {
        List<Reason> fileReasons = new ArrayList<>(pending.reasons());
        List<MigrationSource> sources = new ArrayList<>();
        if (!pending.files().isEmpty()) {
            Path dir = tree.get();
            for (String file : pending.files()) {
                try {
                    sources.add(new MigrationSource(file, Files.readString(dir.resolve(file))));
                } catch (IOException | RuntimeException e) {
                    fileReasons.add(new Reason(file, 0, "", "cannot be read (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "), so Slipway cannot tell what it does"));
                }
            }
        }
        return MigrationClassifier.classify(sources, fileReasons);
    }

    /** Picks the strategy for {@code cls}; an explicit {@code strategy: online} the target cannot do fails (permanently). */
    static Assessment decide(StageSpec stage, MigrationClass cls, List<String> reasons, List<String> pending,
                             Optional<String> onlineUnsupported) {
        String migrations = "migrations: " + id(cls) + ", " + pending.size() + " pending file" + (pending.size() == 1 ? "" : "s");
        Strategy s;
        String because;
        switch (stage.strategy()) {
            case ONLINE -> {
                if (onlineUnsupported.isPresent()) {
                    throw TargetException.permanent(onlineRefused(stage, onlineUnsupported.get()));
                }
                s = Strategy.ONLINE;
                because = "stages." + stage.name() + ".strategy is online; " + migrations
                        + (cls == MigrationClass.BREAKING ? "; breaking: " + first(reasons) : "");
            }
            case STOP_FIRST -> {
                s = Strategy.STOP_FIRST;
                because = "stages." + stage.name() + ".strategy is stop-first; " + migrations;
            }
            default -> {
                if (cls == MigrationClass.BREAKING) {
                    s = Strategy.STOP_FIRST;
                    because = "breaking: " + first(reasons);
                } else if (onlineUnsupported.isPresent()) {
                    s = Strategy.STOP_FIRST;
                    because = migrations + ", but " + onlineUnsupported.get();
                } else {
                    s = Strategy.ONLINE;
                    because = migrations;
                }
            }
        }
        return new Assessment(cls, reasons, pending, s, "strategy: " + s.id() + " (" + because + ")");
    }

    static String onlineRefused(StageSpec stage, String why) {
        return "stages." + stage.name() + ".strategy is online, but " + why
                + ": set it to auto (which deploys stop-first there) or stop-first";
    }

    private static String first(List<String> reasons) {
        return reasons.isEmpty() ? "(no reason given)" : reasons.get(0) + (reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " more)" : "");
    }

    static String id(MigrationClass cls) {
        return cls.name().toLowerCase(Locale.ROOT);
    }

    static Optional<MigrationClass> cls(String id) {
        for (MigrationClass c : MigrationClass.values()) {
            if (id(c).equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The journaled form: {@code class}, {@code strategy}, {@code reasons}, {@code pending} (a count), {@code files}. */
    Outputs outputs() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("class", id(cls));
        out.put("strategy", strategy.id());
        out.put("reasons", bounded(reasons));
        out.put("pending", String.valueOf(pending.size()));
        out.put("files", bounded(pending));
        out.put("why", why);
        return new Outputs(out);
    }

    /** Read back from journaled outputs (a resumed run), empty when they lack the class or the strategy. */
    static Optional<Assessment> from(Outputs out) {
        Optional<MigrationClass> cls = out.get("class").flatMap(Assessment::cls);
        Optional<Strategy> s = out.get("strategy").flatMap(Strategy::fromId).filter(x -> x != Strategy.AUTO);
        if (cls.isEmpty() || s.isEmpty()) {
            return Optional.empty();
        }
        Function<String, List<String>> lines = k -> out.get(k).filter(v -> !v.isEmpty()).map(v -> List.of(v.split("\n"))).orElse(List.of());
        return Optional.of(new Assessment(cls.get(), lines.apply("reasons"), lines.apply("files"), s.get(), out.get("why").orElse("")));
    }

    /** At most {@link #SHOWN} lines, then how many more. */
    static String bounded(List<String> lines) {
        List<String> shown = new ArrayList<>(lines.subList(0, Math.min(SHOWN, lines.size())));
        if (lines.size() > SHOWN) {
            shown.add("… and " + (lines.size() - SHOWN) + " more");
        }
        String s = String.join("\n", shown);
        return s.length() > 8000 ? s.substring(0, 8000) + "…" : s;
    }
}
