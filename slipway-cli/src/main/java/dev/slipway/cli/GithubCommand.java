package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.github.CheckReport;
import dev.slipway.github.GithubApi;
import dev.slipway.github.GithubSettings;
import dev.slipway.github.ProtectionCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "github", description = "GitHub integration.", subcommands = GithubCommand.Check.class)
final class GithubCommand {
    private GithubCommand() {
    }

    @Command(name = "check", description = {"Reports whether production is really protected in GitHub: prod needs reviewed pull requests",
            "that admins cannot bypass; the production environment has required reviewers, forbids self-review and only",
            "accepts deployments from prod; its reviews can give the stage's approvals.required to a deploy from Actions.",
            "Exit 0 when every row passes, 1 otherwise. Needs GITHUB_TOKEN (or",
            "SLIPWAY_GITHUB_TOKEN) and GITHUB_REPOSITORY (or --repo)."})
    static final class Check implements Callable<Integer> {
        @Mixin
        ProjectOptions project;
        @Spec
        CommandSpec cmd;
        @Option(names = "--fix", description = "Apply the environment settings it can (self-review, branch policy).")
        boolean fix;
        @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "owner/name (default: GITHUB_REPOSITORY).")
        String repo;
        @Option(names = "--api-url", paramLabel = "URL", description = "GitHub API URL (default: GITHUB_API_URL, else https://api.github.com).")
        String apiUrl;

        @Override
        public Integer call() {
            SlipwaySpec spec = project.spec();
            GithubSettings settings = GithubSettings.fromEnv(System::getenv);
            if (repo != null) {
                if (!repo.matches("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")) {
                    throw new SlipwayException(ErrorCode.BAD_USAGE, "--repo '" + Display.value(repo) + "' must be owner/name,"
                            + " e.g. acme/hello");
                }
                settings = settings.withRepository(repo);
            }
            if (apiUrl != null) {
                try {
                    settings = settings.withApiUrl(apiUrl);
                } catch (SlipwayException e) { // the value is not shown: a URL may carry a token as its user info
                    throw new SlipwayException(ErrorCode.BAD_USAGE, "--api-url is not an http(s) URL (e.g."
                            + " https://github.example.com/api/v3)");
                }
            }
            if (!settings.usable()) {
                throw new SlipwayException(ErrorCode.BAD_USAGE, "github check needs a token (GITHUB_TOKEN or SLIPWAY_GITHUB_TOKEN)"
                        + " and a repository (GITHUB_REPOSITORY or --repo)");
            }
            CheckReport report = ProtectionCheck.run(GithubApi.create(settings), settings.repository(),
                    ProtectionCheck.Target.of(spec), ProtectionCheck.approvalsOf(spec), fix);
            cmd.commandLine().getOut().print(report.render());
            cmd.commandLine().getOut().flush();
            return report.passed() ? 0 : 1;
        }
    }
}
