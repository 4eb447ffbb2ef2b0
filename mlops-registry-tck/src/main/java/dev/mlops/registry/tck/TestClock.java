package dev.mlops.registry.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kits' clock: it stands still unless {@link #advance advanced}, or, made with
 * {@link #ticking}, moves one millisecond at every reading, so that any earlier instant is
 * strictly older (a garbage collection with no grace period can then collect what was stored a
 * moment ago). Safe to read from several threads.
 */
public final class TestClock extends Clock {
    private final AtomicLong nanos;
    private final long tick;

    private TestClock(Instant start, long tick) {
        this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
        this.tick = tick;
    }

    /**
     * @param start the first instant
     * @return a clock that stands still
     */
    public static TestClock fixed(Instant start) {
        return new TestClock(start, 0);
    }

    /**
     * @param start the instant before the first reading
     * @return a clock one millisecond later at every reading
     */
    public static TestClock ticking(Instant start) {
        return new TestClock(start, 1_000_000);
    }

    /** @param d how far to move the clock forward */
    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public Instant instant() {
        long n = tick == 0 ? nanos.get() : nanos.addAndGet(tick);
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
