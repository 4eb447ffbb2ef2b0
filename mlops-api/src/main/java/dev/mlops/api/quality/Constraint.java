package dev.mlops.api.quality;

import dev.mlops.api.FieldType;
import dev.mlops.api.Names;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

/**
 * One check on a {@link dev.mlops.api.Frame}, named after Deequ's checks ({@code hasDataType},
 * {@code hasCompleteness}, {@code isNonNegative}, {@code hasMin}, {@code hasMax},
 * {@code isContainedIn}, {@code hasUniqueness}, {@code hasPattern}, {@code hasMean},
 * {@code hasStandardDeviation}, {@code hasSize}, {@code satisfies}). Every constraint has a
 * {@link #name()} unique within its suite and yields one observed number. Constructors fail
 * fast with {@link IllegalArgumentException} on a bad bound.
 *
 * <p>Value constraints look only at non-missing values (missing values are what
 * {@link Completeness} measures) and fail when a column has no non-missing value to check, so
 * an empty frame never passes.
 */
public sealed interface Constraint {

    /** @return the constraint's name, such as {@code completeness(age)}; unique within a suite */
    String name();

    /** @return the column checked; empty for {@link RowCount} */
    Optional<String> checkedColumn();

    /** @return a sentence saying what the constraint expects */
    String describe();

    /**
     * The column exists and has this type. Observed: 1 if it does, 0 if not.
     *
     * @param column column name
     * @param type expected type
     */
    record HasType(String column, FieldType type) implements Constraint {
        /** Checks arguments. */
        public HasType {
            checkColumn(column);
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String name() {
            return "type(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return "column " + Names.quote(column) + " is " + type;
        }
    }

    /**
     * Share of non-missing values at least {@code min}. Observed: that share (NaN with no rows).
     *
     * @param column column name
     * @param min least accepted share in [0, 1]; 1 means "is complete"
     */
    record Completeness(String column, double min) implements Constraint {
        /** Checks arguments. */
        public Completeness {
            checkColumn(column);
            checkShare("min", min);
        }

        @Override
        public String name() {
            return "completeness(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return min == 1.0 ? Names.quote(column) + " has no missing values"
                    : Names.quote(column) + " has at least " + min + " non-missing share";
        }
    }

    /**
     * No negative value (numeric columns). Observed: the smallest value.
     *
     * @param column column name
     */
    record NonNegative(String column) implements Constraint {
        /** Checks arguments. */
        public NonNegative {
            checkColumn(column);
        }

        @Override
        public String name() {
            return "non_negative(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return Names.quote(column) + " has no negative values";
        }
    }

    /**
     * Smallest value at least {@code bound} (numeric columns). Observed: the smallest value.
     *
     * @param column column name
     * @param bound least accepted minimum, finite
     */
    record Minimum(String column, double bound) implements Constraint {
        /** Checks arguments. */
        public Minimum {
            checkColumn(column);
            checkFinite("bound", bound);
        }

        @Override
        public String name() {
            return "min(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return Names.quote(column) + " >= " + bound;
        }
    }

    /**
     * Largest value at most {@code bound} (numeric columns). Observed: the largest value.
     *
     * @param column column name
     * @param bound largest accepted maximum, finite
     */
    record Maximum(String column, double bound) implements Constraint {
        /** Checks arguments. */
        public Maximum {
            checkColumn(column);
            checkFinite("bound", bound);
        }

        @Override
        public String name() {
            return "max(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return Names.quote(column) + " <= " + bound;
        }
    }

    /**
     * Values come from a set of categories, with a tolerated share outside it. Numeric values
     * are compared in their shortest text form ({@code 3}, not {@code 3.0}). Observed: the share
     * of non-missing values outside the set.
     *
     * @param column column name
     * @param allowed the categories, unique, in the order given
     * @param maxOutsideShare largest accepted share outside the set, in [0, 1]
     */
    record ContainedIn(String column, List<String> allowed, double maxOutsideShare) implements Constraint {
        /** Copies the list and checks arguments. */
        public ContainedIn {
            checkColumn(column);
            allowed = List.copyOf(allowed);
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("allowed categories of " + Names.quote(column) + " are empty");
            }
            if (new HashSet<>(allowed).size() != allowed.size()) {
                throw new IllegalArgumentException("allowed categories of " + Names.quote(column) + " repeat a value: "
                        + allowed);
            }
            checkShare("maxOutsideShare", maxOutsideShare);
        }

        @Override
        public String name() {
            return "contained_in(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return Names.quote(column) + " takes values in " + allowed
                    + (maxOutsideShare == 0.0 ? "" : " for all but at most " + maxOutsideShare + " of values");
        }
    }

    /**
     * Share of non-missing values that occur exactly once (Deequ's uniqueness) at least
     * {@code min}; 1 means "is unique". Observed: that share.
     *
     * @param column column name
     * @param min least accepted share in [0, 1]
     */
    record Uniqueness(String column, double min) implements Constraint {
        /** Checks arguments. */
        public Uniqueness {
            checkColumn(column);
            checkShare("min", min);
        }

        @Override
        public String name() {
            return "uniqueness(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return min == 1.0 ? Names.quote(column) + " is unique"
                    : Names.quote(column) + " has at least " + min + " share of values that occur once";
        }
    }

    /**
     * Text values contain a match of a regular expression ({@code Matcher.find}: anchor it with
     * {@code ^...$} to match whole values). Observed: the share of non-missing values that match.
     *
     * @param column column name (a non-numeric column)
     * @param regex a {@link java.util.regex.Pattern} expression
     * @param minShare least accepted share in [0, 1]
     */
    record MatchesPattern(String column, String regex, double minShare) implements Constraint {
        /** Checks arguments, including that the expression compiles. */
        public MatchesPattern {
            checkColumn(column);
            Objects.requireNonNull(regex, "regex");
            try {
                java.util.regex.Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("pattern for " + Names.quote(column) + " does not compile: "
                        + e.getDescription() + " in " + Names.quote(regex), e);
            }
            checkShare("minShare", minShare);
        }

        @Override
        public String name() {
            return "pattern(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return Names.quote(column) + " matches " + Names.quote(regex)
                    + (minShare == 1.0 ? "" : " for at least " + minShare + " of values");
        }
    }

    /**
     * Mean of the non-missing values within [min, max]. Observed: the mean.
     *
     * @param column column name
     * @param min least accepted mean
     * @param max largest accepted mean
     */
    record Mean(String column, double min, double max) implements Constraint {
        /** Checks arguments. */
        public Mean {
            checkColumn(column);
            checkRange(min, max);
        }

        @Override
        public String name() {
            return "mean(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return "mean of " + Names.quote(column) + " in [" + min + ", " + max + "]";
        }
    }

    /**
     * Population standard deviation (divisor n, as Deequ's {@code StandardDeviation}) of the
     * non-missing values within [min, max]. Observed: the standard deviation.
     *
     * @param column column name
     * @param min least accepted value
     * @param max largest accepted value
     */
    record StandardDeviation(String column, double min, double max) implements Constraint {
        /** Checks arguments. */
        public StandardDeviation {
            checkColumn(column);
            checkRange(min, max);
            if (min < 0) {
                throw new IllegalArgumentException("standard deviation bound min is " + min + ", expected >= 0");
            }
        }

        @Override
        public String name() {
            return "stddev(" + column + ")";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return "standard deviation of " + Names.quote(column) + " in [" + min + ", " + max + "]";
        }
    }

    /**
     * Number of rows within [min, max]. Observed: the row count.
     *
     * @param min least accepted count, at least 0
     * @param max largest accepted count, at least min
     */
    record RowCount(long min, long max) implements Constraint {
        /** Checks arguments. */
        public RowCount {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("row count bounds [" + min + ", " + max
                        + "] are invalid: expected 0 <= min <= max");
            }
        }

        @Override
        public String name() {
            return "row_count";
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "row count in [" + min + ", " + max + "]";
        }
    }

    /**
     * A named predicate over a column's non-missing values ({@link Double} for numeric columns,
     * {@link String} for others) that must hold for at least {@code minShare} of them. Observed:
     * the share that satisfies it. Code cannot be stored, so a suite with a custom constraint
     * cannot be written as JSON.
     *
     * @param name the constraint's name, unique within the suite
     * @param column column name
     * @param predicate the test; a value it throws on counts as failing
     * @param minShare least accepted share in [0, 1]
     */
    record Custom(String name, String column, Predicate<Object> predicate, double minShare) implements Constraint {
        /** Checks arguments. */
        public Custom {
            Names.requireValidKey("custom constraint name", name);
            checkColumn(column);
            Objects.requireNonNull(predicate, "predicate");
            checkShare("minShare", minShare);
        }

        @Override
        public Optional<String> checkedColumn() {
            return Optional.of(column);
        }

        @Override
        public String describe() {
            return Names.quote(column) + " satisfies " + Names.quote(name)
                    + (minShare == 1.0 ? "" : " for at least " + minShare + " of values");
        }
    }

    private static void checkColumn(String column) {
        Names.requireValidKey("column name", column);
    }

    private static void checkShare(String what, double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException(what + " is " + share + ", expected a share in [0, 1]");
        }
    }

    private static void checkFinite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " is " + v + ", expected a finite number");
        }
    }

    private static void checkRange(double min, double max) {
        checkFinite("min", min);
        checkFinite("max", max);
        if (min > max) {
            throw new IllegalArgumentException("bounds [" + min + ", " + max + "] are reversed: expected min <= max");
        }
    }
}
