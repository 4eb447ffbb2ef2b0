package dev.mlops.quality;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.quality.Constraint;
import dev.mlops.api.quality.Suggestion;
import dev.mlops.api.quality.SuggestionOptions;
import dev.mlops.api.quality.SuggestionResult;
import dev.mlops.api.quality.ValidationSuite;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deequ's constraint suggestion rules (com.amazon.deequ.suggestions.rules) over exact column
 * profiles. Mirrored: RetainTypeRule, CompleteIfCompleteRule, RetainCompletenessRule,
 * CategoricalRangeRule, FractionalCategoricalRangeRule, NonNegativeNumbersRule,
 * UniqueIfApproximatelyUniqueRule (with exact counts: unique only when every value is distinct),
 * and, by option, HasMin / HasMax / HasMean / HasStandardDeviation.
 */
final class ConstraintSuggester {
    /** Deequ's z for the binomial lower bounds of RetainCompletenessRule and FractionalCategoricalRangeRule. */
    static final double Z = 1.96;

    private ConstraintSuggester() {
    }

    static SuggestionResult suggest(Frame frame, String suiteName, SuggestionOptions options) {
        List<Suggestion> out = new ArrayList<>();
        int n = frame.rowCount();
        for (Field f : frame.schema().fields()) {
            String col = f.name();
            out.add(new Suggestion(new Constraint.HasType(col, f.type()), "RetainTypeRule", "type " + f.type()));
            if (n == 0) {
                continue;
            }
            int missing = frame.missing(col);
            double completeness = (double) (n - missing) / n;
            if (missing == 0) {
                out.add(new Suggestion(new Constraint.Completeness(col, 1.0), "CompleteIfCompleteRule",
                        "completeness 1.0"));
            } else if (completeness > 0.2) {
                double bound = lowerBound(completeness, n);
                out.add(new Suggestion(new Constraint.Completeness(col, bound), "RetainCompletenessRule",
                        "completeness " + completeness + " of " + n + " rows"));
            }
            Object[] values = ConstraintChecks.values(frame, f);
            if (values.length == 0) {
                continue;
            }
            Map<String, Integer> histogram = new HashMap<>();
            for (Object v : values) {
                histogram.merge(v instanceof Double d ? ConstraintChecks.formatNumber(d) : (String) v, 1, Integer::sum);
            }
            if (categorical(f.type()) && histogram.size() <= options.maxCategories()) {
                categories(col, histogram, values.length, out);
            }
            if (f.type().isNumeric()) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                ExactSum sum = new ExactSum();
                for (Object v : values) {
                    double d = (Double) v;
                    min = Math.min(min, d);
                    max = Math.max(max, d);
                    sum.add(d);
                }
                if (min >= 0) {
                    out.add(new Suggestion(new Constraint.NonNegative(col), "NonNegativeNumbersRule", "minimum " + min));
                }
                if (missing == 0 && histogram.size() == values.length) {
                    out.add(new Suggestion(new Constraint.Uniqueness(col, 1.0), "UniqueIfApproximatelyUniqueRule",
                            values.length + " distinct values in " + values.length + " rows"));
                }
                if (options.ranges()) {
                    out.add(new Suggestion(new Constraint.Minimum(col, min), "HasMin", "minimum " + min));
                    out.add(new Suggestion(new Constraint.Maximum(col, max), "HasMax", "maximum " + max));
                }
                if (options.statistics()) {
                    // as validation computes them (ValidationPlan), so the suggested bounds hold
                    double mean = sum.doubleValue() / values.length;
                    ExactSum ss = new ExactSum();
                    for (Object v : values) {
                        ss.add(((Double) v - mean) * ((Double) v - mean));
                    }
                    double sd = Math.sqrt(ss.doubleValue() / values.length);
                    double tol = options.statisticsTolerance();
                    out.add(new Suggestion(new Constraint.Mean(col, mean - tol * Math.abs(mean), mean + tol * Math.abs(mean)),
                            "HasMean", "mean " + mean + ", tolerance " + tol));
                    out.add(new Suggestion(new Constraint.StandardDeviation(col, sd * Math.max(0, 1 - tol), sd * (1 + tol)),
                            "HasStandardDeviation", "standard deviation " + sd + ", tolerance " + tol));
                }
            } else if (missing == 0 && histogram.size() == values.length) {
                out.add(new Suggestion(new Constraint.Uniqueness(col, 1.0), "UniqueIfApproximatelyUniqueRule",
                        values.length + " distinct values in " + values.length + " rows"));
            }
        }
        ValidationSuite.Builder b = ValidationSuite.builder(suiteName);
        out.forEach(s -> b.add(s.constraint()));
        return new SuggestionResult(b.build(), out);
    }

    /** Deequ applies the categorical rules to string and integral columns; booleans are categories too. */
    private static boolean categorical(FieldType type) {
        return type == FieldType.STRING || type == FieldType.INTEGER || type == FieldType.BOOLEAN;
    }

    private static void categories(String col, Map<String, Integer> histogram, int total, List<Suggestion> out) {
        List<Map.Entry<String, Integer>> byCount = new ArrayList<>(histogram.entrySet());
        byCount.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        long singletons = byCount.stream().filter(e -> e.getValue() == 1).count();
        double uniqueValueRatio = (double) singletons / byCount.size();
        if (uniqueValueRatio <= 0.1) {
            List<String> all = byCount.stream().map(Map.Entry::getKey).toList();
            out.add(new Suggestion(new Constraint.ContainedIn(col, all, 0.0), "CategoricalRangeRule",
                    all.size() + " categories, " + singletons + " seen once"));
            return;
        }
        List<String> top = new ArrayList<>();
        long covered = 0;
        for (Map.Entry<String, Integer> e : byCount) {
            if ((double) covered / total >= 0.9) {
                break;
            }
            top.add(e.getKey());
            covered += e.getValue();
        }
        double ratio = (double) covered / total;
        if (uniqueValueRatio <= 0.4 && ratio < 1) {
            double bound = lowerBound(ratio, total);
            out.add(new Suggestion(new Constraint.ContainedIn(col, top, 1.0 - bound), "FractionalCategoricalRangeRule",
                    top.size() + " of " + byCount.size() + " categories cover " + ratio + " of values"));
        }
    }

    /** p - z sqrt(p (1 - p) / n), rounded down to two decimals (Deequ's RoundingMode.DOWN), at least 0. */
    static double lowerBound(double p, int n) {
        double raw = p - Z * Math.sqrt(p * (1 - p) / n);
        return Math.max(0.0, BigDecimal.valueOf(raw).setScale(2, RoundingMode.DOWN).doubleValue());
    }
}
