package dev.mlops.api.quality;

import dev.mlops.api.ValidationException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Regression predictions paired with true values, row for row. Immutable; checked when built:
 * at least one row, equal lengths, every value finite.
 */
public final class RegressionData implements Resamplable<RegressionData> {
    private final double[] actual;
    private final double[] predicted;

    private RegressionData(double[] actual, double[] predicted) {
        this.actual = actual;
        this.predicted = predicted;
    }

    /**
     * @param actual true values
     * @param predicted predicted values
     * @return the data
     * @throws ValidationException if there are no rows, lengths differ, or a value is NaN or infinite
     */
    public static RegressionData of(double[] actual, double[] predicted) {
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(predicted, "predicted");
        if (actual.length == 0) {
            throw new ValidationException("no rows: evaluation data needs at least one row");
        }
        if (actual.length != predicted.length) {
            throw new ValidationException("actual has " + actual.length + " rows but predicted has " + predicted.length
                    + "; they must pair row for row");
        }
        check("actual", actual);
        check("predicted", predicted);
        return new RegressionData(actual.clone(), predicted.clone());
    }

    private static void check(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new ValidationException(what + "[" + i + "] is " + values[i] + ", expected a finite number");
            }
        }
    }

    /** @return a copy of the true values */
    public double[] actual() {
        return actual.clone();
    }

    /** @return a copy of the predicted values */
    public double[] predicted() {
        return predicted.clone();
    }

    @Override
    public int size() {
        return actual.length;
    }

    @Override
    public RegressionData select(int[] rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length == 0) {
            throw new ValidationException("cannot select zero rows: evaluation data needs at least one row");
        }
        double[] a = new double[rows.length];
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = Objects.checkIndex(rows[i], actual.length);
            a[i] = actual[r];
            p[i] = predicted[r];
        }
        return new RegressionData(a, p);
    }

    @Override
    public String toString() {
        return "RegressionData[" + actual.length + " rows]";
    }

    /** @return hash over contents */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(actual) + Arrays.hashCode(predicted);
    }

    /** @return true for equal values */
    @Override
    public boolean equals(Object o) {
        return o instanceof RegressionData d && Arrays.equals(actual, d.actual) && Arrays.equals(predicted, d.predicted);
    }
}
