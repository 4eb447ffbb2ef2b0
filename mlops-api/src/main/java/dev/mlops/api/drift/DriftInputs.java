package dev.mlops.api.drift;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a drift report compared: the model and the reference profile, when there are, and for
 * each side the data set, the file and the time range the rows cover. The analysis fills in what
 * it knows (a monitor: the profile's digest and the window's time range); the caller adds the
 * names it has ({@link DriftReport#withInputs}).
 *
 * @param model the model the data was served to or trained for, such as {@code temp-max/1}
 * @param profile the reference profile the reference side came from (its name or digest)
 * @param reference the reference side
 * @param current the current side
 */
public record DriftInputs(Optional<String> model, Optional<String> profile, Side reference, Side current) {
    /** Checks arguments. */
    public DriftInputs {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
    }

    /** @return inputs that name nothing */
    public static DriftInputs none() {
        return new DriftInputs(Optional.empty(), Optional.empty(), Side.unnamed(), Side.unnamed());
    }

    /**
     * @param model the model
     * @return these inputs naming the model
     */
    public DriftInputs withModel(String model) {
        return new DriftInputs(Optional.of(model), profile, reference, current);
    }

    /**
     * One side of the comparison.
     *
     * @param dataset a registered data set, such as {@code weather/1}
     * @param file the file read, as the user named it
     * @param time the time range of the rows
     */
    public record Side(Optional<String> dataset, Optional<String> file, Optional<TimeRange> time) {
        /** Checks arguments. */
        public Side {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(time, "time");
        }

        /** @return a side that names nothing */
        public static Side unnamed() {
            return new Side(Optional.empty(), Optional.empty(), Optional.empty());
        }

        /**
         * @param file a file name
         * @return a side read from this file
         */
        public static Side file(String file) {
            return new Side(Optional.empty(), Optional.of(file), Optional.empty());
        }

        /**
         * @param time the rows' time range
         * @return this side with the time range
         */
        public Side withTime(TimeRange time) {
            return new Side(dataset, file, Optional.of(time));
        }
    }

    /**
     * The time range of a side's rows.
     *
     * @param first the earliest time
     * @param last the latest time (inclusive for event time; for processing time the window's end,
     *     exclusive)
     * @param eventTime true when the times are the data's own (a timestamp column, or event times
     *     given to the monitor); false when they are processing time, because none was given
     * @param column for CSV files, the timestamp column the times were read from
     */
    public record TimeRange(Instant first, Instant last, boolean eventTime, Optional<String> column) {
        /** Checks arguments. */
        public TimeRange {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(last, "last");
            Objects.requireNonNull(column, "column");
            if (last.isBefore(first)) {
                throw new IllegalArgumentException("time range ends (" + last + ") before it starts (" + first + ")");
            }
        }
    }
}
