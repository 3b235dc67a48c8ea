package dev.slipway.examples.hello;

import com.sun.net.httpserver.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Stops the server on SIGTERM/SIGINT: new requests get 503, running ones may finish within the grace
 * period, then the listener, the worker threads and the pools are closed and the process exits 0.
 */
final class GracefulShutdown implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final HttpServer server;
    private final Router router;
    private final ExecutorService executor;
    private final int graceSeconds;
    private final List<AutoCloseable> pools;

    GracefulShutdown(HttpServer server, Router router, ExecutorService executor, int graceSeconds,
                     AutoCloseable... pools) {
        this.server = server;
        this.router = router;
        this.executor = executor;
        this.graceSeconds = graceSeconds;
        this.pools = List.of(pools);
    }

    static void install(GracefulShutdown shutdown) {
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "graceful-shutdown"));
        // The JVM's default SIGTERM handling exits with status 143; a requested stop is a clean exit.
        Signal.handle(new Signal("TERM"), signal -> System.exit(0));
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        LOG.info("shutting down: letting running requests finish (up to {} s)", graceSeconds);
        try {
            if (!router.drain(Duration.ofSeconds(graceSeconds))) {
                LOG.warn("requests still running after {} s; closing anyway", graceSeconds);
            }
            // JDK 17's HttpServer.stop(delay) always waits the whole delay, so drain first and stop at once.
            server.stop(0);
            executor.shutdown();
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pools.forEach(GracefulShutdown::closeQuietly);
        LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    private static void closeQuietly(AutoCloseable pool) {
        try {
            pool.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", pool, e.toString());
        }
    }
}
