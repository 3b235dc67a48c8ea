import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Sends GET requests round-robin to the given URLs every INTERVAL ms until STOP_FILE exists (or MAX_SECONDS pass),
 * and one more request has succeeded, then prints how many failed and the longest window in which no request
 * succeeded. Creates STOP_FILE.ready after the first success. Bounded, loopback only.
 * Usage: java Probe.java STOP_FILE INTERVAL_MS MAX_SECONDS URL...
 */
public class Probe {
    public static void main(String[] args) throws Exception {
        Path stop = Path.of(args[0]);
        long interval = Long.parseLong(args[1]);
        long maxNanos = Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        List<URI> urls = List.of(args).subList(3, args.length).stream().map(URI::create).toList();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long start = System.nanoTime();
        long lastOk = start;
        long longestGap = 0;
        long gapStart = 0;
        int sent = 0;
        int failed = 0;
        Path ready = Path.of(args[0] + ".ready");
        boolean lastWasOk = false;
        while (!(Files.exists(stop) && lastWasOk) && System.nanoTime() - start < maxNanos) {
            URI uri = urls.get(sent % urls.size());
            long t = System.nanoTime();
            boolean ok;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                ok = r.statusCode() / 100 == 2;
            } catch (Exception e) {
                ok = false;
            }
            sent++;
            lastWasOk = ok;
            long now = System.nanoTime();
            if (ok && !Files.exists(ready)) {
                Files.createFile(ready);
            }
            if (ok) {
                if (now - lastOk > longestGap) {
                    longestGap = now - lastOk;
                    gapStart = lastOk;
                }
                lastOk = now;
            } else {
                failed++;
            }
            long sleep = interval - (System.nanoTime() - t) / 1_000_000;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        System.out.printf("requests: %d sent, %d failed (%.1f%%) over %.1f s%n", sent, failed,
                sent == 0 ? 0 : 100.0 * failed / sent, (System.nanoTime() - start) / 1e9);
        System.out.printf("longest window without a successful response: %d ms (starting %.1f s into the probe)%n",
                longestGap / 1_000_000, (gapStart - start) / 1e9);
    }
}
