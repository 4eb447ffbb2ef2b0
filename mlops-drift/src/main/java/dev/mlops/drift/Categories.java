package dev.mlops.drift;

import java.util.TreeMap;

/**
 * Category counts of two samples, what every categorical method computes on: the union of the
 * categories in natural String order, each with {reference count, current count}, and the two
 * sample sizes. Counting once and computing on counts lets a column layer count a
 * dictionary-encoded column without a string per row. Package-private.
 *
 * @param counts per category of the union: {reference count, current count}
 * @param referenceSize the reference sample's size (&gt; 0)
 * @param currentSize the current sample's size (&gt; 0)
 */
record Categories(TreeMap<String, long[]> counts, long referenceSize, long currentSize) {

    /** Counts two categorical samples, after checking them as every categorical method does. */
    static Categories of(String[] reference, String[] current) {
        Samples.categories(reference, Samples.REFERENCE);
        Samples.categories(current, Samples.CURRENT);
        return new Categories(count(reference, current), reference.length, current.length);
    }

    /**
     * Counts two numerical samples (checked by the caller) with each distinct value as the
     * category {@link Double#toString(double)} (−0.0 as 0.0): sorted copies and runs of equal
     * values, instead of a string per value.
     */
    static Categories ofNumbers(double[] reference, double[] current) {
        TreeMap<String, long[]> counts = new TreeMap<>();
        countRuns(reference, 0, counts);
        countRuns(current, 1, counts);
        return new Categories(counts, reference.length, current.length);
    }

    private static void countRuns(double[] values, int side, TreeMap<String, long[]> counts) {
        double[] sorted = values.clone();
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] == 0.0) {
                sorted[i] = 0.0; // -0.0 is the category "0.0"
            }
        }
        DoubleSort.sort(sorted);
        int i = 0;
        while (i < sorted.length) {
            int j = i + 1;
            // Double.compare: equal doubles (and every NaN, which the caller has excluded) form one run
            while (j < sorted.length && Double.compare(sorted[j], sorted[i]) == 0) {
                j++;
            }
            counts.computeIfAbsent(Double.toString(sorted[i]), k -> new long[2])[side] += j - i;
            i = j;
        }
    }

    /** Counts per category of the union, in natural String order: {reference count, current count}. */
    static TreeMap<String, long[]> count(String[] reference, String[] current) {
        TreeMap<String, long[]> counts = new TreeMap<>();
        for (String v : reference) {
            counts.computeIfAbsent(v, k -> new long[2])[0]++;
        }
        for (String v : current) {
            counts.computeIfAbsent(v, k -> new long[2])[1]++;
        }
        return counts;
    }
}
