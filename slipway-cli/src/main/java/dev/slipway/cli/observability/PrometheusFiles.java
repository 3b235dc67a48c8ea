package dev.slipway.cli.observability;

import dev.slipway.core.spec.LocalSpec;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus side: a whole {@code prometheus.yml} that runs as it is (the two scrape jobs and the rule file are what
 * to copy into a shared Prometheus; 2.42 cannot include scrape jobs from another file), and the recording and alerting
 * rules. Every alert is {@code <recording rule> <op> <threshold>}, and every recording rule yields one series per
 * stage that has any metrics (a missing error counter counts as zero errors), so the rules can be checked per stage.
 */
final class PrometheusFiles {
    /** The job of the app's replicas is the app's name; Slipway's own series keep the job they were pushed with. */
    static final String PUSHGATEWAY_JOB = "slipway-pushgateway";
    static final String RULES_FILE = "rules/slipway-rules.yml";
    /** Followed by the stage's name: the job of a stage's Caddy proxy. */
    static final String PROXY_JOB_PREFIX = "slipway-proxy-";

    private PrometheusFiles() {
    }

    static Map<String, Object> config(SlipwaySpec spec, Path fileSdDir, String scrapeInterval) {
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("scrape_interval", scrapeInterval);
        global.put("evaluation_interval", scrapeInterval);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("global", global);
        root.put("rule_files", List.of(RULES_FILE));
        List<Object> jobs = new java.util.ArrayList<>();
        if (fileSdDir != null) {
            jobs.add(appJob(spec, fileSdDir));
        }
        jobs.add(pushgatewayJob(URI.create(spec.metrics().pushgateway())));
        jobs.addAll(proxyJobs(spec));
        root.put("scrape_configs", jobs);
        return root;
    }

    /**
     * The replicas the local target lists in its file_sd files. honor_labels stays false: the file's stage and
     * version say what Slipway deployed where, and win over whatever the app reports. The app's own copies of those
     * labels (renamed exported_*) only repeat them, so they are dropped.
     */
    private static Map<String, Object> appJob(SlipwaySpec spec, Path fileSdDir) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_name", spec.app());
        job.put("metrics_path", "/metrics");
        job.put("honor_labels", false);
        job.put("file_sd_configs", List.of(Map.of("files", List.of(fileSdDir.resolve(spec.app() + "-*.json").toString()),
                "refresh_interval", "1m")));
        job.put("metric_relabel_configs", List.of(Map.of("action", "labeldrop", "regex", "exported_(app|stage|version|replica)")));
        return job;
    }

    /**
     * The Caddy in front of each local stage with {@code local.proxy: caddy} serves its own metrics on its admin port,
     * without a stage label (one Caddy per stage): the job adds app and stage, so they sit next to the app's series.
     */
    private static List<Map<String, Object>> proxyJobs(SlipwaySpec spec) {
        List<Map<String, Object>> jobs = new java.util.ArrayList<>();
        for (StageSpec st : spec.stages().values()) {
            if (st.target().equals("local") && st.local() != null && LocalSpec.CADDY.equals(st.local().proxy())) {
                Map<String, Object> job = new LinkedHashMap<>();
                job.put("job_name", PROXY_JOB_PREFIX + st.name());
                job.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + st.local().proxyAdmin()),
                        "labels", Map.of("app", spec.app(), "stage", st.name()))));
                jobs.add(job);
            }
        }
        return jobs;
    }

    /** Slipway's run metrics: honor_labels keeps the pushed job, app and stage instead of the gateway's own. */
    private static Map<String, Object> pushgatewayJob(URI gateway) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_name", PUSHGATEWAY_JOB);
        job.put("honor_labels", true);
        job.put("scheme", gateway.getScheme());
        int port = gateway.getPort() > 0 ? gateway.getPort() : "https".equals(gateway.getScheme()) ? 443 : 80;
        job.put("static_configs", List.of(Map.of("targets", List.of(gateway.getHost() + ":" + port))));
        return job;
    }

    static Map<String, Object> rules(SlipwaySpec spec) {
        String app = "app=\"" + spec.app() + "\"";
        String up = "up{job=\"" + spec.app() + "\"}";
        String runs = "max by (app, stage) (slipway_last_run_timestamp_seconds{" + app + "})";
        String requests = "sum by (app, stage) (rate(http_requests_total{" + app + "}[5m]))";
        Map<String, String> recording = new LinkedHashMap<>();
        recording.put("slipway:replicas_up:sum", "sum by (app, stage) (" + up + ")"
                + " or on (app, stage) (max by (app, stage) (slipway_live_info{" + app + "}) * 0)");
        recording.put("slipway:http_requests:rate5m", requests);
        recording.put("slipway:http_error_ratio:rate5m", "(sum by (app, stage) (rate(http_request_errors_total{" + app + "}[5m]))"
                + " or " + requests + " * 0) / " + requests);
        recording.put("slipway:last_run_failed", "(max by (app, stage) (slipway_last_run_timestamp_seconds{" + app
                + ", result=~\"failed|rolled_back\"}) >= bool on (app, stage) " + runs + ") or on (app, stage) (" + runs + " * 0)");
        recording.put("slipway:run_in_progress_seconds", "max by (app, stage) (time() - slipway_run_started_timestamp_seconds{" + app
                + "}) * on (app, stage) max by (app, stage) (slipway_run_in_progress{" + app + "})");
        recording.put("slipway:http_error_ratio_after_deploy:rate5m", "slipway:http_error_ratio:rate5m * on (app, stage) "
                + "(time() - max by (app, stage) (slipway_last_run_timestamp_seconds{" + app + ", result=\"succeeded\"}) < bool 1800)");
        List<Object> records = recording.entrySet().stream().map(e -> (Object) Map.of("record", e.getKey(), "expr", e.getValue())).toList();
        List<Object> alerts = List.of(
                alert("SlipwayStageDown", "slipway:replicas_up:sum == 0", "2m", "critical",
                        "No replica of {{ $labels.app }} on stage {{ $labels.stage }} answers Prometheus's scrape."),
                alert("SlipwayDeployFailed", "slipway:last_run_failed == 1", "0m", "warning",
                        "The last run on stage {{ $labels.stage }} failed or was rolled back; see `slipway runs` and `slipway logs RUN`."),
                alert("SlipwayDeployStuck", "slipway:run_in_progress_seconds > 1800", "0m", "warning",
                        "A run on stage {{ $labels.stage }} has been going for more than 30 minutes; see `slipway status`."),
                alert("SlipwayErrorRateUpAfterDeploy", "slipway:http_error_ratio_after_deploy:rate5m > 0.05", "5m", "critical",
                        "More than 5% of requests to stage {{ $labels.stage }} fail within 30 minutes of a deploy; consider `slipway rollback {{ $labels.stage }}`."));
        return Map.of("groups", List.of(
                Map.of("name", "slipway-" + spec.app() + "-records", "rules", records),
                Map.of("name", "slipway-" + spec.app() + "-alerts", "rules", alerts)));
    }

    private static Map<String, Object> alert(String name, String expr, String forDuration, String severity, String summary) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("alert", name);
        rule.put("expr", expr);
        rule.put("for", forDuration);
        rule.put("labels", Map.of("severity", severity));
        rule.put("annotations", Map.of("summary", summary));
        return rule;
    }
}
