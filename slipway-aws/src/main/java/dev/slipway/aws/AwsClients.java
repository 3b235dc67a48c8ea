package dev.slipway.aws;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.spec.EcsSpec;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.rds.RdsClient;

/** The AWS clients of one ecs stage: one HTTP client, one credentials provider, region and endpoint from the spec. */
record AwsClients(EcsClient ecs, EcrClient ecr, RdsClient rds, CloudWatchLogsClient logs, ElasticLoadBalancingV2Client elb,
                  SdkHttpClient http, AwsCredentialsProvider credentials)
        implements AutoCloseable {
    /** Where the default chain looks, in its order, and what a user sets for each; for the missing-credentials message. */
    static final String CHAIN = "the AWS SDK's default chain looked in: Java system properties aws.accessKeyId/"
            + "aws.secretAccessKey; environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN); "
            + "web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, as GitHub's OIDC role sets them); the profile "
            + "AWS_PROFILE (default \"default\") in ~/.aws/credentials and ~/.aws/config (or AWS_SHARED_CREDENTIALS_FILE/"
            + "AWS_CONFIG_FILE); the ECS container role; the EC2 instance role";

    /** Clients on the default credential chain (environment, web identity/OIDC, profile, container, instance). */
    static AwsClients create(EcsSpec spec) {
        return create(spec, DefaultCredentialsProvider.builder().build());
    }

    static AwsClients create(EcsSpec spec, AwsCredentialsProvider credentials) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder().retryStrategy(retries()).build();
        return new AwsClients(
                configure(EcsClient.builder(), spec, credentials, overrides).httpClient(http).build(),
                configure(EcrClient.builder(), spec, credentials, overrides).httpClient(http).build(),
                configure(RdsClient.builder(), spec, credentials, overrides).httpClient(http).build(),
                configure(CloudWatchLogsClient.builder(), spec, credentials, overrides).httpClient(http).build(),
                configure(ElasticLoadBalancingV2Client.builder(), spec, credentials, overrides).httpClient(http).build(),
                http, credentials);
    }

    /**
     * Fails with {@code BAD_CONFIG} (exit 2) when the credentials provider finds none: every AWS call would fail, and
     * repeating them cannot help. {@code where} names the stage for the message.
     */
    void requireCredentials(String where) {
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, missingCredentials(where + ".target ecs", e));
        }
    }

    /** The message for credentials the chain could not find, with the SDK's own reason per source. */
    static String missingCredentials(String what, SdkClientException e) {
        return what + ": no AWS credentials found; " + CHAIN + ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                + "AWS_PROFILE, or in GitHub Actions assume ecs.role-arn through OIDC (docs/aws.md, \"GitHub OIDC role\"). "
                + "Nothing was changed. (SDK: " + e.getMessage() + ")";
    }

    /**
     * The SDK's standard strategy with more attempts and a shorter throttling backoff than its defaults (1 s base):
     * deploys poll a lot and a throttled poll is cheap to repeat. No retry quota, so a burst of throttling cannot
     * switch retries off for the rest of a long run; what still fails becomes a transient step failure.
     */
    private static RetryStrategy retries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(6)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(5)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(5)))
                .circuitBreakerEnabled(false)
                .build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, EcsSpec spec, AwsCredentialsProvider credentials,
                                                                 ClientOverrideConfiguration overrides) {
        builder.region(Region.of(spec.region())).credentialsProvider(credentials).overrideConfiguration(overrides);
        if (spec.endpoint() != null && !spec.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(spec.endpoint()));
        }
        return builder;
    }

    @Override
    public void close() {
        ecs.close();
        ecr.close();
        rds.close();
        logs.close();
        elb.close();
        http.close();
    }
}
