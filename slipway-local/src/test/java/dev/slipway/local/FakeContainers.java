package dev.slipway.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An in-memory container engine that records every call in order. */
final class FakeContainers implements Containers {
    final Map<String, Box> boxes = new LinkedHashMap<>();
    final Map<String, Spec> specs = new HashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** What {@link #follow} prints and returns (null: the deadline passed). */
    List<String> followOutput = List.of();
    Long followExit = 0L;
    private int next = 1;

    /** Adds a container as if an earlier run had made it. */
    Box add(String name, String state, Map<String, String> labels) {
        String id = "id-" + name;
        Box b = new Box(id, name, "img-" + labels.getOrDefault(Labels.RUN, "?"), labels, state, "exited".equals(state) ? 0L : null);
        boxes.put(id, b);
        return b;
    }

    @Override
    public synchronized List<Box> list(Map<String, String> labels) {
        return boxes.values().stream().filter(b -> b.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    @Override
    public synchronized String create(Spec spec) {
        String id = "new-" + next++;
        specs.put(id, spec);
        boxes.put(id, new Box(id, spec.name(), spec.image(), spec.labels(), "created", null));
        calls.add("create " + spec.name());
        return id;
    }

    @Override
    public synchronized void start(String id) {
        set(id, "running", null);
        calls.add("start " + boxes.get(id).name());
    }

    @Override
    public synchronized void stop(String id, Duration grace) {
        set(id, "exited", 0L);
        calls.add("stop " + boxes.get(id).name() + " " + grace.toSeconds() + "s");
    }

    @Override
    public synchronized void remove(String id) {
        Box b = boxes.remove(id);
        if (b != null) {
            calls.add("remove " + b.name());
        }
    }

    @Override
    public synchronized Box inspect(String id) {
        return boxes.get(id);
    }

    @Override
    public Long follow(String id, Consumer<String> lines, Instant until) {
        followOutput.forEach(lines);
        if (followExit != null) {
            synchronized (this) {
                set(id, "exited", followExit);
            }
        }
        return followExit;
    }

    @Override
    public List<String> tail(String id, int n) {
        List<String> out = new ArrayList<>(followOutput);
        return out.size() > n ? out.subList(out.size() - n, out.size()) : out;
    }

    @Override
    public boolean imageExists(String ref) {
        return true;
    }

    private void set(String id, String state, Long exit) {
        Box b = boxes.get(id);
        boxes.put(id, new Box(b.id(), b.name(), b.imageId(), b.labels(), state, exit));
    }
}
