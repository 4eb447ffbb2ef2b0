package dev.mlops.drift;

import dev.mlops.api.CategoryColumn;
import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.ColumnStats;
import dev.mlops.api.drift.Distribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One column of a batch comparison: missing values counted and removed, infinities handled,
 * the method chosen (configured, or Evidently's default), run, and the chart distribution
 * built. Every data-dependent problem becomes a result without a verdict and a note; only
 * programming errors escape. Package-private; {@link DriftAnalysis} documents the rules.
 */
final class ColumnComparison {

    /** Categories shown in a chart before the rest are merged into one "other" bar. */
    static final int CHART_CATEGORIES = 20;
    /** Distinct values counted at most when choosing a default method (the rules look at ≤ 5). */
    private static final int DISTINCT_CAP = 6;
    /** Category names listed at most in a note. */
    private static final int NOTE_NAMES = 5;

    private ColumnComparison() {
    }

    /**
     * What to compare for one column.
     *
     * @param name the column
     * @param kind how it is compared
     * @param method the configured method, or null for the default
     * @param threshold the configured threshold, or null for the method's default
     */
    record Spec(String name, ColumnKind kind, DriftMethod method, Double threshold) {
    }

    /**
     * A column's result before the dataset-level correction.
     *
     * @param verdict false when no test was possible (then statistic is NaN and pValue empty)
     */
    record Outcome(String name, ColumnKind kind, DriftMethod method, double statistic, OptionalDouble pValue,
                   double threshold, boolean verdict, double missingShareReference, double missingShareCurrent,
                   long referenceCount, long currentCount, List<String> notes, Distribution distribution,
                   ColumnStats referenceStats, ColumnStats currentStats) {

        /**
         * @param referenceStats the reference side's exact summary, or null when the caller
         *     computes it (categorical columns)
         * @param currentStats the same for the current side
         * @return this outcome with both summaries
         */
        Outcome withStats(ColumnStats referenceStats, ColumnStats currentStats) {
            return new Outcome(name, kind, method, statistic, pValue, threshold, verdict, missingShareReference,
                    missingShareCurrent, referenceCount, currentCount, notes, distribution, referenceStats, currentStats);
        }
    }

    /**
     * @param maxCategories distinct values a side may have for a categorical comparison
     */
    static Outcome run(Spec spec, Frame reference, Frame current, int maxCategories) {
        return spec.kind() == ColumnKind.NUMERICAL ? numerical(spec, reference, current)
                : categorical(spec, reference, current, maxCategories);
    }

    // ------------------------------------------------------------------ numerical

    private static Outcome numerical(Spec spec, Frame reference, Frame current) {
        Values ref = Values.of(reference, spec.name());
        Values cur = Values.of(current, spec.name());
        // the report's summaries come from the same sorted copies, so no column is sorted twice
        ColumnStats refStats = reference.isNumeric(spec.name()) ? Summaries.numericSorted(ref.present, ref.missing) : null;
        ColumnStats curStats = current.isNumeric(spec.name()) ? Summaries.numericSorted(cur.present, cur.missing) : null;
        return numerical(spec, reference, current, ref, cur).withStats(refStats, curStats);
    }

    private static Outcome numerical(Spec spec, Frame reference, Frame current, Values ref, Values cur) {
        DriftMethod method = spec.method() != null ? spec.method()
                : DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, ref.finite.length, distinct(ref.finite, cur.finite));
        double threshold = threshold(spec, method);
        boolean keepInfinities = method.acceptsInfinity();
        double[] r = keepInfinities ? ref.present : ref.finite;
        double[] c = keepInfinities ? cur.present : cur.finite;
        List<String> notes = new ArrayList<>();
        int infinities = ref.infinite() + cur.infinite();
        if (infinities > 0) {
            notes.add(ref.infinite() + " reference and " + cur.infinite() + " current value(s) are infinite: "
                    + (keepInfinities ? method.id() + " compares them as the most extreme values"
                    : "left out, " + method.id() + " needs finite values"));
        }
        // both sides' sorted copies are what the methods would sort copies into (no -0.0): use them
        boolean sorted = !ref.negativeZero && !cur.negativeZero;
        Distribution distribution = numericalDistribution(ref.finite, cur.finite, sorted);
        String empty = emptySides(r.length, c.length, ref.missing, cur.missing, reference.rowCount(), current.rowCount(),
                !keepInfinities && infinities > 0);
        if (empty != null) {
            notes.add(empty);
            return noVerdict(spec, ColumnKind.NUMERICAL, method, threshold, ref.missing, cur.missing, reference, current,
                    r.length, c.length, notes, distribution);
        }
        if (method == DriftMethod.WASSERSTEIN_NORM && populationStd(r) < 0.001) {
            notes.add("the reference's standard deviation is below 0.001, so the distance is divided by 0.001");
        }
        StatResult result;
        try {
            result = sorted ? method.applySorted(r, c) : method.apply(r, c);
        } catch (IllegalArgumentException e) {
            notes.add("no verdict: " + method.id() + " cannot compare these samples: " + e.getMessage());
            return noVerdict(spec, ColumnKind.NUMERICAL, method, threshold, ref.missing, cur.missing, reference, current,
                    r.length, c.length, notes, distribution);
        }
        return verdict(spec, ColumnKind.NUMERICAL, method, result, threshold, ref.missing, cur.missing, reference,
                current, r.length, c.length, notes, distribution);
    }

    /** A numerical column split into missing, infinite and finite values. */
    private static final class Values {
        final double[] present;
        final double[] finite;
        final int missing;
        /** Whether a value is −0.0, which the methods' own sorted copies turn into 0.0. */
        final boolean negativeZero;

        private Values(double[] present, double[] finite, int missing) {
            this.present = present;
            this.finite = finite;
            this.missing = missing;
            boolean negative = false;
            for (double v : present) {
                if (v == 0.0 && Double.doubleToRawLongBits(v) != 0L) {
                    negative = true;
                    break;
                }
            }
            this.negativeZero = negative;
        }

        /**
         * A frame's column: its numbers, or, for a non-numeric column without any value (the
         * analysis lets such a column stand for any type), only missing values.
         */
        static Values of(Frame frame, String column) {
            if (frame.isNumeric(column)) {
                return of(frame.numeric(column));
            }
            return new Values(new double[0], new double[0], frame.rowCount());
        }

        /**
         * Splits a column, sorting it in place (the caller's own copy): NaN sorts last and the
         * infinities to the ends, so present and finite values are ranges. Every method is
         * invariant to the order of values, and their own sorting of sorted data is linear, so
         * the column is sorted once instead of once per method and per chart.
         */
        static Values of(double[] values) {
            DoubleSort.sort(values);
            int end = values.length;
            while (end > 0 && Double.isNaN(values[end - 1])) {
                end--;
            }
            int lo = 0;
            while (lo < end && values[lo] == Double.NEGATIVE_INFINITY) {
                lo++;
            }
            int hi = end;
            while (hi > lo && values[hi - 1] == Double.POSITIVE_INFINITY) {
                hi--;
            }
            double[] present = end == values.length ? values : Arrays.copyOf(values, end);
            double[] finite = lo == 0 && hi == end ? present : Arrays.copyOfRange(values, lo, hi);
            return new Values(present, finite, values.length - end);
        }

        int infinite() {
            return present.length - finite.length;
        }
    }

    /** Distinct values of both samples together, counted up to {@link #DISTINCT_CAP}. */
    private static int distinct(double[] a, double[] b) {
        double[] seen = new double[DISTINCT_CAP];
        int n = 0;
        for (double[] sample : new double[][] {a, b}) {
            for (double v : sample) {
                boolean found = false;
                for (int i = 0; i < n; i++) {
                    if (seen[i] == v) { // -0.0 == 0.0, as pandas' nunique counts them
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    seen[n++] = v;
                    if (n == DISTINCT_CAP) {
                        return n;
                    }
                }
            }
        }
        return n;
    }

    private static double populationStd(double[] v) {
        double mean = Samples.sum(v) / v.length;
        double ss = 0.0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / v.length);
    }

    /** The binned methods' bins over the finite values; one side empty gives that side zero shares. */
    private static Distribution numericalDistribution(double[] ref, double[] cur, boolean sorted) {
        if (ref.length == 0 && cur.length == 0) {
            return new Distribution(List.of(), List.of(), List.of(), List.of());
        }
        double[] r = ref.length > 0 ? ref : cur;
        double[] c = cur.length > 0 ? cur : ref;
        BinnedShares shares = sorted ? BinnedDistances.sortedShares(r, c) : BinnedDistances.shares(r, c);
        double[] rs = ref.length > 0 ? shares.referenceShares() : new double[shares.labels().size()];
        double[] cs = cur.length > 0 ? shares.currentShares() : new double[shares.labels().size()];
        double[] edges = shares.edges();
        if (edges.length > 0) {
            return new Distribution(shares.labels(), boxed(edges), boxed(rs), boxed(cs));
        }
        return chart(shares.labels(), rs, cs, "values");
    }

    // ------------------------------------------------------------------ categorical

    private static Outcome categorical(Spec spec, Frame reference, Frame current, int maxCategories) {
        Side ref = Side.of(reference, spec.name(), maxCategories);
        Side cur = Side.of(current, spec.name(), maxCategories);
        if (ref.tooMany || cur.tooMany) {
            return tooManyCategories(spec, ref, cur, reference, current, maxCategories);
        }
        TreeMap<String, long[]> counts = new TreeMap<>();
        ref.addTo(counts, 0);
        cur.addTo(counts, 1);
        int refValues = (int) ref.values;
        int curValues = (int) cur.values;
        DriftMethod method = spec.method() != null ? spec.method()
                : DriftAnalysis.defaultMethod(ColumnKind.CATEGORICAL, refValues, Math.min(counts.size(), DISTINCT_CAP));
        double threshold = threshold(spec, method);
        List<String> notes = new ArrayList<>();
        Distribution distribution = categoricalDistribution(counts, refValues, curValues);
        String empty = emptySides(refValues, curValues, ref.missing, cur.missing, reference.rowCount(), current.rowCount(),
                false);
        if (empty != null) {
            notes.add(empty);
            return noVerdict(spec, ColumnKind.CATEGORICAL, method, threshold, ref.missing, cur.missing, reference, current,
                    refValues, curValues, notes, distribution);
        }
        List<String> unseen = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            if (e.getValue()[0] == 0) {
                unseen.add(e.getKey());
            }
        }
        if (!unseen.isEmpty()) {
            notes.add("the current data has " + unseen.size() + " categor" + (unseen.size() == 1 ? "y" : "ies")
                    + " the reference never had: " + names(unseen));
        }
        StatResult result;
        try {
            result = method.apply(new Categories(counts, refValues, curValues));
        } catch (IllegalArgumentException e) {
            notes.add("no verdict: " + method.id() + " cannot compare these samples: " + e.getMessage());
            return noVerdict(spec, ColumnKind.CATEGORICAL, method, threshold, ref.missing, cur.missing, reference, current,
                    refValues, curValues, notes, distribution);
        }
        return verdict(spec, ColumnKind.CATEGORICAL, method, result, threshold, ref.missing, cur.missing, reference,
                current, refValues, curValues, notes, distribution);
    }

    /**
     * A column with more distinct values than a categorical comparison takes (identifiers, free
     * text, timestamps as text): no verdict, and a note that says so. Evidently does not compare
     * such a column as categories either: it types a column whose values are mostly distinct as
     * text. Nothing is counted beyond the limit, so such a column costs no memory per value.
     */
    private static Outcome tooManyCategories(Spec spec, Side ref, Side cur, Frame reference, Frame current,
            int maxCategories) {
        DriftMethod method = spec.method() != null ? spec.method()
                : DriftAnalysis.defaultMethod(ColumnKind.CATEGORICAL, ref.values, DISTINCT_CAP);
        double threshold = threshold(spec, method);
        List<String> sides = new ArrayList<>();
        if (ref.tooMany) {
            sides.add(String.format(Locale.ROOT, "the reference has more than %,d", ref.limit));
        }
        if (cur.tooMany) {
            sides.add(String.format(Locale.ROOT, "the current data has more than %,d", cur.limit));
        }
        String note = "no verdict: " + String.join(" and ", sides) + " distinct values, too many to compare as "
                + "categories (an identifier or free text?); the limit is maxCategories (mlops: --max-categories)";
        Distribution none = new Distribution(List.of(), List.of(), List.of(), List.of());
        return noVerdict(spec, ColumnKind.CATEGORICAL, method, threshold, ref.missing, cur.missing, reference, current,
                (int) ref.values, (int) cur.values, List.of(note), none);
    }

    /**
     * One side of a categorical column, counted: each category with its count, or only that it
     * has more than the limit. Strings are counted through the column's dictionary (one count per
     * code, no string per row); numbers by runs of a sorted copy, with {@link #category(double)}
     * as the category.
     */
    private static final class Side {
        String[] categories = new String[0];
        long[] counts = new long[0];
        long values;
        int missing;
        boolean tooMany;
        /** When {@link #tooMany}: the number of distinct values the side has more than. */
        int limit;

        static Side of(Frame frame, String column, int maxCategories) {
            Side side = new Side();
            if (frame.isNumeric(column)) {
                side.countNumbers(frame.numeric(column), maxCategories);
                return side;
            }
            CategoryColumn c = frame.categories(column);
            side.missing = c.missing();
            side.values = (long) c.size() - c.missing();
            if (!c.complete() || c.dictionary().size() > maxCategories) {
                side.tooMany = true;
                // a column read with a limit kept exactly that many values
                side.limit = c.complete() ? maxCategories : c.dictionary().size();
                return side;
            }
            side.categories = c.dictionary().toArray(String[]::new);
            int[] n = c.counts();
            side.counts = new long[n.length];
            for (int i = 0; i < n.length; i++) {
                side.counts[i] = n[i];
            }
            return side;
        }

        private void countNumbers(double[] v, int maxCategories) {
            DoubleSort.sort(v); // NaN sorts last
            int end = v.length;
            while (end > 0 && Double.isNaN(v[end - 1])) {
                end--;
            }
            missing = v.length - end;
            values = end;
            // distinct categories: runs of equal values, -0.0 and 0.0 being one category "0"
            TreeMap<String, Long> byCategory = new TreeMap<>();
            int i = 0;
            while (i < end) {
                int j = i + 1;
                while (j < end && v[j] == v[i]) {
                    j++;
                }
                byCategory.merge(category(v[i]), (long) (j - i), Long::sum);
                if (byCategory.size() > maxCategories) {
                    tooMany = true;
                    limit = maxCategories;
                    return;
                }
                i = j;
            }
            categories = byCategory.keySet().toArray(String[]::new);
            counts = byCategory.values().stream().mapToLong(Long::longValue).toArray();
        }

        void addTo(TreeMap<String, long[]> union, int index) {
            for (int i = 0; i < categories.length; i++) {
                union.computeIfAbsent(categories[i], k -> new long[2])[index] += counts[i];
            }
        }
    }

    /**
     * A number as a category: whole numbers without a fraction ({@code "3"}, as an INTEGER
     * column's CSV text), others as {@link Double#toString(double)}; −0.0 is {@code "0"}.
     */
    static String category(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static Distribution categoricalDistribution(TreeMap<String, long[]> counts, int refSize, int curSize) {
        List<String> labels = new ArrayList<>(counts.keySet());
        double[] r = new double[labels.size()];
        double[] c = new double[labels.size()];
        int i = 0;
        for (long[] n : counts.values()) {
            r[i] = refSize == 0 ? 0.0 : (double) n[0] / refSize;
            c[i] = curSize == 0 ? 0.0 : (double) n[1] / curSize;
            i++;
        }
        return chart(labels, r, c, "categories");
    }

    /**
     * Bars for a chart: every label when there are at most {@link #CHART_CATEGORIES}; else the
     * {@value #CHART_CATEGORIES} with the largest reference + current share (ties by label), in
     * label order, and one last bar "other (k categories)" (or "values") holding the rest.
     */
    private static Distribution chart(List<String> labels, double[] r, double[] c, String noun) {
        int n = labels.size();
        if (n <= CHART_CATEGORIES) {
            return new Distribution(labels, List.of(), boxed(r), boxed(c));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -(r[i] + c[i])).thenComparing(labels::get));
        boolean[] kept = new boolean[n];
        for (int k = 0; k < CHART_CATEGORIES; k++) {
            kept[order[k]] = true;
        }
        List<String> outLabels = new ArrayList<>();
        List<Double> outR = new ArrayList<>();
        List<Double> outC = new ArrayList<>();
        double otherR = 0.0;
        double otherC = 0.0;
        for (int i = 0; i < n; i++) {
            if (kept[i]) {
                outLabels.add(labels.get(i));
                outR.add(r[i]);
                outC.add(c[i]);
            } else {
                otherR += r[i];
                otherC += c[i];
            }
        }
        outLabels.add("other (" + (n - CHART_CATEGORIES) + " " + noun + ")");
        outR.add(Math.min(1.0, otherR));
        outC.add(Math.min(1.0, otherC));
        return new Distribution(outLabels, List.of(), outR, outC);
    }

    // ------------------------------------------------------------------ shared

    /** The configured threshold, checked against the method once it is known, or the method's default. */
    private static double threshold(Spec spec, DriftMethod method) {
        if (spec.threshold() == null) {
            return method.defaultThreshold();
        }
        DriftAnalysis.requireThresholdFits(method, spec.threshold(), spec.name());
        return spec.threshold();
    }

    /** The note for a side without values to compare, or null when both have values. */
    private static String emptySides(int refValues, int curValues, int refMissing, int curMissing, int refRows,
            int curRows, boolean infinitiesLeftOut) {
        if (refValues > 0 && curValues > 0) {
            return null;
        }
        List<String> sides = new ArrayList<>();
        if (refValues == 0) {
            sides.add("the reference " + why(refRows, refMissing, infinitiesLeftOut));
        }
        if (curValues == 0) {
            sides.add("the current data " + why(curRows, curMissing, infinitiesLeftOut));
        }
        return "no verdict: " + String.join(" and ", sides);
    }

    private static String why(int rows, int missing, boolean infinitiesLeftOut) {
        if (rows == 0) {
            return "has no rows";
        }
        if (missing == rows) {
            return "has only missing values (" + rows + " of " + rows + ")";
        }
        return "has no values to compare" + (infinitiesLeftOut ? " once infinite values are left out" : "");
    }

    private static Outcome noVerdict(Spec spec, ColumnKind kind, DriftMethod method, double threshold, int refMissing,
            int curMissing, Frame reference, Frame current, int refCount, int curCount, List<String> notes,
            Distribution distribution) {
        return new Outcome(spec.name(), kind, method, Double.NaN, OptionalDouble.empty(), threshold, false,
                share(refMissing, reference.rowCount()), share(curMissing, current.rowCount()), refCount, curCount,
                List.copyOf(notes), distribution, null, null);
    }

    private static Outcome verdict(Spec spec, ColumnKind kind, DriftMethod method, StatResult result, double threshold,
            int refMissing, int curMissing, Frame reference, Frame current, int refCount, int curCount,
            List<String> notes, Distribution distribution) {
        if (Double.isInfinite(result.statistic())) {
            notes.add("the statistic is " + (result.statistic() > 0 ? "+" : "-") + "Infinity");
        }
        return new Outcome(spec.name(), kind, method, result.statistic(), result.pValue(), threshold, true,
                share(refMissing, reference.rowCount()), share(curMissing, current.rowCount()), refCount, curCount,
                List.copyOf(notes), distribution, null, null);
    }

    /** Missing share; 0 for a frame without rows (nothing is missing). */
    private static double share(int missing, int rows) {
        return rows == 0 ? 0.0 : (double) missing / rows;
    }

    private static String names(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(names.size(), NOTE_NAMES); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Names.quote(names.get(i)));
        }
        if (names.size() > NOTE_NAMES) {
            sb.append(" and ").append(names.size() - NOTE_NAMES).append(" more");
        }
        return sb.toString();
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
