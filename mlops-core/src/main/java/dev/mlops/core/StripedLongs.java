package dev.mlops.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters split into cells, each on a cache line of its own, a thread adding to the cell its id
 * hashes to: two request threads seldom write the same line, so a count on every request's path
 * does not bounce a cache line between cores. The total is the sum of the cells (each read once,
 * in order). Shared by the serving path's counts (mlops-serving) and a rollout's recorder
 * (mlops-rollout): both count on every request.
 *
 * <p>{@link #cell()} also serves as a stripe index for a caller's own striped array (a
 * histogram per stripe): {@code cell() & (stripes - 1)} for a power-of-two number of stripes up
 * to {@link #CELLS}.
 */
public final class StripedLongs {
    /** Cells: at least 8, about four per core, at most 64 (a power of two). */
    public static final int CELLS = cells();
    private static final int CELL_BITS = Integer.numberOfTrailingZeros(CELLS);
    /** Longs per cell: 128 bytes, so neither a cache line nor its prefetched neighbour is shared. */
    private static final int SPREAD = 16;

    private final AtomicLongArray values = new AtomicLongArray(CELLS * SPREAD);

    /** Creates the cells, all 0. */
    public StripedLongs() {
    }

    private static int cells() {
        int wanted = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
        return Math.min(64, Integer.highestOneBit(wanted - 1) << 1);
    }

    /** @return the calling thread's cell: Fibonacci hashing of its id, so consecutive ids spread */
    public static int cell() {
        long id = Thread.currentThread().getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> (64 - CELL_BITS));
    }

    /** @return the value of one cell */
    public long get(int cell) {
        return values.get(cell * SPREAD);
    }

    /** Adds to one cell (a volatile read-modify-write). */
    public void add(int cell, long n) {
        values.getAndAdd(cell * SPREAD, n);
    }

    /**
     * Adds to one cell and reads it in the same atomic step.
     *
     * @param cell a cell from {@link #cell()}
     * @param n what to add
     * @return the cell's value after the addition
     */
    public long addAndGet(int cell, long n) {
        return values.addAndGet(cell * SPREAD, n);
    }

    /** @return the sum of all cells, each read once */
    public long sum() {
        long s = 0;
        for (int i = 0; i < CELLS; i++) {
            s += values.get(i * SPREAD);
        }
        return s;
    }
}
