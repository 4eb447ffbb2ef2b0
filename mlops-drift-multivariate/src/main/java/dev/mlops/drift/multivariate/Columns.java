package dev.mlops.drift.multivariate;

import dev.mlops.api.Frame;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The columns a method compares, split as NannyML's {@code _split_features_by_type} splits them:
 * numeric columns are continuous, every other column (text, boolean, date) is categorical.
 */
record Columns(List<String> names, boolean[] continuous) {

    static List<String> checkNames(List<String> names) {
        Objects.requireNonNull(names, "columns");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no columns given; expected at least one column to compare");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            Objects.requireNonNull(n, "column name");
            if (!seen.add(n)) {
                throw new IllegalArgumentException("column '" + n + "' is given twice; expected each column once");
            }
        }
        return List.copyOf(names);
    }

    /** Reads the types from the reference. */
    static Columns of(List<String> names, Frame reference) {
        boolean[] continuous = new boolean[names.size()];
        for (int j = 0; j < names.size(); j++) {
            requirePresent(reference, names.get(j), "reference");
            continuous[j] = reference.isNumeric(names.get(j));
        }
        return new Columns(names, continuous);
    }

    /** Refuses data that lacks a column or has it with the other kind of type than the reference. */
    void check(Frame data, String what) {
        for (int j = 0; j < names.size(); j++) {
            String n = names.get(j);
            requirePresent(data, n, what);
            if (data.isNumeric(n) != continuous[j]) {
                throw new ValidationException("column '" + n + "' of the " + what + " data is "
                        + (continuous[j] ? "not numeric" : "numeric") + "; expected it "
                        + (continuous[j] ? "numeric" : "categorical") + " as in the reference");
            }
        }
        if (data.rowCount() == 0) {
            throw new ValidationException("the " + what + " data has no rows; expected at least one");
        }
    }

    private static void requirePresent(Frame data, String name, String what) {
        if (!data.schema().fields().stream().anyMatch(f -> f.name().equals(name))) {
            List<String> have = new ArrayList<>();
            data.schema().fields().forEach(f -> have.add(f.name()));
            throw new ValidationException("the " + what + " data has no column '" + name + "'; its columns are " + have);
        }
    }

    /** A numeric column's values; an infinite value is refused (NaN is missing). */
    static double[] numeric(Frame data, String name, String what) {
        double[] v = data.numeric(name);
        for (int i = 0; i < v.length; i++) {
            if (Double.isInfinite(v[i])) {
                throw new ValidationException("column '" + name + "' of the " + what + " data has " + v[i] + " in row " + i
                        + "; expected a finite number or a missing value");
            }
        }
        return v;
    }

    /** A categorical column's values, null for missing. */
    static String[] strings(Frame data, String name) {
        return data.strings(name);
    }
}
