package dev.mlops.drift;

import dev.mlops.api.drift.ColumnStats;
import dev.mlops.api.drift.ColumnStats.CategoryShare;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The per-side summary statistics of a compared column ({@link ColumnStats}), from values, from a
 * profile column, or from a window's grid counts. Package-private.
 *
 * <p>Definitions, the same on every path so the two sides compare: the mean and the standard
 * deviation are over the finite values, the deviation with divisor n (as the profile stores it);
 * quartiles are the inverted CDF (the smallest value whose rank reaches q·n, as
 * {@link QuantileSketch#quantile} gives them); min and max include infinities.
 */
final class Summaries {

    /** Categories a summary lists. */
    static final int TOP_CATEGORIES = 5;

    private Summaries() {
    }

    /** Exact summary of numeric values (NaN = missing). */
    static ColumnStats numeric(double[] values) {
        double[] sorted = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
        DoubleSort.sort(sorted); // -0.0 kept, before 0.0, as Arrays.sort leaves it
        return numericSorted(sorted, values.length - sorted.length);
    }

    /**
     * {@link #numeric} of values already without NaN and sorted as {@code Arrays.sort} sorts
     * them (−0.0 kept, before 0.0): the column layer's own sorted copy, summarised without
     * sorting the column again.
     *
     * @param sorted the values that are not missing, ascending
     * @param missing the NaN count
     */
    static ColumnStats numericSorted(double[] sorted, long missing) {
        if (sorted.length == 0) {
            return empty(0, missing);
        }
        OptionalDouble mean = OptionalDouble.empty();
        OptionalDouble std = OptionalDouble.empty();
        double[] moments = moments(sorted);
        if (moments.length > 0) {
            mean = OptionalDouble.of(moments[0]);
            std = OptionalDouble.of(moments[1]);
        }
        return new ColumnStats(sorted.length, missing, mean, std, OptionalDouble.of(sorted[0]),
                OptionalDouble.of(quantile(sorted, 0.25)), OptionalDouble.of(quantile(sorted, 0.5)),
                OptionalDouble.of(quantile(sorted, 0.75)), OptionalDouble.of(sorted[sorted.length - 1]), false, List.of());
    }

    /**
     * The mean and population standard deviation of the finite values, two passes.
     *
     * @return {mean, std}, or an empty array when no value is finite
     */
    static double[] moments(double[] values) {
        double largest = 0;
        long finite = 0;
        for (double x : values) {
            if (Double.isFinite(x)) {
                largest = Math.max(largest, Math.abs(x));
                finite++;
            }
        }
        if (finite == 0) {
            return new double[0];
        }
        // beyond 1e150 a square, or a sum, may overflow: such values are summed scaled down by the
        // largest magnitude (their mean and std are finite, and say so); below, as they always were
        double scale = largest > 1e150 ? largest : 1.0;
        double sum = 0;
        for (double x : values) {
            if (Double.isFinite(x)) {
                sum += x / scale;
            }
        }
        double m = sum / finite;
        double ss = 0;
        for (double x : values) {
            if (Double.isFinite(x)) {
                double d = x / scale - m;
                ss += d * d;
            }
        }
        return new double[] {m * scale, Math.sqrt(ss / finite) * scale};
    }

    private static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Summary of a profile's numerical column: exact moments and extremes, quartiles from its sketch. */
    static ColumnStats profile(ReferenceProfile.NumericalColumn col) {
        if (col.count() == 0) {
            return empty(0, col.missing());
        }
        QuantileSketch s = col.sketch();
        boolean estimated = !s.isExact();
        return new ColumnStats(col.count(), col.missing(), finite(col.mean()), finite(col.std()), OptionalDouble.of(col.min()),
                OptionalDouble.of(s.quantile(0.25)), OptionalDouble.of(s.quantile(0.5)), OptionalDouble.of(s.quantile(0.75)),
                OptionalDouble.of(col.max()), estimated, List.of());
    }

    /**
     * Summary of a window from its grid counts: count, missing, min and max are exact; quartiles
     * are the lower end of the grid cell that holds them (clamped to the window's min and max), so
     * they are estimates within one cell; there are no moments.
     *
     * @param cuts the grid's cut points (cell j holds values in [cuts[j-1], cuts[j]))
     * @param cells finite values per cell (cuts.length + 1 cells)
     * @param negInf values at −Infinity
     * @param posInf values at +Infinity
     */
    static ColumnStats grid(long count, long missing, double min, double max, double[] cuts, long[] cells, long negInf,
            long posInf) {
        if (count == 0) {
            return empty(0, missing);
        }
        double lo = negInf > 0 ? Double.NEGATIVE_INFINITY : min;
        double hi = posInf > 0 ? Double.POSITIVE_INFINITY : max;
        return new ColumnStats(count, missing, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(lo),
                OptionalDouble.of(gridQuantile(0.25, count, cuts, cells, negInf, min, max)),
                OptionalDouble.of(gridQuantile(0.5, count, cuts, cells, negInf, min, max)),
                OptionalDouble.of(gridQuantile(0.75, count, cuts, cells, negInf, min, max)), OptionalDouble.of(hi), true,
                List.of());
    }

    private static double gridQuantile(double q, long count, double[] cuts, long[] cells, long negInf, double min, double max) {
        long target = Math.max(1, (long) Math.ceil(q * count));
        long cum = negInf;
        if (cum >= target) {
            return Double.NEGATIVE_INFINITY;
        }
        for (int j = 0; j < cells.length; j++) {
            cum += cells[j];
            if (cum >= target) {
                double start = j == 0 ? min : cuts[j - 1];
                return Math.max(min, Math.min(max, start));
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Summary of categories with their counts; {@code other} counts values outside {@code labels}. */
    static ColumnStats categories(List<String> labels, long[] counts, long missing) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingLong((Integer i) -> -counts[i]).thenComparing(labels::get));
        List<CategoryShare> top = new ArrayList<>();
        for (int k = 0; k < Math.min(TOP_CATEGORIES, order.size()); k++) {
            int i = order.get(k);
            top.add(new CategoryShare(labels.get(i), counts[i], (double) counts[i] / total));
        }
        return new ColumnStats(total, missing, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), false, top);
    }

    private static ColumnStats empty(long count, long missing) {
        return new ColumnStats(count, missing, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), false, List.of());
    }

    private static OptionalDouble finite(double x) {
        return Double.isFinite(x) ? OptionalDouble.of(x) : OptionalDouble.empty();
    }
}
