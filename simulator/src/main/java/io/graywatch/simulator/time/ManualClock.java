package io.graywatch.simulator.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to: drives a fleet (built with {@code autoTick(false)}) and a
 * scraper through minutes of simulated time in milliseconds, the same way every run.
 */
public final class ManualClock extends Clock {
    private final AtomicLong millis;
    private final ZoneId zone;

    public ManualClock(Instant start) {
        this(new AtomicLong(start.toEpochMilli()), ZoneOffset.UTC);
    }

    private ManualClock(AtomicLong millis, ZoneId zone) {
        this.millis = millis;
        this.zone = zone;
    }

    public void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("a clock does not go back: " + d);
        millis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneId getZone() { return zone; }

    /** A view in another zone that still moves with this clock. */
    @Override
    public Clock withZone(ZoneId z) {
        return new ManualClock(millis, z);
    }

    @Override
    public long millis() { return millis.get(); }

    @Override
    public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
}
