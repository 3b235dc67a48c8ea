package dev.slipway.cli;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Lease;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.StepContext.Release;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Shows each stage: the live release, the latest run and who holds the stage now.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;

    @Override
    public Integer call() {
        boolean json = project.json();
        SlipwaySpec spec = project.spec();
        PrintWriter out = cmd.commandLine().getOut();
        try (Journal journal = ProjectOptions.journal(spec); Engine engine = ProjectOptions.engine(spec, journal)) {
            List<Map<String, Object>> stages = new ArrayList<>();
            for (StageSpec stage : spec.stages().values()) {
                stages.add(stage(stage, engine, journal));
            }
            if (json) {
                out.println(Json.write(Map.of("app", spec.app(), "stages", stages)));
            } else {
                out.printf("%-12s %-8s %-14s %-28s %s%n", "STAGE", "TARGET", "LIVE", "LATEST RUN", "NOW");
                for (Map<String, Object> s : stages) {
                    out.printf("%-12s %-8s %-14s %-28s %s%n", s.get("stage"), s.get("target"), or(s.get("liveCommit")),
                            s.get("latestRun") == null ? "-" : "#" + s.get("latestRun") + " " + s.get("latestState"),
                            s.get("heldBy") == null ? "idle" : "running #" + s.get("heldRun"));
                    if (s.get("liveFrom") != null) {
                        out.printf("%-12s live release: %s%n", "", s.get("liveFrom"));
                    }
                }
            }
        }
        return 0;
    }

    private static Map<String, Object> stage(StageSpec stage, Engine engine, Journal journal) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage.name());
        m.put("target", stage.target());
        m.put("branch", stage.branch());
        Optional<Release> live = engine.currentRelease(stage.name());
        m.put("liveCommit", live.map(r -> short12(r.commit())).orElse(null));
        m.put("liveRun", live.map(Release::runId).orElse(null));
        m.put("liveImage", live.flatMap(r -> r.build().get("image")).orElse(null));
        m.put("liveFrom", live.flatMap(r -> Provenance.of(r.build().values())).orElse(null));
        List<RunRecord> latest = journal.runs(stage.name(), 1);
        RunView view = latest.isEmpty() ? null : RunView.of(latest.get(0), journal.events(latest.get(0).id()));
        m.put("latestRun", view == null ? null : view.run().id());
        m.put("latestState", view == null ? null : view.state().name());
        m.put("latestReason", view == null ? null : view.reason());
        Optional<Lease> lease = journal.lease(stage.name()).filter(l -> !l.isFree()); // a released lease keeps its row
        m.put("heldBy", lease.map(Lease::holder).orElse(null));
        m.put("heldRun", lease.map(Lease::runId).orElse(null));
        return m;
    }

    private static String short12(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    private static Object or(Object o) {
        return o == null ? "-" : o;
    }
}
