package dev.slipway.aws;

import dev.slipway.images.ImageEngine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * FAKE container engine: builds and pushes nothing, answers with digests derived from the reference. Used where the
 * test is about ECS, RDS and the run's steps, not images, so those tests need no podman (EcsBuildPodmanIT covers the
 * real build and push).
 */
final class FakeImageEngine implements ImageEngine {
    final List<String> pushed = new CopyOnWriteArrayList<>();

    @Override
    public BuiltImage build(BuildRequest request, Consumer<String> log) {
        String id = digest("id:" + request.tag());
        log.accept("(fake engine) built " + request.tag());
        return new BuiltImage(request.tag(), id, id);
    }

    @Override
    public String push(String image, String targetRef, RegistryAuth auth, Consumer<String> log) {
        pushed.add(targetRef);
        return digest("pushed:" + targetRef);
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
