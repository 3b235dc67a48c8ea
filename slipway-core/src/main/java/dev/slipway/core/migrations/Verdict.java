package dev.slipway.core.migrations;

import java.util.List;

/**
 * What one statement does: {@link MigrationClass#NONE} for statements that change nothing the old release sees
 * (transaction control, session settings), otherwise expand or breaking with the reasons.
 */
record Verdict(MigrationClass cls, List<String> whys) {
    static final Verdict NEUTRAL = new Verdict(MigrationClass.NONE, List.of());
    static final Verdict EXPAND = new Verdict(MigrationClass.EXPAND, List.of());

    Verdict {
        whys = List.copyOf(whys);
    }

    static Verdict breaking(String why) {
        return new Verdict(MigrationClass.BREAKING, List.of(why));
    }

    /** Both statements' worth, as one ALTER TABLE with several actions is as bad as its worst action. */
    Verdict and(Verdict other) {
        MigrationClass cls = this.cls.max(other.cls);
        if (cls != MigrationClass.BREAKING) {
            return cls == this.cls ? this : other;
        }
        List<String> all = new java.util.ArrayList<>(whys);
        all.addAll(other.whys);
        return new Verdict(cls, all);
    }
}
