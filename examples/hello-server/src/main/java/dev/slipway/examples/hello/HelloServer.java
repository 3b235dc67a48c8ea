package dev.slipway.examples.hello;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * Entry point. {@code migrate} applies the database migrations and exits; {@code serve} (the default)
 * answers HTTP until SIGTERM and never migrates by itself.
 */
public final class HelloServer {

    private static final Logger LOG = LoggerFactory.getLogger(HelloServer.class);
    private static final int TIMEOUT_MILLIS = 2000;
    private static final int HTTP_THREADS = 16;

    private HelloServer() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        int exitCode;
        try {
            exitCode = switch (command) {
                case "serve" -> serve(Config.fromEnv(System.getenv(), Config.Needs.DATABASE_AND_REDIS));
                case "migrate" -> Migrations.migrate(Config.fromEnv(System.getenv(), Config.Needs.DATABASE),
                        System.out, System.err);
                case "help", "--help", "-h" -> usage(0);
                default -> {
                    System.err.println("unknown command: " + command);
                    yield usage(2);
                }
            };
        } catch (Config.ConfigException e) {
            e.errors().forEach(error -> System.err.println("config: " + error));
            exitCode = 2;
        }
        if (!"serve".equals(command) || exitCode != 0) {
            System.exit(exitCode);
        }
    }

    private static int usage(int exitCode) {
        (exitCode == 0 ? System.out : System.err).println(
                "usage: java -jar hello-server.jar [serve|migrate]\n"
                        + "env: PORT, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, REDIS_URL, STAGE, APP_VERSION,\n"
                        + "     MIGRATIONS_DIR, SHUTDOWN_GRACE_SECONDS");
        return exitCode;
    }

    private static int serve(Config config) {
        long started = System.nanoTime();
        LOG.info("hello-server {} starting: {}", config.version(), config);
        HikariDataSource dataSource = dataSource(config);
        JedisPool redis = redisPool(config);
        warnIfSchemaIsBehind(dataSource);
        Router router = new HelloApi(config, new Greetings(dataSource), new RedisCounter(redis, config.stage()),
                new Metrics(config.stage(), config.version(), Instant.now())).router();
        ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS);
        try {
            HttpServer server = listen(config.port(), router, executor);
            GracefulShutdown.install(new GracefulShutdown(server, router, executor,
                    config.shutdownGraceSeconds(), dataSource, redis));
        } catch (IOException e) {
            LOG.error("cannot listen on port {}: {}", config.port(), e.toString());
            executor.shutdown();
            dataSource.close();
            redis.close();
            return 1;
        }
        LOG.info("listening on port {} (stage {}, started in {} ms)", config.port(), config.stage(),
                (System.nanoTime() - started) / 1_000_000);
        return 0;
    }

    private static HttpServer listen(int port, Router router, ExecutorService executor) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", router);
        server.setExecutor(executor);
        server.start();
        return server;
    }

    private static HikariDataSource dataSource(Config config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("hello-postgres");
        hikari.setJdbcUrl(config.databaseUrl());
        hikari.setUsername(config.databaseUser());
        hikari.setPassword(config.databasePassword());
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(TIMEOUT_MILLIS);
        hikari.setValidationTimeout(TIMEOUT_MILLIS / 2);
        // start even when the database is down: /healthz reports it
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    private static JedisPool redisPool(Config config) {
        GenericObjectPoolConfig<Jedis> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(HTTP_THREADS);
        pool.setJmxEnabled(false);
        return new JedisPool(pool, config.redisUrl(), TIMEOUT_MILLIS);
    }

    private static void warnIfSchemaIsBehind(HikariDataSource dataSource) {
        try {
            Migrations.schemaWarning(Migrations.current(dataSource)).ifPresentOrElse(
                    warning -> LOG.warn(warning),
                    () -> LOG.info("database schema is at or above version {}", Migrations.REQUIRED));
        } catch (Exception e) {
            LOG.warn("cannot read the schema version (needs {}): {}", Migrations.REQUIRED, e.getMessage());
        }
    }
}
