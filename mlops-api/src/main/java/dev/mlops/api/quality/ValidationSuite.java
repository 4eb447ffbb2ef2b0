package dev.mlops.api.quality;

import dev.mlops.api.FieldType;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;

/**
 * A named list of {@link Constraint}s with unique names, run against a frame by
 * {@code dev.mlops.quality.DataValidation}, which also writes it as JSON (with a
 * {@code schemaVersion}) to store with a dataset version, and reads it back. Edit a suite, for
 * example a suggested one, with {@link #toBuilder()}.
 *
 * @param name the suite's name
 * @param constraints the constraints, in order, names unique
 */
public record ValidationSuite(String name, List<Constraint> constraints) {
    /** Copies the list and checks that names are unique. */
    public ValidationSuite {
        Names.requireValidKey("suite name", name);
        constraints = List.copyOf(constraints);
        Map<String, Constraint> seen = new LinkedHashMap<>();
        for (Constraint c : constraints) {
            if (seen.put(c.name(), c) != null) {
                throw new IllegalArgumentException("constraint " + Names.quote(c.name()) + " appears twice in suite "
                        + Names.quote(name) + "; names must be unique");
            }
        }
    }

    /**
     * @param name the suite's name
     * @return an empty builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return a builder holding this suite's constraints, to edit */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        constraints.forEach(b::add);
        return b;
    }

    /**
     * @param constraintName a constraint's name
     * @return the constraint, if present
     */
    public Optional<Constraint> constraint(String constraintName) {
        Objects.requireNonNull(constraintName, "constraintName");
        return constraints.stream().filter(c -> c.name().equals(constraintName)).findFirst();
    }

    /** @return true if every constraint can be written as JSON (none is {@link Constraint.Custom}) */
    public boolean isSerializable() {
        return constraints.stream().noneMatch(c -> c instanceof Constraint.Custom);
    }

    /**
     * Collects constraints. Each call checks its arguments at once ({@link IllegalArgumentException}
     * for a bad bound or a name already present). Not thread-safe.
     */
    public static final class Builder {
        private String name;
        private final Map<String, Constraint> constraints = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Names.requireValidKey("suite name", name);
        }

        /**
         * @param name the suite's new name
         * @return this
         */
        public Builder name(String name) {
            this.name = Names.requireValidKey("suite name", name);
            return this;
        }

        /**
         * @param constraint a constraint whose name is not yet in the suite
         * @return this
         * @throws IllegalArgumentException if its name is already present
         */
        public Builder add(Constraint constraint) {
            Objects.requireNonNull(constraint, "constraint");
            if (constraints.containsKey(constraint.name())) {
                throw new IllegalArgumentException("constraint " + Names.quote(constraint.name())
                        + " is already in the suite; replace(...) it or remove(...) it first");
            }
            constraints.put(constraint.name(), constraint);
            return this;
        }

        /**
         * @param constraint a constraint; one of the same name is replaced, else it is added
         * @return this
         */
        public Builder replace(Constraint constraint) {
            Objects.requireNonNull(constraint, "constraint");
            constraints.put(constraint.name(), constraint);
            return this;
        }

        /**
         * @param constraintName the name of a constraint in the suite
         * @return this
         * @throws NotFoundException if there is none of that name
         */
        public Builder remove(String constraintName) {
            Objects.requireNonNull(constraintName, "constraintName");
            if (constraints.remove(constraintName) == null) {
                throw new NotFoundException("no constraint " + Names.quote(constraintName) + " in the suite; it has "
                        + constraints.keySet());
            }
            return this;
        }

        /**
         * Removes every constraint on a column.
         *
         * @param column a column name
         * @return this
         */
        public Builder removeColumn(String column) {
            Objects.requireNonNull(column, "column");
            constraints.values().removeIf(c -> c.checkedColumn().filter(column::equals).isPresent());
            return this;
        }

        /**
         * @param column column name
         * @param type expected type
         * @return this
         */
        public Builder hasType(String column, FieldType type) {
            return add(new Constraint.HasType(column, type));
        }

        /**
         * @param column column name
         * @return this, with "no missing values"
         */
        public Builder isComplete(String column) {
            return add(new Constraint.Completeness(column, 1.0));
        }

        /**
         * @param column column name
         * @param min least accepted non-missing share
         * @return this
         */
        public Builder completeness(String column, double min) {
            return add(new Constraint.Completeness(column, min));
        }

        /**
         * @param column numeric column
         * @return this, with "no negative values"
         */
        public Builder nonNegative(String column) {
            return add(new Constraint.NonNegative(column));
        }

        /**
         * @param column numeric column
         * @param bound least accepted minimum
         * @return this
         */
        public Builder min(String column, double bound) {
            return add(new Constraint.Minimum(column, bound));
        }

        /**
         * @param column numeric column
         * @param bound largest accepted maximum
         * @return this
         */
        public Builder max(String column, double bound) {
            return add(new Constraint.Maximum(column, bound));
        }

        /**
         * Adds both {@code min(column)} and {@code max(column)}.
         *
         * @param column numeric column
         * @param min least accepted minimum
         * @param max largest accepted maximum
         * @return this
         */
        public Builder between(String column, double min, double max) {
            if (min > max) {
                throw new IllegalArgumentException("bounds [" + min + ", " + max + "] of " + Names.quote(column)
                        + " are reversed: expected min <= max");
            }
            Constraint lo = new Constraint.Minimum(column, min);
            Constraint hi = new Constraint.Maximum(column, max);
            add(lo);
            return add(hi);
        }

        /**
         * @param column column name
         * @param allowed the categories
         * @return this, with no value outside them tolerated
         */
        public Builder containedIn(String column, Collection<String> allowed) {
            return containedIn(column, allowed, 0.0);
        }

        /**
         * @param column column name
         * @param allowed the categories
         * @param maxOutsideShare largest tolerated share of values outside them
         * @return this
         */
        public Builder containedIn(String column, Collection<String> allowed, double maxOutsideShare) {
            return add(new Constraint.ContainedIn(column, new ArrayList<>(allowed), maxOutsideShare));
        }

        /**
         * @param column column name
         * @return this, with "every non-missing value occurs once"
         */
        public Builder isUnique(String column) {
            return add(new Constraint.Uniqueness(column, 1.0));
        }

        /**
         * @param column column name
         * @param min least accepted share of values that occur once
         * @return this
         */
        public Builder uniqueness(String column, double min) {
            return add(new Constraint.Uniqueness(column, min));
        }

        /**
         * @param column text column
         * @param regex expression every non-missing value must contain a match of
         * @return this
         */
        public Builder matches(String column, String regex) {
            return matches(column, regex, 1.0);
        }

        /**
         * @param column text column
         * @param regex expression
         * @param minShare least share of non-missing values that must match
         * @return this
         */
        public Builder matches(String column, String regex, double minShare) {
            return add(new Constraint.MatchesPattern(column, regex, minShare));
        }

        /**
         * @param column numeric column
         * @param min least accepted mean
         * @param max largest accepted mean
         * @return this
         */
        public Builder mean(String column, double min, double max) {
            return add(new Constraint.Mean(column, min, max));
        }

        /**
         * @param column numeric column
         * @param min least accepted standard deviation
         * @param max largest accepted standard deviation
         * @return this
         */
        public Builder standardDeviation(String column, double min, double max) {
            return add(new Constraint.StandardDeviation(column, min, max));
        }

        /**
         * @param min least accepted row count
         * @param max largest accepted row count
         * @return this
         */
        public Builder rowCount(long min, long max) {
            return add(new Constraint.RowCount(min, max));
        }

        /**
         * A custom check on a numeric column; makes the suite impossible to write as JSON.
         *
         * @param name constraint name, unique in the suite
         * @param column numeric column
         * @param predicate must hold for every non-missing value
         * @return this
         */
        public Builder customNumber(String name, String column, DoublePredicate predicate) {
            Objects.requireNonNull(predicate, "predicate");
            return add(new Constraint.Custom(name, column, v -> v instanceof Double d && predicate.test(d), 1.0));
        }

        /**
         * A custom check on a text column; makes the suite impossible to write as JSON.
         *
         * @param name constraint name, unique in the suite
         * @param column text column
         * @param predicate must hold for every non-missing value
         * @return this
         */
        public Builder customText(String name, String column, Predicate<String> predicate) {
            Objects.requireNonNull(predicate, "predicate");
            return add(new Constraint.Custom(name, column, v -> v instanceof String s && predicate.test(s), 1.0));
        }

        /** @return the suite */
        public ValidationSuite build() {
            return new ValidationSuite(name, new ArrayList<>(constraints.values()));
        }
    }
}
