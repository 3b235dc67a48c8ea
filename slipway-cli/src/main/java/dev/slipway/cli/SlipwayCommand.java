package dev.slipway.cli;

import picocli.CommandLine.Command;

/** {@code slipway}: takes a containerized server from a commit to a running stage, safely. */
@Command(name = "slipway", mixinStandardHelpOptions = true, scope = picocli.CommandLine.ScopeType.INHERIT, versionProvider = Version.class,
        description = "Deploys a containerized server from a git commit to a stage, safely: build, snapshot, stop,"
                + " migrate, deploy, verify; on failure the previous version comes back.",
        subcommands = {ValidateCommand.class, PlanCommand.class, DeployCommand.class, RollbackCommand.class,
                StatusCommand.class, RunsCommand.class, LogsCommand.class, ApproveCommand.class, SnapshotsCommand.class,
                InitCommand.class, GithubCommand.class, MetricsCommand.class, StatsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed; nothing was changed or the previous version is back",
                "2:bad usage or configuration", "3:the run failed and needs a person (the previous version could not be brought back)"})
final class SlipwayCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
