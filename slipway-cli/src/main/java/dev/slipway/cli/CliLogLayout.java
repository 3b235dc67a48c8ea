package dev.slipway.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.util.Locale;

/** One line per event, as the CLI prints its own problems: {@code warning: GithubApi: GitHub did not ...}. */
final class CliLogLayout extends LayoutBase<ILoggingEvent> {
    private final boolean stackTraces;

    CliLogLayout(boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(label(event.getLevel())).append(": ")
                .append(shortName(event.getLoggerName())).append(": ").append(event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null && stackTraces) {
            line.append(System.lineSeparator()).append(ThrowableProxyUtil.asString(thrown).stripTrailing());
        } else if (thrown != null) {
            line.append(" (").append(thrown.getClassName()).append(thrown.getMessage() == null ? "" : ": " + thrown.getMessage())
                    .append(')');
        }
        // a driver's or client's message may quote a URL with its credentials
        return dev.slipway.core.Redact.text(line.append(System.lineSeparator()).toString());
    }

    private static String label(Level level) {
        return level.toInt() == Level.WARN_INT ? "warning" : level.levelStr.toLowerCase(Locale.ROOT);
    }

    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }
}
