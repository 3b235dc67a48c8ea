package dev.slipway.github;

import dev.slipway.core.engine.Backoff;
import dev.slipway.core.engine.Sleeper;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Specs and clients the tests share. */
final class Fixtures {
    static final String LOCAL_SPEC = """
            app: shop
            build: {context: .}
            stages:
              staging:
                branch: main
                target: local
                database:
                  url: jdbc:postgresql://127.0.0.1:5432/shop_staging
                  password: ${env:STAGING_DB_PASSWORD}
              production:
                branch: prod
                target: local
                approvals: {required: 1}
                environment:
                  PAYMENT_KEY: ${env:PAYMENT_KEY}
            """;

    static final String ECS_SPEC = """
            app: shop
            build: {context: .}
            stages:
              staging:
                branch: main
                target: ecs
                ecs:
                  region: eu-west-1
                  cluster: shop
                  service: shop-staging
                  task-definition: deploy/task-definition.json
                  ecr-repository: shop
                  role-arn: arn:aws:iam::123456789012:role/slipway-staging
              production:
                branch: prod
                target: ecs
                approvals: {required: 2}
                ecs:
                  region: eu-west-1
                  cluster: shop
                  service: shop-production
                  task-definition: deploy/task-definition.json
                  ecr-repository: shop
                  role-arn: arn:aws:iam::123456789012:role/slipway-production
            """;

    private Fixtures() {
    }

    static SlipwaySpec spec(String yaml, Path dir) {
        return new SpecLoader(Set.of("local", "ecs")).parse(yaml, "slipway.yml", dir);
    }

    /** A client of {@code url} whose waits are recorded and shortened to at most 5 ms each. */
    static GithubApi api(URI url, Sleeper sleeper) {
        return new GithubApi(url, "t0ken", HttpClient.newHttpClient(),
                new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 4), Duration.ofSeconds(60), sleeper,
                Clock.systemUTC());
    }

    /** Records every wait GitHub retries ask for, and waits only a token time. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration d) throws InterruptedException {
            waits.add(d);
            Thread.sleep(Math.min(5, d.toMillis()));
        }
    }
}
