package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliLoggingTest {
    final LoggerContext context = new LoggerContext();

    @Test
    void apply_noSetting_warnAndUpForEveryLoggerOnly() {
        CliLogging.apply(context, CliLogging.Setting.parse(null));

        assertThat(context.getLogger("dev.slipway.github.GithubApi").isWarnEnabled()).isTrue();
        assertThat(context.getLogger("dev.slipway.github.GithubApi").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("com.example.Anything").isInfoEnabled()).isFalse();
    }

    @Test
    void apply_debug_raisesSlipwayButNotTheNoisyLibraries() {
        CliLogging.apply(context, CliLogging.Setting.parse("debug"));

        assertThat(context.getLogger("dev.slipway.github.GithubApi").isDebugEnabled()).isTrue();
        assertThat(context.getLogger("software.amazon.awssdk.request").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("org.flywaydb.core.FlywayExecutor").isInfoEnabled()).isFalse();
    }

    @Test
    void apply_rootAndANamedLibrary_raisesJustWhatWasNamed() {
        CliLogging.apply(context, CliLogging.Setting.parse(" root=info , org.flywaydb=debug"));

        assertThat(context.getLogger("com.example.Anything").isInfoEnabled()).isTrue();
        assertThat(context.getLogger("org.flywaydb.core.FlywayExecutor").isDebugEnabled()).isTrue();
        assertThat(context.getLogger("com.zaxxer.hikari.HikariDataSource").isInfoEnabled()).isFalse();
    }

    @Test
    void parse_unreadableEntries_keepsTheRestAndSaysWhich() {
        CliLogging.Setting s = CliLogging.Setting.parse("loud,dev.slipway.aws=debug,=info");

        assertThat(s.levels()).isEqualTo(Map.of("dev.slipway.aws", Level.DEBUG));
        assertThat(s.problems()).hasSize(2).first().asString().contains("SLIPWAY_LOG: cannot read 'loud'");
        assertThat(s.stackTraces()).isTrue();
    }

    @Test
    void layout_warningWithCause_isOneLineNamingLoggerAndCause() {
        LoggingEvent e = event(Level.WARN, "GitHub refused {}", new IllegalStateException("boom"));

        assertThat(new CliLogLayout(false).doLayout(e))
                .isEqualTo("warning: GithubApi: GitHub refused status (java.lang.IllegalStateException: boom)" + System.lineSeparator());
    }

    @Test
    void layout_errorWithStackTraces_addsTheTraceBelow() {
        LoggingEvent e = event(Level.ERROR, "failed {}", new IllegalStateException("boom"));

        assertThat(new CliLogLayout(true).doLayout(e)).startsWith("error: GithubApi: failed status" + System.lineSeparator()
                + "java.lang.IllegalStateException: boom").contains("\tat dev.slipway.cli.CliLoggingTest");
    }

    private LoggingEvent event(Level level, String message, Throwable thrown) {
        Logger logger = context.getLogger("dev.slipway.github.GithubApi");
        return new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, new Object[] {"status"});
    }
}
