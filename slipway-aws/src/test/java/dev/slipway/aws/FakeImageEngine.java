package dev.slipway.aws;

import dev.slipway.core.target.TargetException;
import dev.slipway.images.ImageEngine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * FAKE container engine: builds nothing, and "pushes" to ECR the way a registry push ends, with ECR's PutImage of a
 * manifest (so DescribeImages then knows the tag and digest). Each build differs from the last, as real builds of one
 * commit do (timestamps), so a second push of a tag is a different image. Used where the test is about ECS, RDS and
 * the run's steps, so those tests need no podman (EcsBuildPodmanIT covers the real build and push).
 */
final class FakeImageEngine implements ImageEngine {
    final List<String> built = new CopyOnWriteArrayList<>();
    /** The build context of each build. */
    final List<java.nio.file.Path> contexts = new CopyOnWriteArrayList<>();
    /** Every push tried, refused ones included. */
    final List<String> pushed = new CopyOnWriteArrayList<>();
    private final AtomicInteger builds = new AtomicInteger();
    private volatile EcrClient ecr;

    /** Where pushes go: the ECR (moto, or a fault proxy in front of it) the target under test uses. */
    void pushInto(EcrClient client) {
        this.ecr = client;
    }

    @Override
    public BuiltImage build(BuildRequest request, Consumer<String> log) {
        built.add(request.tag());
        contexts.add(request.context());
        String id = digest("id:" + request.tag() + ":" + builds.incrementAndGet() + ":" + System.nanoTime());
        log.accept("(fake engine) built " + request.tag() + " from " + request.context());
        return new BuiltImage(request.tag(), id, id);
    }

    @Override
    public String push(String image, String targetRef, RegistryAuth auth, Consumer<String> log) {
        pushed.add(targetRef);
        String path = targetRef.substring(targetRef.indexOf('/') + 1);
        String repository = path.substring(0, path.lastIndexOf(':'));
        String tag = path.substring(path.lastIndexOf(':') + 1);
        String manifest = """
                {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": "%s"},
                 "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 2, "digest": "%s"}]}
                """.formatted(digest("config:" + image), digest("layer:" + image + ":" + pushed.size()));
        try {
            String digest = ecr.putImage(b -> b.repositoryName(repository).imageTag(tag).imageManifest(manifest))
                    .image().imageId().imageDigest();
            log.accept("(fake engine) pushed " + targetRef + "@" + digest);
            return digest;
        } catch (AwsServiceException e) {
            throw TargetException.permanent("push of " + targetRef + " failed: " + e.awsErrorDetails().errorMessage(), e);
        }
    }

    @Override
    public boolean exists(String ref) {
        return true;
    }

    @Override
    public void close() {
    }

    static String digest(String of) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(of.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
