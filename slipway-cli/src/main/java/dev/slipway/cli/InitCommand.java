package dev.slipway.cli;

import dev.slipway.cli.observability.InitObservability;
import dev.slipway.github.InitGithub;
import dev.slipway.github.SlipwayAction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", description = "Sets up a way of running Slipway.", subcommands = {InitCommand.Github.class, InitCommand.Observability.class})
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

    @Command(name = "observability", description = {"Writes a Prometheus config (scrape jobs for every stage and the Pushgateway, alerting and",
            "recording rules) and Grafana provisioning (datasource, app and deploys dashboards) from slipway.yml.",
            "Refuses to replace a file someone changed unless --force."})
    static final class Observability implements Callable<Integer> {
        @Mixin
        ProjectOptions project;
        @Spec
        CommandSpec cmd;
        @Option(names = "--dir", defaultValue = "observability", paramLabel = "DIR",
                description = "Where to write, relative to the project directory (default: ${DEFAULT-VALUE}).")
        Path dir;
        @Option(names = "--prometheus-url", defaultValue = "http://127.0.0.1:9090", paramLabel = "URL",
                description = "The Prometheus URL Grafana's datasource uses (default: ${DEFAULT-VALUE}).")
        String prometheusUrl;
        @Option(names = "--scrape-interval", defaultValue = "15s", paramLabel = "DURATION",
                description = "Prometheus's scrape and rule evaluation interval (default: ${DEFAULT-VALUE}).")
        String scrapeInterval;
        @Option(names = "--force", description = "Replace generated files even if they were changed.")
        boolean force;

        @Override
        public Integer call() {
            if (!scrapeInterval.matches("[1-9][0-9]{0,4}(ms|s|m)")) {
                throw new picocli.CommandLine.ParameterException(cmd.commandLine(),
                        "--scrape-interval must be a Prometheus duration such as 15s or 1m, not '" + Display.value(scrapeInterval) + "'");
            }
            if (!prometheusUrl.matches("https?://[^\\s]+")) {
                throw new picocli.CommandLine.ParameterException(cmd.commandLine(),
                        "--prometheus-url must be an http(s) URL, not '" + Display.value(prometheusUrl) + "'");
            }
            dev.slipway.core.spec.SlipwaySpec spec = project.spec();
            Path out = spec.baseDir().resolve(dir).toAbsolutePath().normalize();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int code;
            try (PrintStream print = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
                code = InitObservability.run(spec, new InitObservability.Options(out, prometheusUrl, scrapeInterval, force), print);
            }
            cmd.commandLine().getOut().print(buffer.toString(StandardCharsets.UTF_8));
            cmd.commandLine().getOut().flush();
            return code;
        }
    }
}
