package dev.slipway.local;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.core.engine.Sleeper;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetProvider;
import dev.slipway.images.DockerClients;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageEngines;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The {@code local} target: containers on this machine's Docker or Podman (Docker API at {@code DOCKER_HOST}),
 * snapshots with the PostgreSQL client tools ({@code SLIPWAY_PG_BIN} names their directory if they are not in the
 * newest {@code /usr/lib/postgresql/N/bin} or on PATH).
 */
public final class LocalTargetProvider implements TargetProvider {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private final UnaryOperator<String> env;

    /** Reads DOCKER_HOST and SLIPWAY_PG_BIN from the process environment (as {@link java.util.ServiceLoader} needs). */
    public LocalTargetProvider() {
        this(System::getenv);
    }

    /** Reads DOCKER_HOST and SLIPWAY_PG_BIN from {@code env}. */
    public LocalTargetProvider(UnaryOperator<String> env) {
        this.env = env;
    }

    @Override
    public String type() {
        return "local";
    }

    @Override
    public Target create(SlipwaySpec spec, StageSpec stage) {
        Supplier<DockerClient> client = memoize(() -> DockerClients.fromEnvironment(env));
        Supplier<ImageEngine> images = memoize(() -> ImageEngines.docker(client.get()));
        Supplier<Containers> containers = memoize(() -> new DockerContainers(client.get()));
        String pgBin = env.apply("SLIPWAY_PG_BIN");
        PgTools pg = new PgTools(pgBin == null || pgBin.isBlank() ? null : Path.of(pgBin), Clock.systemUTC());
        HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        HealthWait.Probe probe = url -> http.send(HttpRequest.newBuilder(url).timeout(PROBE_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slipway-local-" + stage.name());
            t.setDaemon(true);
            return t;
        });
        return new LocalTarget(images, containers, pg,
                ctx -> new HealthWait(probe, containers.get(), ctx.clock(), Sleeper.REAL), pool);
    }

    /** A supplier that makes its value once, on first use, and hands the same one to every thread. */
    static <T> Supplier<T> memoize(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

}
