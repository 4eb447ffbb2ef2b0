package dev.mlops.quality;

import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.SliceMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Group fairness of a classifier over the slices of a sensitive attribute, with fairlearn's
 * definitions ({@code selection_rate}, {@code true_positive_rate}, {@code false_positive_rate};
 * {@code demographic_parity_difference}/{@code _ratio}, {@code equalized_odds_difference} with
 * {@code method="between_groups"}, {@code agg="worst_case"}). The positive outcome is the data's
 * positive class ({@link ClassificationData#withPositive}).
 */
public final class Fairness {
    private Fairness() {
    }

    /**
     * @param data predictions with labels; its positive class is the favourable outcome
     * @param groups the sensitive value of every row (no nulls)
     * @param sensitive a name for the grouping, such as the column name
     * @return per-slice metrics and the gaps between slices
     * @throws ValidationException if lengths differ, a group is missing, or there is no positive class
     */
    public static FairnessReport assess(ClassificationData data, String[] groups, String sensitive) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(sensitive, "sensitive");
        if (groups.length != data.size()) {
            throw new ValidationException("the data has " + data.size() + " rows but " + Names.quote(sensitive) + " has "
                    + groups.length + " values; they must pair row for row");
        }
        int pos = data.positiveIndex();
        int[] actual = data.actual();
        int[] predicted = data.predicted();
        Map<String, int[]> counts = new TreeMap<>(); // count, actualPos, predPos, tp, fp, correct
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == null) {
                throw new ValidationException("row " + i + " has no value of sensitive attribute " + Names.quote(sensitive)
                        + "; fill missing values (for example with \"unknown\") so they form a slice");
            }
            int[] c = counts.computeIfAbsent(groups[i], k -> new int[6]);
            boolean t = actual[i] == pos;
            boolean p = predicted[i] == pos;
            c[0]++;
            c[1] += t ? 1 : 0;
            c[2] += p ? 1 : 0;
            c[3] += t && p ? 1 : 0;
            c[4] += !t && p ? 1 : 0;
            c[5] += actual[i] == predicted[i] ? 1 : 0;
        }
        List<SliceMetrics> slices = new ArrayList<>();
        double selMin = Double.POSITIVE_INFINITY;
        double selMax = Double.NEGATIVE_INFINITY;
        double tprMin = Double.POSITIVE_INFINITY;
        double tprMax = Double.NEGATIVE_INFINITY;
        double fprMin = Double.POSITIVE_INFINITY;
        double fprMax = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            double sel = (double) c[2] / c[0];
            double tpr = c[1] == 0 ? 0.0 : (double) c[3] / c[1];
            int neg = c[0] - c[1];
            double fpr = neg == 0 ? 0.0 : (double) c[4] / neg;
            slices.add(new SliceMetrics(e.getKey(), c[0], c[1], c[2], sel, tpr, fpr, (double) c[5] / c[0]));
            selMin = Math.min(selMin, sel);
            selMax = Math.max(selMax, sel);
            tprMin = Math.min(tprMin, tpr);
            tprMax = Math.max(tprMax, tpr);
            fprMin = Math.min(fprMin, fpr);
            fprMax = Math.max(fprMax, fpr);
        }
        double ratio = selMax == 0.0 ? 1.0 : selMin / selMax;
        return new FairnessReport(sensitive, data.classes().get(pos), slices, selMax - selMin, ratio,
                Math.max(tprMax - tprMin, fprMax - fprMin), tprMax - tprMin);
    }

    /**
     * Slices by a column of the evaluated frame: text values as they are, numbers in their
     * shortest form (use {@link #bins} for a continuous column).
     *
     * @param data predictions with labels, row for row with the frame
     * @param frame the evaluated frame
     * @param column the sensitive column
     * @return per-slice metrics and gaps
     */
    public static FairnessReport assess(ClassificationData data, Frame frame, String column) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(column, "column");
        String[] groups;
        if (frame.isNumeric(column)) {
            double[] d = frame.numeric(column);
            groups = new String[d.length];
            for (int i = 0; i < d.length; i++) {
                groups[i] = Double.isNaN(d[i]) ? null : ConstraintChecks.formatNumber(d[i]);
            }
        } else {
            groups = frame.strings(column);
        }
        return assess(data, groups, column);
    }

    /**
     * Labels numbers by intervals: with edges {@code e1 < ... < ek} the labels are {@code "< e1"},
     * {@code "[e1, e2)"}, ..., {@code ">= ek"} (edges in their shortest form), for example
     * {@code bins(age, 25, 40)} gives {@code "< 25"}, {@code "[25, 40)"}, {@code ">= 40"}.
     *
     * @param values the numbers
     * @param edges increasing finite edges, at least one
     * @return one label per value
     * @throws ValidationException if a value is NaN
     */
    public static String[] bins(double[] values, double... edges) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(edges, "edges");
        if (edges.length == 0) {
            throw new IllegalArgumentException("bins needs at least one edge");
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && edges[i] <= edges[i - 1])) {
                throw new IllegalArgumentException("edges must be finite and strictly increasing, got "
                        + java.util.Arrays.toString(edges));
            }
        }
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                throw new ValidationException("value " + i + " is NaN and falls in no bin");
            }
            if (v < edges[0]) {
                out[i] = "< " + ConstraintChecks.formatNumber(edges[0]);
            } else if (v >= edges[edges.length - 1]) {
                out[i] = ">= " + ConstraintChecks.formatNumber(edges[edges.length - 1]);
            } else {
                int k = 0;
                while (v >= edges[k + 1]) {
                    k++;
                }
                out[i] = "[" + ConstraintChecks.formatNumber(edges[k]) + ", " + ConstraintChecks.formatNumber(edges[k + 1])
                        + ")";
            }
        }
        return out;
    }

    /**
     * @param report a fairness report
     * @return its JSON document ({@code schemaVersion} 1, kind {@code fairness}: slices and gaps),
     *     to store with a model version for its model card
     */
    public static String toJson(FairnessReport report) {
        return QualityJson.fairness(Objects.requireNonNull(report, "report"));
    }

    /**
     * @param json a document written by {@link #toJson}
     * @return the report
     * @throws ValidationException if the document is malformed or of another schemaVersion
     */
    public static FairnessReport fromJson(String json) {
        return QualityJson.readFairness(Objects.requireNonNull(json, "json"));
    }
}
