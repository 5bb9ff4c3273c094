package io.graywatch.server.logs;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;

/**
 * Forgets shipped log data older than {@code graywatch.logs.retention} (6 h by default: a guard
 * reads an hour of history before a release, and a release rarely lasts longer than a few hours).
 * What guards read stays with their releases. {@link LogPruneSchedule} calls it every minute.
 */
@Component
public class LogRetention {
    private final LogStore store;
    private final Clock clock;
    private final Duration retention;

    LogRetention(LogStore store, Clock clock, @Value("${graywatch.logs.retention:6h}") Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("graywatch.logs.retention must be positive, got " + retention);
        }
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /** Deletes what is older than the retention by the server's clock; returns the rows deleted. */
    public int prune() {
        return store.prune(clock.instant().minus(retention).getEpochSecond());
    }
}
