package dev.slipway.core.spec;

import java.util.Arrays;

/**
 * How a stage goes from the old release to the new one. {@link #AUTO} picks per deploy from what the pending migrations
 * do: {@link #ONLINE} when they only add (or there are none), {@link #STOP_FIRST} when they may break the old release.
 */
public enum Strategy {
    /** Classify the pending migrations and choose; unknown counts as breaking. */
    AUTO("auto"),
    /** Migrate while the old release serves, start the new one, wait until healthy, switch traffic, stop the old one. */
    ONLINE("online"),
    /** Stop the old release, migrate, start the new one: the seed's order, for migrations the old code cannot survive. */
    STOP_FIRST("stop-first");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    /** As written in slipway.yml and shown in plans and logs. */
    public String id() {
        return id;
    }

    public static java.util.Optional<Strategy> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
