package dev.slipway.local;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** {@link Containers} over docker-java, for Docker and Podman's compatible service. */
final class DockerContainers implements Containers {
    private static final Duration TAIL_WAIT = Duration.ofSeconds(5);
    private final DockerClient client;

    DockerContainers(DockerClient client) {
        this.client = client;
    }

    @Override
    public List<Box> list(Map<String, String> labels) {
        return call("list containers", () -> client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec())
                .stream().map(DockerContainers::box).toList();
    }

    @Override
    public String create(Spec spec) {
        HostConfig host = HostConfig.newHostConfig().withNetworkMode(spec.network());
        CreateContainerCmd cmd = client.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (!spec.entrypoint().isEmpty()) {
            cmd.withEntrypoint(spec.entrypoint()).withCmd(spec.cmd());
        }
        if (spec.hostPort() > 0 && !"host".equals(spec.network())) {
            ExposedPort port = ExposedPort.tcp(spec.containerPort());
            Ports bindings = new Ports();
            bindings.bind(port, Ports.Binding.bindIpAndPort("127.0.0.1", spec.hostPort()));
            cmd.withExposedPorts(port);
            host.withPortBindings(bindings);
        }
        cmd.withHostConfig(host);
        try {
            return call("create container " + spec.name(), cmd::exec).getId();
        } catch (NotFoundException e) {
            throw TargetException.permanent("cannot create container " + spec.name() + ": image " + spec.image()
                    + " is not in the container engine; it may have been removed (deploy its commit again to rebuild it)", e);
        }
    }

    @Override
    public void start(String id) {
        call("start container " + id, () -> client.startContainerCmd(id).exec());
    }

    @Override
    public void stop(String id, Duration grace) {
        try {
            call("stop container " + id, () -> client.stopContainerCmd(id).withTimeout((int) Math.max(1, grace.toSeconds())).exec());
        } catch (NotModifiedException | NotFoundException e) {
            // already stopped or gone: what we wanted
        }
    }

    @Override
    public void remove(String id) {
        try {
            call("remove container " + id, () -> client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public Box inspect(String id) {
        try {
            InspectContainerResponse r = call("inspect container " + id, () -> client.inspectContainerCmd(id).exec());
            InspectContainerResponse.ContainerState s = r.getState();
            String state = s.getStatus() == null ? "" : s.getStatus();
            Long exit = "exited".equals(state) ? s.getExitCodeLong() : null;
            return new Box(r.getId(), stripSlash(r.getName()), r.getImageId(),
                    r.getConfig() == null || r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels(), state, exit);
        } catch (NotFoundException e) {
            return null;
        }
    }

    @Override
    public Long follow(String id, Consumer<String> lines, Instant until) throws InterruptedException {
        Frames frames = new Frames(lines);
        client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(frames);
        try {
            if (!frames.awaitCompletion(millisUntil(until), TimeUnit.MILLISECONDS)) {
                return null;
            }
        } finally {
            frames.flush();
            closeQuietly(frames);
        }
        WaitContainerResultCallback wait = client.waitContainerCmd(id).exec(new WaitContainerResultCallback());
        try {
            return (long) wait.awaitStatusCode(Math.max(1000, millisUntil(until)), TimeUnit.MILLISECONDS);
        } catch (DockerClientException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for container " + id);
            }
            return null;
        } finally {
            closeQuietly(wait);
        }
    }

    @Override
    public List<String> tail(String id, int n) {
        List<String> out = new ArrayList<>();
        Frames frames = new Frames(line -> {
            synchronized (out) {
                out.add(line);
            }
        });
        try {
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(n).exec(frames)
                    .awaitCompletion(TAIL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return List.of("(its output could not be read: " + e.getMessage() + ")");
        } finally {
            frames.flush();
            closeQuietly(frames);
        }
        synchronized (out) {
            return out.size() > n ? List.copyOf(out.subList(out.size() - n, out.size())) : List.copyOf(out);
        }
    }

    @Override
    public boolean imageExists(String ref) {
        try {
            call("inspect image " + ref, () -> client.inspectImageCmd(ref).exec());
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Runs a call; lost connections and engine 5xx become transient failures naming {@code what}. */
    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (NotFoundException | NotModifiedException e) {
            throw e;
        } catch (DockerException e) {
            String msg = "container engine could not " + what + ": " + e.getMessage().strip();
            if (e.getHttpStatus() >= 500) {
                throw TargetException.transientFailure(msg, e);
            }
            throw TargetException.permanent(msg, e);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof java.nio.channels.ClosedByInterruptException
                    || e.getCause() instanceof java.io.InterruptedIOException) {
                // an interrupt closes the engine socket; that is the run being stopped, not the engine being down
                Thread.currentThread().interrupt();
                throw TargetException.permanent("container engine call to " + what
                        + " was interrupted (the run was cancelled or timed out)", e);
            }
            if (e.getCause() instanceof IOException io) {
                throw TargetException.transientFailure("container engine unreachable while trying to " + what + ": "
                        + io.getMessage() + " (is DOCKER_HOST's engine running?)", e);
            }
            throw e;
        }
    }

    private static void call(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    private static Box box(Container c) {
        String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : stripSlash(c.getNames()[0]);
        return new Box(c.getId(), name, c.getImageId(), c.getLabels() == null ? Map.of() : c.getLabels(),
                c.getState() == null ? "" : c.getState().toLowerCase(java.util.Locale.ROOT), null);
    }

    private static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    private static long millisUntil(Instant until) {
        return Math.max(1, Duration.between(Instant.now(), until).toMillis());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the stream is done with either way
        }
    }

    /** Splits stdout and stderr frames into lines separately, so interleaved frames do not mix within a line. */
    private static final class Frames extends ResultCallback.Adapter<Frame> {
        private final Map<StreamType, LineSplitter> splitters = new EnumMap<>(StreamType.class);
        private final Consumer<String> lines;

        Frames(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            splitters.computeIfAbsent(frame.getStreamType(), t -> new LineSplitter(lines)).feed(frame.getPayload());
        }

        synchronized void flush() {
            splitters.values().forEach(LineSplitter::flush);
        }
    }
}
