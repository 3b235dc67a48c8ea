import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Summarises a {@code hey -o csv} file: failed requests, p50/p99/max latency and the longest gap between two
 * successful responses as the client saw them.
 *
 * <p>Usage: {@code java LoadReport.java CSV SENT [--row]}. hey's CSV lists only requests that got an HTTP
 * response (a refused or reset connection is counted in its summary, not in the CSV), so SENT, the number of
 * requests hey was told to send ({@code -n}), is what makes transport errors countable: failed = SENT - 2xx.
 * With {@code --row} it prints markdown table cells instead of a sentence.
 */
public class LoadReport {

    record Row(double offset, double seconds, int status) {
        double end() {
            return offset + seconds;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java LoadReport.java HEY_CSV SENT [--row]");
            System.exit(2);
        }
        List<Row> rows = read(Path.of(args[0]));
        long sent = Long.parseLong(args[1]);
        List<Row> ok = rows.stream().filter(Row::ok).toList();
        long non2xx = rows.size() - ok.size();
        long failed = sent - ok.size();
        double[] latencies = ok.stream().mapToDouble(Row::seconds).sorted().toArray();
        double[] ends = ok.stream().mapToDouble(Row::end).sorted().toArray();
        double gap = 0;
        for (int i = 1; i < ends.length; i++) {
            gap = Math.max(gap, ends[i] - ends[i - 1]);
        }
        String p50 = ms(percentile(latencies, 50));
        String p99 = ms(percentile(latencies, 99));
        String max = ms(latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1]);
        if (args.length > 2 && args[2].equals("--row")) {
            System.out.printf("%d of %d | %s | %s | %s | %s%n", failed, sent, p50, p99, max, ms(gap));
        } else {
            System.out.printf("%d requests sent, %d answered 2xx, %d failed (%d non-2xx, %d without an HTTP response);"
                    + " latency p50 %s, p99 %s, max %s; longest gap between two successes %s%n",
                    sent, ok.size(), failed, non2xx, sent - rows.size(), p50, p99, max, ms(gap));
        }
    }

    private static List<Row> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.get(0).startsWith("response-time,")) {
            throw new IllegalArgumentException(csv + ": not a hey CSV file (expected a 'response-time,...' header)");
        }
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int time = header.indexOf("response-time");
        int status = header.indexOf("status-code");
        int offset = header.indexOf("offset");
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            if (cells.length != header.size()) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": expected " + header.size() + " cells, got "
                        + cells.length);
            }
            rows.add(new Row(Double.parseDouble(cells[offset]), Double.parseDouble(cells[time]),
                    Integer.parseInt(cells[status])));
        }
        return rows;
    }

    /** Nearest-rank percentile of sorted values, NaN when there are none. */
    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String ms(double seconds) {
        return Double.isNaN(seconds) ? "-" : Math.round(seconds * 1000) + " ms";
    }
}
