package dev.slipway.cli;

import dev.slipway.github.InitGithub;
import dev.slipway.github.SlipwayAction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", description = "Sets up a way of running Slipway.", subcommands = InitCommand.Github.class)
final class InitCommand {
    private InitCommand() {
    }

    @Command(name = "github", description = {"Writes .github/workflows/slipway-<stage>.yml for every stage (push to its branch deploys it)",
            "and prints what you must still configure in GitHub. Refuses to replace a file someone changed unless --force.",
            "The workflows run the Slipway GitHub Action pinned to this Slipway's version; nothing else is written."})
    static final class Github implements Callable<Integer> {
        @Mixin
        ProjectOptions project;
        @Spec
        CommandSpec cmd;
        @Option(names = "--force", description = "Replace workflow files even if they were changed.")
        boolean force;

        @Override
        public Integer call() {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int code;
            try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
                SlipwayAction action = SlipwayAction.release(Version.projectVersion());
                code = InitGithub.run(project.spec().baseDir(), project.spec(), action, force, out);
            }
            cmd.commandLine().getOut().print(buffer.toString(StandardCharsets.UTF_8));
            cmd.commandLine().getOut().flush();
            return code;
        }
    }
}
