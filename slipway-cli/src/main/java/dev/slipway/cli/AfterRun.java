package dev.slipway.cli;

import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.metrics.DeployMarker;
import dev.slipway.core.metrics.GrafanaAnnotations;
import dev.slipway.core.metrics.Pushgateway;
import dev.slipway.core.metrics.RunMetrics;
import dev.slipway.core.spec.MetricsSpec.GrafanaSpec;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * What an ended run tells the monitoring: its stage's metrics to the Pushgateway and a deploy marker to Grafana.
 * Neither may change the run's result: a failure is one {@code warning:} line.
 */
final class AfterRun {
    private final SlipwaySpec spec;
    private final UnaryOperator<String> env;
    private final Clock clock;
    private final PrintWriter warnings;

    AfterRun(SlipwaySpec spec, UnaryOperator<String> env, Clock clock, PrintWriter warnings) {
        this.spec = spec;
        this.env = env;
        this.clock = clock;
        this.warnings = warnings;
    }

    void report(Journal journal, RunView view) {
        if (!view.state().isTerminal()) {
            return;
        }
        pushMetrics(journal, view);
        mark(view);
    }

    private void pushMetrics(Journal journal, RunView view) {
        String url = spec.metrics().pushgateway();
        if (url == null) {
            return;
        }
        String text = RunMetrics.render(journal, spec.app(), view.run().stage(), clock.instant());
        String problem = new Pushgateway(url).push(spec.app(), view.run().stage(), text);
        if (problem != null) {
            warnings.println("warning: metrics not pushed: " + problem);
        }
    }

    private void mark(RunView view) {
        GrafanaSpec grafana = spec.metrics().grafana();
        if (grafana == null) {
            return;
        }
        String token;
        try {
            token = grafana.token().resolve(env, "metrics.grafana.token");
        } catch (SpecException e) {
            warnings.println("warning: no deploy marker added to Grafana: " + String.join("; ", e.problems()));
            return;
        }
        String problem = new GrafanaAnnotations(grafana.url(), token, grafana.timeout()).add(DeployMarker.of(spec.app(), view));
        if (problem != null) {
            warnings.println("warning: no deploy marker added to Grafana: " + problem);
        }
    }
}
