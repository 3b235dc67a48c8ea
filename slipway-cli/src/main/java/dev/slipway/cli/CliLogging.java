package dev.slipway.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Logback's configuration for the command line, found through {@code META-INF/services} (code, not XML, so a
 * command that logs starts no slower): WARN and ERROR of every logger go to standard error as one readable line
 * ({@code warning: GithubApi: ...}), everything below is off. {@code SLIPWAY_LOG} raises or lowers it, e.g.
 * {@code debug} (Slipway's own loggers) or {@code debug,software.amazon.awssdk=info}. A {@code logback.configurationFile}
 * system property still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {
    static final String ENV = "SLIPWAY_LOG";
    /** Chatty below WARN: they stay at WARN unless SLIPWAY_LOG names them. */
    static final List<String> NOISY = List.of("software.amazon.awssdk", "com.github.dockerjava", "org.flywaydb", "com.zaxxer.hikari",
            "org.apache.hc", "org.apache.http", "org.postgresql", "org.sqlite");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, Setting.parse(System.getenv(ENV)));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static void apply(LoggerContext context, Setting setting) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(new CliLogLayout(setting.stackTraces()));
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        NOISY.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
        setting.levels().forEach((name, level) -> context.getLogger(name).setLevel(level));
        setting.problems().forEach(p -> context.getLogger(CliLogging.class).warn(p));
    }

    /**
     * What {@code SLIPWAY_LOG} asks for: comma-separated {@code LEVEL} (for Slipway's own loggers) or
     * {@code LOGGER=LEVEL} ({@code root=LEVEL} for all), with the entries it could not read.
     */
    record Setting(Map<String, Level> levels, List<String> problems) {
        Setting {
            levels = Map.copyOf(levels);
            problems = List.copyOf(problems);
        }

        static Setting parse(String text) {
            Map<String, Level> levels = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (String entry : text == null ? new String[0] : text.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] parts = entry.trim().split("=", 2);
                String name = parts.length == 1 ? "dev.slipway" : parts[0].trim();
                Level level = Level.toLevel(parts[parts.length - 1].trim().toUpperCase(Locale.ROOT), null);
                if (level == null || name.isEmpty()) {
                    problems.add(ENV + ": cannot read '" + entry.trim() + "'; use LEVEL or LOGGER=LEVEL, LEVEL one of"
                            + " error, warn, info, debug, trace, off");
                } else {
                    levels.put(name.equalsIgnoreCase("root") ? Logger.ROOT_LOGGER_NAME : name, level);
                }
            }
            return new Setting(levels, problems);
        }

        /** Stack traces only for whoever asked for debug output; otherwise an exception is named on the line. */
        boolean stackTraces() {
            return levels.values().stream().anyMatch(l -> l.toInt() <= Level.DEBUG_INT);
        }
    }
}
