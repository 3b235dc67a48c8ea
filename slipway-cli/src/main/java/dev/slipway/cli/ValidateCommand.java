package dev.slipway.cli;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecException;
import dev.slipway.core.spec.StageSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = {"Checks slipway.yml and reports every problem with its path. Changes nothing.",
        "Also checks what each stage's target names on this machine (the ecs task definition template)."})
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;

    @Override
    public Integer call() {
        boolean json = project.json();
        try {
            SlipwaySpec spec = project.spec();
            project.checkTargets(spec, spec.stages().values(), cmd.commandLine().getErr());
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("valid", true);
                m.put("file", project.file.toString());
                m.put("app", spec.app());
                m.put("stages", spec.stages().keySet());
                cmd.commandLine().getOut().println(Json.write(m));
            } else {
                cmd.commandLine().getOut().println(project.file + " is valid: app " + spec.app() + ", stages "
                        + String.join(", ", spec.stages().values().stream().map(ValidateCommand::describe).toList()));
            }
            return 0;
        } catch (SpecException e) {
            if (json) {
                cmd.commandLine().getOut().println(Json.write(Map.of("valid", false, "file", project.file.toString(),
                        "problems", e.problems())));
            } else {
                cmd.commandLine().getErr().println(e.getMessage());
            }
            return e.exitCode();
        }
    }

    private static String describe(StageSpec s) {
        return s.name() + " (" + s.target() + ", branch " + s.branch() + (s.approvals().gated()
                ? ", " + s.approvals().required() + " approval(s)" : "") + ")";
    }
}
