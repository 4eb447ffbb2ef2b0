package dev.mlops.estimation;

import dev.mlops.api.ValidationException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Splits rows (already in time order) into chunks, with NannyML's chunkers' rules. */
final class Chunker {
    private static final Logger LOG = LoggerFactory.getLogger(Chunker.class);
    /** NannyML warns below this many chunks. */
    static final int FEW_CHUNKS = 6;

    private Chunker() {
    }

    /**
     * @param chunking how to split
     * @param rows the number of rows
     * @param times the rows' timestamps in ascending order, or null
     * @param what "reference" or "analysis", for messages
     * @return the chunks, in order
     */
    static List<Chunk> split(Chunking chunking, int rows, Instant[] times, String what) {
        if (rows == 0) {
            throw new ValidationException("the " + what + " data has no rows; expected at least one");
        }
        List<Chunk> chunks;
        if (chunking instanceof Chunking.BySize s) {
            chunks = bySize(s.size(), s.incomplete(), rows, times, what);
        } else if (chunking instanceof Chunking.ByNumber c) {
            int size = rows / c.number();
            if (size == 0) {
                throw new ValidationException("cannot split the " + rows + " rows of the " + what + " data into "
                        + c.number() + " chunks; expected at least as many rows as chunks");
            }
            chunks = bySize(size, c.incomplete(), rows, times, what);
        } else {
            chunks = byPeriod((Chunking.ByPeriod) chunking, rows, times, what);
        }
        if (chunks.size() < FEW_CHUNKS) {
            LOG.warn("the {} data gives {} chunks, fewer than {}: consider another chunking", what, chunks.size(), FEW_CHUNKS);
        }
        return chunks;
    }

    private static List<Chunk> bySize(int size, Chunking.Incomplete incomplete, int rows, Instant[] times, String what) {
        List<Chunk> chunks = new ArrayList<>();
        int full = rows / size;
        for (int c = 0; c < full; c++) {
            chunks.add(chunk(c * size, c * size + size - 1, chunks.size(), times));
        }
        int rest = rows % size;
        if (rest != 0) {
            int start = full * size;
            switch (incomplete) {
                case KEEP -> chunks.add(chunk(start, rows - 1, chunks.size(), times));
                case APPEND -> {
                    if (chunks.isEmpty()) {
                        throw new ValidationException("cannot append the last " + rest + " rows of the " + what
                                + " data to a previous chunk: there is none (" + rows + " rows, chunks of " + size
                                + "); expected at least one full chunk");
                    }
                    Chunk last = chunks.remove(chunks.size() - 1);
                    chunks.add(chunk(last.startIndex(), rows - 1, last.index(), times));
                }
                case DROP -> {
                    // the last rows are left out, as NannyML's 'drop'
                }
            }
        }
        if (chunks.isEmpty()) {
            throw new ValidationException("the " + what + " data (" + rows + " rows) gives no chunk of " + size
                    + " rows when the incomplete last chunk is dropped; expected at least " + size + " rows");
        }
        return chunks;
    }

    private static Chunk chunk(int start, int end, int index, Instant[] times) {
        Optional<Instant> first = Optional.empty();
        Optional<Instant> last = Optional.empty();
        if (times != null) {
            first = Optional.of(times[start]);
            last = Optional.of(times[end]);
        }
        return new Chunk("[" + start + ":" + end + "]", index, start, end, first, last);
    }

    private static List<Chunk> byPeriod(Chunking.ByPeriod p, int rows, Instant[] times, String what) {
        if (times == null) {
            throw new ValidationException("chunking the " + what + " data by period needs timestamps; "
                    + "expected ModelOutputs.withTimestamps(...)");
        }
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        while (start < rows) {
            ZonedDateTime periodStart = periodStart(times[start].atZone(p.zone()), p.unit());
            ZonedDateTime next = next(periodStart, p.unit());
            Instant nextInstant = next.toInstant();
            int end = start;
            while (end + 1 < rows && times[end + 1].isBefore(nextInstant)) {
                end++;
            }
            chunks.add(new Chunk(key(periodStart, p.unit()), chunks.size(), start, end,
                    Optional.of(periodStart.toInstant()), Optional.of(nextInstant.minusNanos(1))));
            start = end + 1;
        }
        return chunks;
    }

    static ZonedDateTime periodStart(ZonedDateTime t, Chunking.PeriodUnit unit) {
        return switch (unit) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case QUARTER -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1)
                    .withMonth((t.get(IsoFields.QUARTER_OF_YEAR) - 1) * 3 + 1);
            case YEAR -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        };
    }

    private static ZonedDateTime next(ZonedDateTime start, Chunking.PeriodUnit unit) {
        return switch (unit) {
            case HOUR -> start.plusHours(1);
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
            case YEAR -> start.plusYears(1);
        };
    }

    /** The period as pandas prints it ({@code str(Period)}). */
    static String key(ZonedDateTime start, Chunking.PeriodUnit unit) {
        return switch (unit) {
            case HOUR -> String.format("%04d-%02d-%02d %02d:00", start.getYear(), start.getMonthValue(),
                    start.getDayOfMonth(), start.getHour());
            case DAY -> start.toLocalDate().toString();
            case WEEK -> start.toLocalDate() + "/" + start.toLocalDate().plusDays(6);
            case MONTH -> String.format("%04d-%02d", start.getYear(), start.getMonthValue());
            case QUARTER -> start.getYear() + "Q" + start.get(IsoFields.QUARTER_OF_YEAR);
            case YEAR -> String.valueOf(start.getYear());
        };
    }
}
