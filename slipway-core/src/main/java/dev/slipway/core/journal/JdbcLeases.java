package dev.slipway.core.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The stage lease in SQL. Times are the store's clock ({@link Dialect#nowMs}), so hosts whose clocks differ agree on
 * expiry. Every acquisition is a compare-and-set on the epoch it saw and increments it; a released lease keeps its row.
 */
final class JdbcLeases {
    private static final String COLUMNS = "stage, holder, run_id, heartbeat_ms, expires_ms, epoch";
    private final Dialect dialect;

    JdbcLeases(Dialect dialect) {
        this.dialect = dialect;
    }

    Optional<Lease> read(Connection c, String stage, String lock) throws SQLException {
        return Sql.first(c, rs -> new Lease(rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)),
                Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6)), "select " + COLUMNS + " from slipway_leases where stage = ?" + lock, stage);
    }

    Optional<Fence> tryAcquire(Connection c, String stage, String holder, long runId, Duration ttl, Predicate<Lease> holderIsDead)
            throws SQLException {
        Optional<Lease> current = read(c, stage, "");
        if (current.isEmpty()) {
            try {
                Sql.update(c, "insert into slipway_leases (" + COLUMNS + ") values (?, ?, ?, " + dialect.nowMs + ", "
                        + dialect.nowMs + " + ?, 1)", stage, holder, runId, ttl.toMillis());
                return Optional.of(new Fence(stage, holder, 1));
            } catch (SQLException e) {
                if (Dialect.isUniqueViolation(e)) {
                    return Optional.empty(); // another process made the row first
                }
                throw e;
            }
        }
        Lease lease = current.get();
        boolean dead = !lease.isFree() && !lease.holder().equals(holder) && holderIsDead.test(lease);
        int changed = Sql.update(c, "update slipway_leases set holder = ?, run_id = ?, heartbeat_ms = " + dialect.nowMs
                        + ", expires_ms = " + dialect.nowMs + " + ?, epoch = epoch + 1 where stage = ? and epoch = ?"
                        + " and (holder = '' or holder = ? or expires_ms <= " + dialect.nowMs + " or ? = 1)",
                holder, runId, ttl.toMillis(), stage, lease.epoch(), holder, dead ? 1 : 0);
        return changed == 1 ? Optional.of(new Fence(stage, holder, lease.epoch() + 1)) : Optional.empty();
    }

    boolean heartbeat(Connection c, Fence fence, long runId, Duration ttl) throws SQLException {
        return Sql.update(c, "update slipway_leases set run_id = ?, heartbeat_ms = " + dialect.nowMs + ", expires_ms = "
                + dialect.nowMs + " + ? where stage = ? and holder = ? and epoch = ?", runId, ttl.toMillis(), fence.stage(),
                fence.holder(), fence.epoch()) == 1;
    }

    int release(Connection c, Fence fence) throws SQLException {
        return Sql.update(c, "update slipway_leases set holder = '', expires_ms = 0 where stage = ? and holder = ? and epoch = ?",
                fence.stage(), fence.holder(), fence.epoch());
    }

    /** Inside a write transaction: refuses it unless {@code fence} still holds the lease (and keeps it so until commit). */
    void check(Connection c, Fence fence, String what) throws SQLException {
        Optional<Lease> now = read(c, fence.stage(), dialect.lockRow);
        if (now.isEmpty() || now.get().epoch() != fence.epoch() || !now.get().holder().equals(fence.holder())) {
            String who = now.filter(l -> !l.isFree()).map(l -> "it is held by " + l.holder() + " (epoch " + l.epoch() + ")")
                    .orElse("it was released");
            throw new LeaseLostException("refused to journal " + what + ": this process (" + fence.holder() + ", epoch "
                    + fence.epoch() + ") no longer holds the lease of stage " + fence.stage() + "; " + who);
        }
    }
}
