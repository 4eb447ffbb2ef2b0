package dev.mlops.estimation;

import java.time.ZoneId;
import java.util.Objects;

/**
 * How rows are split into chunks, as NannyML's chunkers split them. When the data has timestamps,
 * rows are first put in time order (a stable sort), as NannyML does.
 *
 * <ul>
 *   <li>{@link #bySize}: runs of {@code size} rows, keyed {@code [start:end]}; a last run shorter than
 *       {@code size} is kept as its own chunk, appended to the previous one, or dropped.</li>
 *   <li>{@link #byNumber}: runs of {@code rows / number} rows (integer division), then the same rule for
 *       the rest, so {@link Incomplete#KEEP} can give one chunk more than asked for.</li>
 *   <li>{@link #byPeriod}: one chunk per calendar period that holds rows (empty periods give no
 *       chunk), keyed as pandas prints a period ({@code 2018-10}, {@code 2018Q4}, ...).</li>
 * </ul>
 * The default ({@link #defaultChunking()}) is NannyML's: ten chunks by number, the rest kept.
 */
public sealed interface Chunking {

    /** What happens to a last chunk that holds fewer rows than the others (NannyML's {@code incomplete}). */
    enum Incomplete {
        /** It stays a chunk of its own (NannyML's default). */
        KEEP,
        /** Its rows join the previous chunk. */
        APPEND,
        /** Its rows are left out. */
        DROP
    }

    /** A calendar period, as the pandas offset aliases NannyML accepts ({@code h}, {@code D}, {@code W}, {@code M}, {@code Q}, {@code Y}). */
    enum PeriodUnit {
        /** An hour. */
        HOUR,
        /** A calendar day. */
        DAY,
        /** A week from Monday to Sunday (pandas' {@code W}, which is {@code W-SUN}). */
        WEEK,
        /** A calendar month. */
        MONTH,
        /** A calendar quarter. */
        QUARTER,
        /** A calendar year. */
        YEAR
    }

    /**
     * @param size rows per chunk
     * @param incomplete what to do with the last, shorter chunk
     */
    record BySize(int size, Incomplete incomplete) implements Chunking {
        /** Checks the values. */
        public BySize {
            if (size <= 0) {
                throw new IllegalArgumentException("chunk size is " + size + ", expected a positive number of rows");
            }
            Objects.requireNonNull(incomplete, "incomplete");
        }
    }

    /**
     * @param number chunks wanted
     * @param incomplete what to do with the rows left over after {@code number} chunks of {@code rows / number}
     */
    record ByNumber(int number, Incomplete incomplete) implements Chunking {
        /** Checks the values. */
        public ByNumber {
            if (number <= 0) {
                throw new IllegalArgumentException("chunk number is " + number + ", expected a positive number of chunks");
            }
            Objects.requireNonNull(incomplete, "incomplete");
        }
    }

    /**
     * @param unit the calendar period of one chunk
     * @param zone the time zone the calendar is read in
     */
    record ByPeriod(PeriodUnit unit, ZoneId zone) implements Chunking {
        /** Checks the values. */
        public ByPeriod {
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(zone, "zone");
        }
    }

    /**
     * @param size rows per chunk
     * @return chunks of {@code size} rows, a shorter last chunk kept
     */
    static Chunking bySize(int size) {
        return new BySize(size, Incomplete.KEEP);
    }

    /**
     * @param number chunks wanted
     * @return {@code number} chunks of equal size, the rows left over kept as one more chunk
     */
    static Chunking byNumber(int number) {
        return new ByNumber(number, Incomplete.KEEP);
    }

    /**
     * @param unit the calendar period of one chunk
     * @return one chunk per period, the calendar read in UTC
     */
    static Chunking byPeriod(PeriodUnit unit) {
        return new ByPeriod(unit, ZoneId.of("UTC"));
    }

    /** @return NannyML's default: ten chunks by number */
    static Chunking defaultChunking() {
        return byNumber(10);
    }
}
