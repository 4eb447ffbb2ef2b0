package dev.mlops.estimation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One chunk of rows: positions {@code startIndex..endIndex} (inclusive) of the data in time order
 * (in the given order when there are no timestamps).
 *
 * @param key NannyML's key: {@code [start:end]} for size and number chunks, the period for period chunks
 * @param index the chunk's position among the chunks, from 0
 * @param startIndex the first row's position
 * @param endIndex the last row's position
 * @param startTime the earliest timestamp (size and number chunks) or the period's start; empty without timestamps
 * @param endTime the latest timestamp, or the period's last nanosecond; empty without timestamps
 */
public record Chunk(String key, int index, int startIndex, int endIndex, Optional<Instant> startTime,
                    Optional<Instant> endTime) {
    /** Checks the values. */
    public Chunk {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        if (startIndex < 0 || endIndex < startIndex) {
            throw new IllegalArgumentException("chunk rows " + startIndex + ".." + endIndex
                    + ", expected 0 <= start <= end");
        }
    }

    /** @return the number of rows in the chunk */
    public int size() {
        return endIndex - startIndex + 1;
    }
}
