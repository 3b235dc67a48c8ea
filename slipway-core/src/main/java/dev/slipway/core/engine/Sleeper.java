package dev.slipway.core.engine;

import java.time.Duration;

/** How the engine waits between polls and retries; tests pass one that ticks their clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
