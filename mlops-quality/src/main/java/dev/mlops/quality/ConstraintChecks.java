package dev.mlops.quality;

import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.quality.Constraint;
import dev.mlops.api.quality.ConstraintResult;
import dev.mlops.api.quality.Verdict;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What of constraint evaluation needs a whole frame: custom predicates, distinct counts, value lists. */
final class ConstraintChecks {
    private ConstraintChecks() {
    }

    /**
     * Evaluates a custom predicate over a column's values: the one check that needs every value
     * (the others run on {@link ValidationPlan}'s mergeable counts).
     */
    static ConstraintResult custom(Constraint.Custom c, Frame frame) {
        String column = c.column();
        Optional<Field> field = frame.schema().field(column);
        if (field.isEmpty()) {
            return fail(c, "no column " + Names.quote(column) + " in the frame; it has "
                    + frame.schema().fields().stream().map(Field::name).toList());
        }
        Object[] values = values(frame, field.get());
        if (values.length == 0) {
            return fail(c, "column " + Names.quote(column) + " has no non-missing value to check");
        }
        long ok = 0;
        String firstError = null;
        for (Object v : values) {
            try {
                if (c.predicate().test(v)) {
                    ok++;
                }
            } catch (RuntimeException e) {
                if (firstError == null) {
                    firstError = e.getClass().getSimpleName() + " on " + v;
                }
            }
        }
        double share = (double) ok / values.length;
        return result(c, share >= c.minShare(), share, "share of " + Names.quote(column) + " satisfying "
                + Names.quote(c.name()) + " is " + share + " (" + (values.length - ok) + " of " + values.length
                + " do not" + (firstError == null ? "" : "; the predicate threw " + firstError) + "), expected >= "
                + c.minShare());
    }

    /** The distinct non-missing values of a column and how many occur once (numbers as doubles, -0.0 as 0.0). */
    static DistinctCounts distinct(Frame frame, Field f) {
        Map<Object, Integer> counts = new HashMap<>();
        for (Object v : values(frame, f)) {
            counts.merge(v instanceof Double d ? (Object) (d + 0.0) : v, 1, Integer::sum);
        }
        long once = counts.values().stream().filter(c -> c == 1).count();
        return new DistinctCounts(counts.size(), once);
    }

    /** Non-missing values: Double for numeric columns, String for others. */
    static Object[] values(Frame frame, Field f) {
        if (f.type().isNumeric()) {
            return java.util.Arrays.stream(frame.numeric(f.name())).filter(v -> !Double.isNaN(v)).boxed().toArray();
        }
        return java.util.Arrays.stream(frame.strings(f.name())).filter(java.util.Objects::nonNull).toArray();
    }

    /** Shortest text of a number: {@code 3} for whole numbers, else {@link Double#toString}. */
    static String formatNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static ConstraintResult result(Constraint c, boolean ok, double observed, String message) {
        return new ConstraintResult(c.name(), c, ok ? Verdict.PASS : Verdict.FAIL, observed, message);
    }

    private static ConstraintResult fail(Constraint c, String message) {
        return new ConstraintResult(c.name(), c, Verdict.FAIL, Double.NaN, message);
    }
}
