package dev.mlops.quality;

import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.quality.Constraint;
import dev.mlops.api.quality.ConstraintResult;
import dev.mlops.api.quality.Verdict;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/** Evaluates one constraint on one frame. */
final class ConstraintChecks {
    private ConstraintChecks() {
    }

    static ConstraintResult check(Constraint constraint, Frame frame) {
        if (constraint instanceof Constraint.RowCount rc) {
            long n = frame.rowCount();
            boolean ok = n >= rc.min() && n <= rc.max();
            return result(rc, ok, n, "row count is " + n + ", expected [" + rc.min() + ", " + rc.max() + "]");
        }
        String column = constraint.checkedColumn().orElseThrow();
        Optional<Field> field = frame.schema().field(column);
        if (field.isEmpty()) {
            return fail(constraint, "no column " + Names.quote(column) + " in the frame; it has "
                    + frame.schema().fields().stream().map(Field::name).toList());
        }
        Field f = field.get();
        if (constraint instanceof Constraint.HasType t) {
            boolean ok = f.type() == t.type();
            return result(t, ok, ok ? 1 : 0, "column " + Names.quote(column) + " is " + f.type() + ", expected " + t.type());
        }
        if (constraint instanceof Constraint.Completeness c) {
            int n = frame.rowCount();
            if (n == 0) {
                return fail(c, "completeness of " + Names.quote(column) + " is undefined: the frame has no rows");
            }
            double share = (double) (n - frame.missing(column)) / n;
            return result(c, share >= c.min(), share, "completeness of " + Names.quote(column) + " is " + share
                    + ", expected >= " + c.min());
        }
        if (constraint instanceof Constraint.NonNegative
                || constraint instanceof Constraint.Minimum
                || constraint instanceof Constraint.Maximum
                || constraint instanceof Constraint.Mean
                || constraint instanceof Constraint.StandardDeviation) {
            return numeric(constraint, f, frame);
        }
        if (constraint instanceof Constraint.MatchesPattern p) {
            if (f.type().isNumeric()) {
                return fail(p, "column " + Names.quote(column) + " is " + f.type() + "; a pattern applies to text columns");
            }
            java.util.regex.Pattern re = java.util.regex.Pattern.compile(p.regex());
            long total = 0;
            long matched = 0;
            Matcher m = re.matcher("");
            for (String v : frame.strings(column)) {
                if (v != null) {
                    total++;
                    if (m.reset(v).find()) {
                        matched++;
                    }
                }
            }
            if (total == 0) {
                return fail(p, "column " + Names.quote(column) + " has no non-missing value to match");
            }
            double share = (double) matched / total;
            return result(p, share >= p.minShare(), share, "share of " + Names.quote(column) + " matching "
                    + Names.quote(p.regex()) + " is " + share + " (" + (total - matched) + " of " + total
                    + " do not), expected >= " + p.minShare());
        }
        Object[] values = values(frame, f);
        if (values.length == 0) {
            return fail(constraint, "column " + Names.quote(column) + " has no non-missing value to check");
        }
        if (constraint instanceof Constraint.ContainedIn ci) {
            Set<String> allowed = new HashSet<>(ci.allowed());
            long outside = 0;
            Map<String, Integer> examples = new HashMap<>();
            for (Object v : values) {
                String s = v instanceof Double d ? formatNumber(d) : (String) v;
                if (!allowed.contains(s)) {
                    outside++;
                    if (examples.size() < 5) {
                        examples.merge(s, 1, Integer::sum);
                    }
                }
            }
            double share = (double) outside / values.length;
            return result(ci, share <= ci.maxOutsideShare(), share, "share of " + Names.quote(column)
                    + " outside the allowed categories is " + share + " (" + outside + " of " + values.length
                    + (outside > 0 ? ", such as " + examples.keySet().stream().sorted().map(Names::quote).toList() : "")
                    + "), expected <= " + ci.maxOutsideShare());
        }
        if (constraint instanceof Constraint.Uniqueness u) {
            Map<Object, Integer> counts = new HashMap<>();
            for (Object v : values) {
                counts.merge(v instanceof Double d ? (Object) (d + 0.0) : v, 1, Integer::sum);
            }
            long once = counts.values().stream().filter(c -> c == 1).count();
            double share = (double) once / values.length;
            return result(u, share >= u.min(), share, "share of " + Names.quote(column) + " values occurring once is "
                    + share + " (" + counts.size() + " distinct in " + values.length + "), expected >= " + u.min());
        }
        if (constraint instanceof Constraint.Custom c) {
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
        throw new IllegalStateException("unhandled constraint " + constraint);
    }

    private static ConstraintResult numeric(Constraint constraint, Field f, Frame frame) {
        String column = f.name();
        if (!f.type().isNumeric()) {
            return fail(constraint, "column " + Names.quote(column) + " is " + f.type() + ", not numeric");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int n = 0;
        double[] data = frame.numeric(column);
        for (double v : data) {
            if (!Double.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return fail(constraint, "column " + Names.quote(column) + " has no non-missing value to check");
        }
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
        double mean = sum / n;
        if (constraint instanceof Constraint.Mean c) {
            return result(c, mean >= c.min() && mean <= c.max(), mean, "mean of " + Names.quote(column) + " is " + mean
                    + ", expected in [" + c.min() + ", " + c.max() + "]");
        }
        Constraint.StandardDeviation c = (Constraint.StandardDeviation) constraint;
        double ss = 0;
        for (double v : data) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double sd = Math.sqrt(ss / n);
        return result(c, sd >= c.min() && sd <= c.max(), sd, "standard deviation of " + Names.quote(column) + " is " + sd
                + ", expected in [" + c.min() + ", " + c.max() + "]");
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
