package dev.slipway.cli.observability;

import dev.slipway.core.spec.SlipwaySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grafana provisioning: the Prometheus datasource (a fixed uid the dashboards name), a file provider for the
 * dashboards directory, and two dashboards with a {@code stage} variable: the app (traffic, errors, latency, replicas,
 * version, deploy markers) and its deploys (runs, durations, downtime, DORA). Panels query the metric names Slipway
 * pushes and the example app exposes (docs/observability.md lists them).
 */
final class GrafanaFiles {
    static final String DATASOURCE_UID = "slipway-prometheus";
    private static final Map<String, String> DATASOURCE = Map.of("type", "prometheus", "uid", DATASOURCE_UID);

    private GrafanaFiles() {
    }

    static Map<String, Object> datasource(String prometheusUrl) {
        Map<String, Object> ds = new LinkedHashMap<>();
        ds.put("name", "Prometheus (Slipway)");
        ds.put("uid", DATASOURCE_UID);
        ds.put("type", "prometheus");
        ds.put("access", "proxy");
        ds.put("url", prometheusUrl);
        ds.put("isDefault", false);
        return Map.of("apiVersion", 1, "datasources", List.of(ds));
    }

    static Map<String, Object> dashboardProvider(Path dashboardsDir) {
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("name", "slipway");
        provider.put("folder", "Slipway");
        provider.put("type", "file");
        provider.put("allowUiUpdates", false);
        provider.put("options", Map.of("path", dashboardsDir.toString()));
        return Map.of("apiVersion", 1, "providers", List.of(provider));
    }

    static Map<String, Object> appDashboard(SlipwaySpec spec) {
        String sel = "app=\"" + spec.app() + "\", stage=\"$stage\"";
        String up = "up{job=\"" + spec.app() + "\", stage=\"$stage\"}";
        String requests = "sum by (stage) (rate(http_requests_total{" + sel + "}[$__rate_interval]))";
        List<Object> panels = new ArrayList<>();
        panels.add(panel(1, "Requests per second", "timeseries", "reqps", 0, 0,
                target("A", requests, "all"),
                target("B", "sum by (status) (rate(http_requests_total{" + sel + "}[$__rate_interval]))", "{{status}}")));
        panels.add(panel(2, "Errors per second (5xx)", "timeseries", "reqps", 12, 0,
                target("A", "sum by (stage) (rate(http_request_errors_total{" + sel + "}[$__rate_interval])) or " + requests + " * 0",
                        "5xx")));
        panels.add(panel(3, "Latency", "timeseries", "s", 0, 8,
                quantile("A", 0.5, sel), quantile("B", 0.95, sel), quantile("C", 0.99, sel)));
        panels.add(panel(4, "Replicas up", "stat", "none", 12, 8, target("A", "sum by (stage) (" + up + ")", "up")));
        panels.add(panel(5, "Version in service", "table", "none", 18, 8,
                target("A", "max by (version, replica) (" + up + ")", "{{version}} replica {{replica}}"),
                target("B", "slipway_live_info{" + sel + "}", "{{version}} (Slipway)")));
        return dashboard(spec.app() + "-app", spec.app() + ": app", spec, panels, List.of(deployMarkers(sel)));
    }

    static Map<String, Object> deploysDashboard(SlipwaySpec spec) {
        String sel = "app=\"" + spec.app() + "\", stage=\"$stage\"";
        List<Object> panels = new ArrayList<>();
        panels.add(panel(1, "Runs by result", "timeseries", "none", 0, 0,
                target("A", "sum by (result) (slipway_runs_total{" + sel + "})", "{{result}}")));
        panels.add(panel(2, "Run in progress for", "stat", "s", 12, 0,
                target("A", "max by (stage) (time() - slipway_run_started_timestamp_seconds{" + sel + "}) * on (stage) "
                        + "max by (stage) (slipway_run_in_progress{" + sel + "})", "running")));
        panels.add(panel(3, "Average run duration", "timeseries", "s", 0, 8,
                target("A", "sum by (result) (slipway_run_duration_seconds_sum{" + sel + "}) / sum by (result) (slipway_run_duration_seconds_count{"
                        + sel + "})", "{{result}}")));
        panels.add(panel(4, "Average step duration", "timeseries", "s", 12, 8,
                target("A", "sum by (step) (slipway_step_duration_seconds_sum{" + sel + "}) / sum by (step) (slipway_step_duration_seconds_count{"
                        + sel + "})", "{{step}}")));
        panels.add(panel(5, "Downtime", "timeseries", "s", 0, 16,
                target("A", "slipway_last_downtime_seconds{" + sel + "}", "last run"),
                target("B", "sum by (stage) (slipway_downtime_seconds_sum{" + sel + "}) / sum by (stage) (slipway_downtime_seconds_count{"
                        + sel + "})", "average")));
        panels.add(panel(6, "Last run ended", "table", "dateTimeAsIso", 12, 16,
                target("A", "slipway_last_run_timestamp_seconds{" + sel + "} * 1000", "{{result}}")));
        panels.add(panel(7, "Deployments per day (30 d)", "stat", "none", 0, 24, target("A", dora("deployments_per_day", sel), "per day")));
        panels.add(panel(8, "Lead time (30 d)", "stat", "s", 6, 24, target("A", dora("lead_time_seconds", sel), "lead time")));
        panels.add(panel(9, "Change failure ratio (30 d)", "stat", "percentunit", 12, 24,
                target("A", dora("change_failure_ratio", sel), "failure ratio")));
        // Slipway exports time to restore only once a change failed in the window: until then the panel says so
        Map<String, Object> restore = panel(10, "Time to restore (30 d)", "stat", "s", 18, 24,
                target("A", dora("time_to_restore_seconds", sel), "restore"));
        restore.put("fieldConfig", Map.of("defaults", Map.of("unit", "s", "noValue", "no failed change in 30 d"), "overrides", List.of()));
        panels.add(restore);
        return dashboard(spec.app() + "-deploys", spec.app() + ": deploys", spec, panels, List.of(deployMarkers(sel)));
    }

    private static String dora(String figure, String sel) {
        return "slipway_dora_" + figure + "{" + sel + ", window=\"30d\"}";
    }

    private static String quantileExpr(double q, String sel) {
        return "histogram_quantile(" + q + ", sum by (le) (rate(http_request_duration_seconds_bucket{" + sel + "}[$__rate_interval])))";
    }

    private static Map<String, Object> quantile(String ref, double q, String sel) {
        return target(ref, quantileExpr(q, sel), "p" + Math.round(q * 100));
    }

    /** A marker where a run on the stage ended: the pushed timestamp of its result changed (0s are no events). */
    private static Map<String, Object> deployMarkers(String sel) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", "Slipway runs");
        a.put("datasource", DATASOURCE);
        a.put("enable", true);
        a.put("iconColor", "blue");
        a.put("expr", "changes(slipway_last_run_timestamp_seconds{" + sel + "}[$__interval])");
        a.put("step", "30s");
        a.put("titleFormat", "run {{result}}");
        a.put("tagKeys", "stage,result");
        return a;
    }

    private static Map<String, Object> target(String ref, String expr, String legend) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("refId", ref);
        t.put("datasource", DATASOURCE);
        t.put("expr", expr);
        t.put("legendFormat", legend);
        return t;
    }

    @SafeVarargs
    private static Map<String, Object> panel(int id, String title, String type, String unit, int x, int y, Map<String, Object>... targets) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("title", title);
        p.put("type", type);
        p.put("datasource", DATASOURCE);
        p.put("gridPos", Map.of("x", x, "y", y, "w", type.equals("timeseries") ? 12 : 6, "h", 8));
        p.put("fieldConfig", Map.of("defaults", Map.of("unit", unit), "overrides", List.of()));
        p.put("targets", List.of(targets));
        return p;
    }

    private static Map<String, Object> dashboard(String uid, String title, SlipwaySpec spec, List<Object> panels, List<Object> annotations) {
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("name", "stage");
        stage.put("label", "Stage");
        stage.put("type", "query");
        stage.put("datasource", DATASOURCE);
        stage.put("query", Map.of("query", "label_values(slipway_live_info{app=\"" + spec.app() + "\"}, stage)", "refId", "stages"));
        stage.put("refresh", 2);
        stage.put("current", Map.of("text", firstStage(spec), "value", firstStage(spec)));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uid", uid);
        d.put("title", title);
        d.put("tags", List.of("slipway", spec.app()));
        d.put("schemaVersion", 38);
        d.put("editable", true);
        d.put("refresh", "30s");
        d.put("time", Map.of("from", "now-6h", "to", "now"));
        d.put("templating", Map.of("list", List.of(stage)));
        d.put("annotations", Map.of("list", annotations));
        d.put("panels", panels);
        return d;
    }

    private static String firstStage(SlipwaySpec spec) {
        return spec.stages().keySet().iterator().next();
    }
}
