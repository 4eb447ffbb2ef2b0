package dev.mlops.quality;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * What a {@link ValidationPlan} counts from some rows: the row count, per column its non-missing
 * count and (numeric columns) smallest and largest value and {@link ExactSum}, per pattern and
 * per category constraint the values checked and those failing, with the few smallest failing
 * categories as examples. States of disjoint parts of the data {@link #merge merge} exactly:
 * counts add, extremes combine, sums are exact, so a merged state does not depend on how the
 * rows were split or in which order the parts merged. A second-pass state (from
 * {@link ValidationCounter#secondPass}) sums squared deviations from the first pass's means instead.
 *
 * <p>Fill it with {@link ValidationCounter#acceptNumber} and {@link ValidationCounter#acceptText};
 * read it with {@link ValidationPlan#result}. Serializable, so that Spark can ship it between
 * executors. Not thread-safe.
 */
public final class ValidationState implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How many failing categories a state keeps as examples: the smallest ones. */
    static final int EXAMPLES = 5;

    final boolean secondPass;
    long rows;
    final long[] nonMissing;
    final double[] min;
    final double[] max;
    final ExactSum[] sums;
    /** Per pattern constraint: values checked and values matched. */
    final long[] patternTotal;
    final long[] patternMatched;
    /** Per category constraint: values outside the set, and the smallest of them. */
    final long[] outside;
    final ArrayList<TreeSet<String>> outsideExamples;
    /** Second pass only: per column, the first pass's mean. */
    final double[] means;

    ValidationState(int columns, int patterns, int categories, double[] means) {
        this.secondPass = means != null;
        this.means = means;
        this.nonMissing = new long[columns];
        this.min = new double[columns];
        this.max = new double[columns];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        this.sums = new ExactSum[columns];
        for (int i = 0; i < columns; i++) {
            sums[i] = new ExactSum();
        }
        this.patternTotal = new long[patterns];
        this.patternMatched = new long[patterns];
        this.outside = new long[categories];
        this.outsideExamples = new ArrayList<>(categories);
        for (int i = 0; i < categories; i++) {
            outsideExamples.add(new TreeSet<>());
        }
    }

    /**
     * Counts rows (their cells are given one by one to the plan).
     *
     * @param count rows to add
     */
    public void addRows(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("row count to add is " + count + ", expected >= 0");
        }
        rows += count;
    }

    /** @return the rows counted */
    public long rows() {
        return rows;
    }

    /** @return true if this state sums squared deviations (a second pass) */
    public boolean isSecondPass() {
        return secondPass;
    }

    /**
     * Adds the counts of a state of other rows of the same plan and pass into this one.
     *
     * @param other a state from the same plan and pass (not changed)
     * @return this
     * @throws IllegalArgumentException if the other state is of another shape or pass
     */
    public ValidationState merge(ValidationState other) {
        if (other.secondPass != secondPass || other.nonMissing.length != nonMissing.length
                || other.patternTotal.length != patternTotal.length || other.outside.length != outside.length
                || (secondPass && !Arrays.equals(other.means, means))) {
            throw new IllegalArgumentException("the states to merge come from different plans or passes");
        }
        rows += other.rows;
        for (int i = 0; i < nonMissing.length; i++) {
            nonMissing[i] += other.nonMissing[i];
            min[i] = Math.min(min[i], other.min[i]);
            max[i] = Math.max(max[i], other.max[i]);
            sums[i].merge(other.sums[i]);
        }
        for (int i = 0; i < patternTotal.length; i++) {
            patternTotal[i] += other.patternTotal[i];
            patternMatched[i] += other.patternMatched[i];
        }
        for (int i = 0; i < outside.length; i++) {
            outside[i] += other.outside[i];
            for (String s : other.outsideExamples.get(i)) {
                addExample(outsideExamples.get(i), s);
            }
        }
        return this;
    }

    static void addExample(TreeSet<String> examples, String s) {
        if (examples.size() < EXAMPLES) {
            examples.add(s);
        } else if (s.compareTo(examples.last()) < 0 && examples.add(s)) {
            examples.pollLast();
        }
    }
}
