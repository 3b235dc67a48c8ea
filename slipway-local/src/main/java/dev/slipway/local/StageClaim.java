package dev.slipway.local;

import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Before a run changes anything: refuses a stage whose containers this run's journal cannot prove are its own, so a
 * second journal never stops, replaces or removes the work of another one. A journal proves a container is its own by
 * the journal label, or, on containers older than that label, by a run key it knows. Containers of a SQLite journal
 * whose file is gone (someone deleted {@code .slipway/}) belong to nobody: this journal takes the stage over.
 */
final class StageClaim {
    private static final String SQLITE = "sqlite:";
    private final Containers containers;

    StageClaim(Containers containers) {
        this.containers = containers;
    }

    void run(StepContext ctx) {
        Map<String, List<Containers.Box>> foreign = new TreeMap<>();
        for (Containers.Box b : containers.list(Labels.stage(ctx))) {
            if (!isOwn(ctx, b)) {
                foreign.computeIfAbsent(b.label(Labels.JOURNAL_AT), k -> new ArrayList<>()).add(b);
            }
        }
        foreign.forEach((location, boxes) -> {
            if (!isLost(ctx, location)) {
                throw TargetException.permanent(refusal(ctx, location, boxes));
            }
        });
        foreign.forEach((location, boxes) -> ctx.log((location.equals(ctx.journalLocation())
                ? "the journal that was at " + location + " before this one is gone (its file was deleted and made again)"
                : "the journal at " + location + " is gone (its file no longer exists)")
                + ": this journal (" + ctx.journalLocation() + ") takes stage " + ctx.stage().name() + " over from it, with "
                + StopOldStep.names(boxes)));
    }

    private static boolean isOwn(StepContext ctx, Containers.Box box) {
        String journal = box.label(Labels.JOURNAL);
        if (!journal.isEmpty()) {
            return journal.equals(ctx.journalKey());
        }
        String key = Labels.keyOf(box);
        return key.equals(ctx.runKey()) || key.endsWith("." + ctx.journalKey())
                || ctx.previousRelease().map(r -> key.equals(r.runKey()) || isLegacyOf(box, r)).orElse(false);
    }

    /** A container labelled before run keys: its run number and commit are those of the journal's previous release. */
    private static boolean isLegacyOf(Containers.Box box, StepContext.Release release) {
        return box.label(Labels.RUN_KEY).isEmpty() && box.label(Labels.RUN).equals(String.valueOf(release.runId()))
                && box.label(Labels.COMMIT).equals(release.commit());
    }

    /**
     * A SQLite journal whose file is gone, or one that lived where this journal lives now (the file was deleted and
     * made again). A PostgreSQL journal cannot be proven gone from here.
     */
    private static boolean isLost(StepContext ctx, String location) {
        if (!location.startsWith(SQLITE)) {
            return false;
        }
        return location.equals(ctx.journalLocation()) || !Files.exists(Path.of(location.substring(SQLITE.length())));
    }

    private static String refusal(StepContext ctx, String location, List<Containers.Box> boxes) {
        List<String> names = boxes.stream().map(Containers.Box::name).toList();
        String whose = location.isEmpty()
                ? "containers that name no journal (made before Slipway labelled them with one), of run(s) "
                  + String.join(", ", boxes.stream().map(Labels::keyOf).distinct().toList()) + " this journal does not know"
                : "containers of another Slipway journal, at " + location;
        String pointAt = location.isEmpty() ? "the journal that made them"
                : "it (state.url: jdbc:" + location + ")";
        return "stage " + ctx.stage().name() + " of " + ctx.spec().app() + " has " + whose + ": "
                + String.join(", ", names) + ". This run's journal (" + ctx.journalLocation() + ") cannot prove they are its"
                + " own. To deploy with the journal that owns them, point state.url in slipway.yml or"
                + " SLIPWAY_STATE_URL at " + pointAt + ". If that journal is gone for good, remove its containers and deploy"
                + " again: `podman rm -f " + String.join(" ", names) + "` (with Docker: `docker rm -f " + String.join(" ", names)
                + "`)";
    }
}
