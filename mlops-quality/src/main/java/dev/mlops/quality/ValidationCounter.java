package dev.mlops.quality;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts cells into {@link ValidationState}s for a {@link ValidationPlan}: the part of a plan
 * that runs where the rows are (a Spark executor, or the in-process loop). It holds only column
 * kinds, regular expressions and allowed categories, and is Serializable because a batch engine
 * ships it with its tasks' code (Spark serializes its closures itself); the states it fills
 * travel as {@link ValidationState#toBytes}. Not thread-safe
 * (compiled patterns are cached); give each thread its own copy.
 */
public final class ValidationCounter implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean[] numeric;
    /** Columns whose squared deviations the second pass sums (standard deviation constraints). */
    private final boolean[] deviation;
    private final int[][] patternsOf;
    private final String[] regexes;
    private final int[][] categoriesOf;
    private final String[][] allowed;
    private transient Matcher[] matchers;
    private transient List<Set<String>> allowedSets;

    ValidationCounter(boolean[] numeric, boolean[] deviation, int[][] patternsOf, String[] regexes,
            int[][] categoriesOf, String[][] allowed) {
        this.numeric = numeric;
        this.deviation = deviation;
        this.patternsOf = patternsOf;
        this.regexes = regexes;
        this.categoriesOf = categoriesOf;
        this.allowed = allowed;
    }

    /** @return the number of columns the plan reads ({@link ValidationPlan#columns()}) */
    public int columns() {
        return numeric.length;
    }

    /**
     * @param column a column index of the plan
     * @return true if its cells are given as numbers ({@link #acceptNumber}), else as text
     */
    public boolean isNumeric(int column) {
        return numeric[column];
    }

    /**
     * @param state a first- or second-pass state
     * @param column a column index of the plan
     * @return false if the pass ignores the column's cells (a second pass reads only the columns
     *     of standard deviation constraints), so a caller may skip reading them
     */
    public boolean reads(ValidationState state, int column) {
        return !state.secondPass || deviation[column];
    }

    /** @return an empty first-pass state */
    public ValidationState newState() {
        return new ValidationState(numeric.length, regexes.length, allowed.length, null);
    }

    /** @return true if some constraint needs a second pass over the rows (standard deviation) */
    public boolean needsSecondPass() {
        for (boolean d : deviation) {
            if (d) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param first the merged first-pass state of all rows
     * @return an empty second-pass state that sums squared deviations from the first pass's means
     */
    public ValidationState secondPass(ValidationState first) {
        if (first.secondPass) {
            throw new IllegalArgumentException("the state given is already a second-pass state");
        }
        double[] means = new double[numeric.length];
        for (int c = 0; c < means.length; c++) {
            means[c] = deviation[c] && first.nonMissing[c] > 0 ? first.sums[c].doubleValue() / first.nonMissing[c]
                    : Double.NaN;
        }
        return new ValidationState(numeric.length, regexes.length, allowed.length, means);
    }

    /**
     * @param state the state to count into
     * @param column a numeric column index of the plan
     * @param v the cell, NaN for missing
     */
    public void acceptNumber(ValidationState state, int column, double v) {
        if (Double.isNaN(v)) {
            return;
        }
        if (state.secondPass) {
            if (deviation[column]) {
                double d = v - state.means[column];
                state.sums[column].add(d * d);
            }
            return;
        }
        state.nonMissing[column]++;
        state.min[column] = Math.min(state.min[column], v);
        state.max[column] = Math.max(state.max[column], v);
        state.sums[column].add(v);
        int[] categories = categoriesOf[column];
        if (categories.length > 0) {
            String text = ConstraintChecks.formatNumber(v);
            for (int k : categories) {
                countCategory(state, k, text);
            }
        }
    }

    /**
     * @param state the state to count into
     * @param column a text column index of the plan
     * @param v the cell, null for missing
     */
    public void acceptText(ValidationState state, int column, String v) {
        if (v == null || state.secondPass) {
            return;
        }
        state.nonMissing[column]++;
        for (int k : patternsOf[column]) {
            state.patternTotal[k]++;
            if (matcher(k).reset(v).find()) {
                state.patternMatched[k]++;
            }
        }
        for (int k : categoriesOf[column]) {
            countCategory(state, k, v);
        }
    }

    private void countCategory(ValidationState state, int k, String text) {
        if (!allowedSet(k).contains(text)) {
            state.outside[k]++;
            ValidationState.addExample(state.outsideExamples.get(k), text);
        }
    }

    private Matcher matcher(int k) {
        if (matchers == null) {
            matchers = new Matcher[regexes.length];
        }
        if (matchers[k] == null) {
            matchers[k] = Pattern.compile(regexes[k]).matcher("");
        }
        return matchers[k];
    }

    private Set<String> allowedSet(int k) {
        if (allowedSets == null) {
            allowedSets = new ArrayList<>();
            for (String[] a : allowed) {
                allowedSets.add(new HashSet<>(Arrays.asList(a)));
            }
        }
        return allowedSets.get(k);
    }
}
