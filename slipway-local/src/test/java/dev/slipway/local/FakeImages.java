package dev.slipway.local;

import dev.slipway.images.ImageEngine;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An in-memory image engine: builds record their request and add an image; {@link #present} is what exists. */
final class FakeImages implements ImageEngine {
    final List<BuildRequest> builds = new CopyOnWriteArrayList<>();
    final Set<String> present = ConcurrentHashMap.newKeySet();

    @Override
    public BuiltImage build(BuildRequest request, Consumer<String> log) {
        builds.add(request);
        String id = "sha256:built" + builds.size();
        present.add(id);
        present.add(request.tag());
        return new BuiltImage(request.tag(), id, id);
    }

    @Override
    public String push(String image, String targetRef, RegistryAuth auth, Consumer<String> log) {
        throw new UnsupportedOperationException("no registry in these tests");
    }

    @Override
    public boolean exists(String ref) {
        return present.contains(ref);
    }

    @Override
    public void close() {
    }
}
