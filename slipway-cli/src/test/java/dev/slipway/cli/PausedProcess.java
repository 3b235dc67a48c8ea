package dev.slipway.cli;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.ListeningConnector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.MethodExitRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A slipway process whose main thread a debugger (JDI over JDWP) holds at one moment, named by a method of Slipway,
 * so a test can send a signal exactly there: "a signal then" becomes a deterministic test instead of a race. Only
 * the main thread stops; the JVM's signal handling goes on as usual.
 */
final class PausedProcess implements AutoCloseable {
    /** The moment: on entry to (or return from) method {@code method} of class {@code className}. */
    record Moment(String className, String method, boolean onReturn) {
        static Moment parse(String text) { // "dev.slipway.core.engine.Engine#run" or "...#request returned"
            String[] parts = text.split("[# ]");
            return new Moment(parts[0], parts[1], text.endsWith(" returned"));
        }
    }

    final SlipwayProcess process;
    private final VirtualMachine vm;
    private final Moment moment;
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile EventSet held;

    private PausedProcess(SlipwayProcess process, VirtualMachine vm, Moment moment) {
        this.process = process;
        this.vm = vm;
        this.moment = moment;
    }

    interface Launcher {
        SlipwayProcess start(List<String> jvmOptions) throws java.io.IOException;
    }

    /** Starts the process through {@code launcher} with a JDWP agent that connects back to this test. */
    static PausedProcess start(Moment moment, Launcher launcher) throws Exception {
        ListeningConnector connector = Bootstrap.virtualMachineManager().listeningConnectors().stream()
                .filter(c -> c.transport().name().equals("dt_socket")).findFirst().orElseThrow();
        Map<String, Connector.Argument> args = connector.defaultArguments();
        args.get("localAddress").setValue("127.0.0.1");
        args.get("port").setValue("0");
        args.get("timeout").setValue("30000");
        String address = connector.startListening(args);
        try {
            SlipwayProcess p = launcher.start(List.of("-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address="
                    + address.replace("localhost", "127.0.0.1")));
            PausedProcess paused = new PausedProcess(p, connector.accept(args), moment);
            paused.watch();
            return paused;
        } finally {
            connector.stopListening(args);
        }
    }

    private void watch() {
        var prepare = vm.eventRequestManager().createClassPrepareRequest();
        prepare.addClassFilter(moment.className());
        prepare.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        prepare.enable();
        Thread t = new Thread(this::loop, "jdi-events");
        t.setDaemon(true);
        t.start();
        vm.resume();
    }

    private void loop() {
        try {
            while (true) {
                EventSet set = vm.eventQueue().remove();
                boolean hold = false;
                for (Event e : set) {
                    if (e instanceof ClassPrepareEvent cp) {
                        stopIn(cp.referenceType());
                    } else if (e instanceof BreakpointEvent
                            || e instanceof MethodExitEvent me && me.method().name().equals(moment.method())) {
                        hold = true;
                    }
                }
                if (hold && reached.getCount() > 0) {
                    held = set;
                    reached.countDown();
                } else {
                    set.resume();
                }
            }
        } catch (VMDisconnectedException | InterruptedException e) {
            // the process ended
        }
    }

    private void stopIn(ReferenceType type) {
        List<Method> methods = type.methodsByName(moment.method());
        if (methods.isEmpty()) {
            throw new IllegalStateException(type.name() + " has no method " + moment.method());
        }
        if (moment.onReturn()) {
            MethodExitRequest r = vm.eventRequestManager().createMethodExitRequest();
            r.addClassFilter(type);
            r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            r.enable();
        } else {
            for (Method m : methods) {
                var r = vm.eventRequestManager().createBreakpointRequest(m.location());
                r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                r.enable();
            }
        }
    }

    /** Waits until the main thread stands at the moment. */
    void awaitReached(Duration timeout) throws InterruptedException {
        if (!reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("slipway never reached " + moment + "; output:\n" + process.output());
        }
    }

    /** Lets the held thread go on; the debugger watches no more. */
    void resume() {
        try {
            vm.eventRequestManager().deleteAllBreakpoints();
            vm.eventRequestManager().deleteEventRequests(vm.eventRequestManager().methodExitRequests());
            held.resume();
        } catch (VMDisconnectedException e) {
            // it ended meanwhile (a signal before anything was queued ends it at once)
        }
    }

    /** Detaches, and ends the process if a failed test left it running. */
    @Override
    public void close() {
        try {
            vm.dispose();
        } catch (VMDisconnectedException e) {
            // already gone
        }
        process.process.destroyForcibly();
    }
}
