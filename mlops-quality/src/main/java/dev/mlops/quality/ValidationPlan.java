package dev.mlops.quality;

import dev.mlops.api.Field;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.quality.Constraint;
import dev.mlops.api.quality.ConstraintResult;
import dev.mlops.api.quality.ValidationResult;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.quality.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@link ValidationSuite} evaluated from mergeable counts, so that the rows can be counted in
 * parts (Spark partitions) and the parts merged: what {@link DataValidation#validate} runs in
 * process, and what mlops-spark runs on a cluster, with the same results to the last bit.
 *
 * <ol>
 *   <li>{@link #counter()} counts every cell of {@link #columns()} into a {@link ValidationState};
 *       states of disjoint rows {@link ValidationState#merge merge} exactly;</li>
 *   <li>if {@link ValidationCounter#needsSecondPass()} (a standard deviation), a second pass
 *       counts the rows again into {@link ValidationCounter#secondPass(ValidationState)};</li>
 *   <li>{@link #distinctColumns()} need the number of distinct non-missing values and of those
 *       occurring once (uniqueness), as {@link DistinctCounts} (on Spark, a group-by);</li>
 *   <li>{@link #result} turns the merged states into the suite's result.</li>
 * </ol>
 *
 * <p>Numeric cells are doubles (NaN missing), others text (null missing). Means and standard
 * deviations use {@link ExactSum}, so they do not depend on how the rows were split. A
 * {@link Constraint.Custom} predicate cannot be evaluated from counts on the cluster's terms
 * (its code would have to travel, and its first error depends on row order): it is listed by
 * {@link #unmergeable()} and refused by {@link #result}.
 */
public final class ValidationPlan {
    private final ValidationSuite suite;
    private final Schema schema;
    private final List<Field> columns;
    private final Map<String, Integer> columnIndex;
    /** Per constraint (suite order): its pattern or category index, or -1. */
    private final int[] checkIndex;
    private final ValidationCounter counter;

    private ValidationPlan(ValidationSuite suite, Schema schema) {
        this.suite = suite;
        this.schema = schema;
        List<Field> cols = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Constraint c : suite.constraints()) {
            Optional<String> col = c.checkedColumn();
            if (col.isPresent() && !index.containsKey(col.get()) && schema.field(col.get()).isPresent()
                    && !(c instanceof Constraint.HasType)) {
                index.put(col.get(), cols.size());
                cols.add(schema.field(col.get()).orElseThrow());
            }
        }
        this.columns = List.copyOf(cols);
        this.columnIndex = index;
        boolean[] numeric = new boolean[cols.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = cols.get(i).type().isNumeric();
        }
        boolean[] deviation = new boolean[cols.size()];
        List<List<Integer>> patternsOf = new ArrayList<>();
        List<List<Integer>> categoriesOf = new ArrayList<>();
        for (int i = 0; i < numeric.length; i++) {
            patternsOf.add(new ArrayList<>());
            categoriesOf.add(new ArrayList<>());
        }
        List<String> regexes = new ArrayList<>();
        List<String[]> allowed = new ArrayList<>();
        checkIndex = new int[suite.constraints().size()];
        for (int i = 0; i < checkIndex.length; i++) {
            Constraint c = suite.constraints().get(i);
            checkIndex[i] = -1;
            Integer col = c.checkedColumn().map(index::get).orElse(null);
            if (col == null) {
                continue;
            }
            if (c instanceof Constraint.MatchesPattern p && !numeric[col]) {
                checkIndex[i] = regexes.size();
                patternsOf.get(col).add(regexes.size());
                regexes.add(p.regex());
            } else if (c instanceof Constraint.ContainedIn ci) {
                checkIndex[i] = allowed.size();
                categoriesOf.get(col).add(allowed.size());
                allowed.add(ci.allowed().toArray(String[]::new));
            } else if (c instanceof Constraint.StandardDeviation && numeric[col]) {
                deviation[col] = true;
            }
        }
        this.counter = new ValidationCounter(numeric, deviation, toArrays(patternsOf), regexes.toArray(String[]::new),
                toArrays(categoriesOf), allowed.toArray(String[][]::new));
    }

    private static int[][] toArrays(List<List<Integer>> lists) {
        return lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /**
     * @param suite the constraints
     * @param schema the data's columns and types
     * @return the plan
     */
    public static ValidationPlan of(ValidationSuite suite, Schema schema) {
        return new ValidationPlan(Objects.requireNonNull(suite, "suite"), Objects.requireNonNull(schema, "schema"));
    }

    /** @return the suite */
    public ValidationSuite suite() {
        return suite;
    }

    /** @return the columns whose cells the counter reads, in the counter's column order */
    public List<Field> columns() {
        return columns;
    }

    /** @return the part that counts cells (Serializable, to run where the rows are) */
    public ValidationCounter counter() {
        return counter;
    }

    /** @return the columns whose {@link DistinctCounts} {@link #result} needs (uniqueness constraints) */
    public List<String> distinctColumns() {
        List<String> out = new ArrayList<>();
        for (Constraint c : suite.constraints()) {
            if (c instanceof Constraint.Uniqueness u && columnIndex.containsKey(u.column()) && !out.contains(u.column())) {
                out.add(u.column());
            }
        }
        return out;
    }

    /** @return the constraints a result cannot be computed for from counts ({@link Constraint.Custom}) */
    public List<Constraint> unmergeable() {
        return suite.constraints().stream().filter(c -> c instanceof Constraint.Custom).toList();
    }

    /**
     * @param first the merged first-pass state of all rows
     * @param second the merged second-pass state, or null if the counter needs none
     * @param distinct per {@link #distinctColumns()} column, its distinct counts
     * @return every constraint's observed value and verdict, in suite order
     * @throws IllegalArgumentException if the suite holds a custom predicate, naming it, or an
     *     input is missing
     */
    public ValidationResult result(ValidationState first, ValidationState second, Map<String, DistinctCounts> distinct) {
        List<Constraint> refused = unmergeable();
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("constraint " + Names.quote(refused.get(0).name())
                    + " is a custom predicate, which counts cannot evaluate; validate such a suite on a frame");
        }
        return new ValidationResult(suite.name(), first.rows, results(first, second, distinct, c -> {
            throw new IllegalStateException("unreachable");
        }));
    }

    /** The results, with custom predicates evaluated by the function given. */
    List<ConstraintResult> results(ValidationState first, ValidationState second, Map<String, DistinctCounts> distinct,
            Function<Constraint.Custom, ConstraintResult> custom) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(distinct, "distinct");
        if (first.secondPass) {
            throw new IllegalArgumentException("the first state given is a second-pass state");
        }
        if (counter.needsSecondPass() && (second == null || !second.secondPass)) {
            throw new IllegalArgumentException("the suite has a standard deviation constraint: a second-pass state is needed");
        }
        for (String column : distinctColumns()) {
            if (!distinct.containsKey(column)) {
                throw new IllegalArgumentException("no distinct counts for " + Names.quote(column)
                        + ", which a uniqueness constraint needs");
            }
        }
        List<ConstraintResult> out = new ArrayList<>(checkIndex.length);
        for (int i = 0; i < checkIndex.length; i++) {
            Constraint c = suite.constraints().get(i);
            out.add(c instanceof Constraint.Custom cu ? custom.apply(cu) : check(c, checkIndex[i], first, second, distinct));
        }
        return out;
    }

    private ConstraintResult check(Constraint constraint, int k, ValidationState s, ValidationState second,
            Map<String, DistinctCounts> distinct) {
        if (constraint instanceof Constraint.RowCount rc) {
            long n = s.rows;
            boolean ok = n >= rc.min() && n <= rc.max();
            return result(rc, ok, n, "row count is " + n + ", expected [" + rc.min() + ", " + rc.max() + "]");
        }
        String column = constraint.checkedColumn().orElseThrow();
        Optional<Field> field = schema.field(column);
        if (field.isEmpty()) {
            return fail(constraint, "no column " + Names.quote(column) + " in the frame; it has "
                    + schema.fields().stream().map(Field::name).toList());
        }
        Field f = field.get();
        if (constraint instanceof Constraint.HasType t) {
            boolean ok = f.type() == t.type();
            return result(t, ok, ok ? 1 : 0, "column " + Names.quote(column) + " is " + f.type() + ", expected " + t.type());
        }
        int col = columnIndex.get(column);
        long values = s.nonMissing[col];
        if (constraint instanceof Constraint.Completeness c) {
            long n = s.rows;
            if (n == 0) {
                return fail(c, "completeness of " + Names.quote(column) + " is undefined: the frame has no rows");
            }
            double share = (double) values / n;
            return result(c, share >= c.min(), share, "completeness of " + Names.quote(column) + " is " + share
                    + ", expected >= " + c.min());
        }
        if (constraint instanceof Constraint.NonNegative
                || constraint instanceof Constraint.Minimum
                || constraint instanceof Constraint.Maximum
                || constraint instanceof Constraint.Mean
                || constraint instanceof Constraint.StandardDeviation) {
            return numeric(constraint, f, col, s, second);
        }
        if (constraint instanceof Constraint.MatchesPattern p) {
            if (f.type().isNumeric()) {
                return fail(p, "column " + Names.quote(column) + " is " + f.type() + "; a pattern applies to text columns");
            }
            long total = s.patternTotal[k];
            long matched = s.patternMatched[k];
            if (total == 0) {
                return fail(p, "column " + Names.quote(column) + " has no non-missing value to match");
            }
            double share = (double) matched / total;
            return result(p, share >= p.minShare(), share, "share of " + Names.quote(column) + " matching "
                    + Names.quote(p.regex()) + " is " + share + " (" + (total - matched) + " of " + total
                    + " do not), expected >= " + p.minShare());
        }
        if (values == 0) {
            return fail(constraint, "column " + Names.quote(column) + " has no non-missing value to check");
        }
        if (constraint instanceof Constraint.ContainedIn ci) {
            long outside = s.outside[k];
            double share = (double) outside / values;
            return result(ci, share <= ci.maxOutsideShare(), share, "share of " + Names.quote(column)
                    + " outside the allowed categories is " + share + " (" + outside + " of " + values
                    + (outside > 0 ? ", such as " + s.outsideExamples.get(k).stream().map(Names::quote).toList() : "")
                    + "), expected <= " + ci.maxOutsideShare());
        }
        if (constraint instanceof Constraint.Uniqueness u) {
            DistinctCounts d = distinct.get(column);
            double share = (double) d.once() / values;
            return result(u, share >= u.min(), share, "share of " + Names.quote(column) + " values occurring once is "
                    + share + " (" + d.distinct() + " distinct in " + values + "), expected >= " + u.min());
        }
        throw new IllegalStateException("unhandled constraint " + constraint);
    }

    private static ConstraintResult numeric(Constraint constraint, Field f, int col, ValidationState s,
            ValidationState second) {
        String column = f.name();
        if (!f.type().isNumeric()) {
            return fail(constraint, "column " + Names.quote(column) + " is " + f.type() + ", not numeric");
        }
        long n = s.nonMissing[col];
        if (n == 0) {
            return fail(constraint, "column " + Names.quote(column) + " has no non-missing value to check");
        }
        double min = s.min[col];
        double max = s.max[col];
        if (constraint instanceof Constraint.NonNegative c) {
            return result(c, min >= 0, min, "smallest value of " + Names.quote(column) + " is " + min + ", expected >= 0");
        }
        if (constraint instanceof Constraint.Minimum c) {
            return result(c, min >= c.bound(), min, "smallest value of " + Names.quote(column) + " is " + min
                    + ", expected >= " + c.bound());
        }
        if (constraint instanceof Constraint.Maximum c) {
            return result(c, max <= c.bound(), max, "largest value of " + Names.quote(column) + " is " + max
                    + ", expected <= " + c.bound());
        }
        double mean = s.sums[col].doubleValue() / n;
        if (constraint instanceof Constraint.Mean c) {
            return result(c, mean >= c.min() && mean <= c.max(), mean, "mean of " + Names.quote(column) + " is " + mean
                    + ", expected in [" + c.min() + ", " + c.max() + "]");
        }
        Constraint.StandardDeviation c = (Constraint.StandardDeviation) constraint;
        double sd = Math.sqrt(second.sums[col].doubleValue() / n);
        return result(c, sd >= c.min() && sd <= c.max(), sd, "standard deviation of " + Names.quote(column) + " is " + sd
                + ", expected in [" + c.min() + ", " + c.max() + "]");
    }

    private static ConstraintResult result(Constraint c, boolean ok, double observed, String message) {
        return new ConstraintResult(c.name(), c, ok ? Verdict.PASS : Verdict.FAIL, observed, message);
    }

    private static ConstraintResult fail(Constraint c, String message) {
        return new ConstraintResult(c.name(), c, Verdict.FAIL, Double.NaN, message);
    }
}
