package dev.mlops.drift;

import java.util.Arrays;
import java.util.Objects;

/** Input checks shared by the statistical functions. Package-private. */
final class Samples {

    static final String REFERENCE = "reference";
    static final String CURRENT = "current";

    private Samples() {
    }

    /**
     * Requires a non-empty sample without NaN; infinities are allowed (rank-based methods only).
     */
    static double[] ordered(double[] values, String side) {
        nonEmpty(values, side);
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException(side + " sample has NaN at index " + i
                        + ": remove missing values before calling (the column layer counts them)");
            }
        }
        return values;
    }

    /** Requires a non-empty sample of finite numbers. */
    static double[] finite(double[] values, String side) {
        nonEmpty(values, side);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException(side + " sample has NaN at index " + i
                        + ": remove missing values before calling (the column layer counts them)");
            }
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException(side + " sample has " + v + " at index " + i
                        + ": this method needs finite values");
            }
        }
        return values;
    }

    /** Requires a non-empty categorical sample without null elements. */
    static String[] categories(String[] values, String side) {
        Objects.requireNonNull(values, side);
        if (values.length == 0) {
            throw new IllegalArgumentException(side + " sample is empty: at least one value is needed");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException(side + " sample has null at index " + i
                        + ": remove missing values before calling (the column layer counts them)");
            }
        }
        return values;
    }

    private static void nonEmpty(double[] values, String side) {
        Objects.requireNonNull(values, side);
        if (values.length == 0) {
            throw new IllegalArgumentException(side + " sample is empty: at least one value is needed");
        }
    }

    /**
     * Sorted copy; -0.0 is replaced by 0.0 so that it ties with 0.0 as it does in numpy. NaN sorts
     * last, as in {@code Arrays.sort}. A sample that is already ascending (the column layer's own
     * sorted copies) is only copied, so a column sorted once is not sorted again per method.
     */
    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        boolean ascending = true;
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == 0.0) {
                copy[i] = 0.0;
            }
            // NaN fails <=, so a NaN anywhere but alone sends the copy to the sort
            if (i > 0 && !(copy[i - 1] <= copy[i])) {
                ascending = false;
            }
        }
        if (!ascending) {
            DoubleSort.sort(copy);
        }
        return copy;
    }

    /** Sorted copy of the values other than NaN, -0.0 replaced by 0.0 (profiles, sketches' exact sides). */
    static double[] sortedPresent(double[] values) {
        return sortPresent(values.clone());
    }

    /**
     * As {@link #sortedPresent}, in place: the values other than NaN are moved to the front of
     * {@code values}, -0.0 replaced by 0.0, and sorted there. For callers that own the array (a
     * copy made for them), which saves a second copy of a large column.
     *
     * @return {@code values} itself when it held no NaN, else a copy of its sorted front
     */
    static double[] sortPresent(double[] values) {
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                values[n++] = v == 0.0 ? 0.0 : v;
            }
        }
        DoubleSort.sort(values, 0, n);
        return n == values.length ? values : Arrays.copyOf(values, n);
    }

    /** Greatest common divisor. */
    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Neumaier-compensated sum of all values. */
    static double sum(double[] a) {
        double s = 0.0;
        double c = 0.0;
        for (double v : a) {
            double t = s + v;
            if (Math.abs(s) >= Math.abs(v)) {
                c += (s - t) + v;
            } else {
                c += (v - t) + s;
            }
            s = t;
        }
        return s + c;
    }
}
