package dev.mlops.drift.multivariate;

import dev.mlops.api.Frame;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NannyML's preprocessing before PCA, fitted on the reference: missing continuous values get the
 * reference mean (scikit-learn's {@code SimpleImputer(strategy='mean')}), missing categorical
 * values the reference's most frequent value ({@code strategy='most_frequent'}, the smallest value
 * on a tie); categorical values are replaced by their share of the (imputed) reference rows
 * (category_encoders' {@code CountEncoder(normalize=True)}; a value the reference never had becomes
 * 0, its {@code handle_unknown='value'}); then every column is standardised with the reference
 * mean and population standard deviation ({@code StandardScaler}).
 */
final class ReconstructionPreprocessing {
    private final Columns columns;
    /** Continuous columns: the imputed value. */
    private final double[] imputedMean;
    /** Categorical columns: the imputed value and each value's share. */
    private final String[] imputedCategory;
    private final List<Map<String, Double>> shares;
    private final double[] scaleMean;
    private final double[] scaleStd;

    private ReconstructionPreprocessing(Columns columns) {
        this.columns = columns;
        int d = columns.names().size();
        imputedMean = new double[d];
        imputedCategory = new String[d];
        shares = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            shares.add(Map.of());
        }
        scaleMean = new double[d];
        scaleStd = new double[d];
    }

    static ReconstructionPreprocessing fit(Columns columns, Frame reference) {
        ReconstructionPreprocessing p = new ReconstructionPreprocessing(columns);
        int n = reference.rowCount();
        int d = columns.names().size();
        for (int j = 0; j < d; j++) {
            String name = columns.names().get(j);
            if (columns.continuous()[j]) {
                double[] v = Columns.numeric(reference, name, "reference");
                double sum = 0;
                int present = 0;
                for (double x : v) {
                    if (!Double.isNaN(x)) {
                        sum += x;
                        present++;
                    }
                }
                if (present == 0) {
                    throw new ValidationException("column '" + name + "' has no value in the reference (" + n
                            + " rows, all missing); expected values to impute the missing ones from");
                }
                p.imputedMean[j] = sum / present;
            } else {
                String[] v = Columns.strings(reference, name);
                Map<String, Integer> counts = new HashMap<>();
                for (String x : v) {
                    if (x != null) {
                        counts.merge(x, 1, Integer::sum);
                    }
                }
                if (counts.isEmpty()) {
                    throw new ValidationException("column '" + name + "' has no value in the reference (" + n
                            + " rows, all missing); expected values to impute the missing ones from");
                }
                String most = null;
                int best = -1;
                for (Map.Entry<String, Integer> e : counts.entrySet()) {
                    if (e.getValue() > best || (e.getValue() == best && e.getKey().compareTo(most) < 0)) {
                        most = e.getKey();
                        best = e.getValue();
                    }
                }
                p.imputedCategory[j] = most;
                int missing = n - counts.values().stream().mapToInt(Integer::intValue).sum();
                counts.merge(most, missing, Integer::sum);
                Map<String, Double> share = new HashMap<>();
                counts.forEach((k, c) -> share.put(k, (double) c / n));
                p.shares.set(j, share);
            }
        }
        double[] encoded = p.encode(reference, "reference", false);
        for (int j = 0; j < d; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += encoded[i * d + j];
            }
            double mean = sum / n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double e = encoded[i * d + j] - mean;
                ss += e * e;
            }
            double std = Math.sqrt(ss / n);
            if (!(std > 0)) {
                throw new ValidationException("column '" + columns.names().get(j) + "' is constant in the reference "
                        + "(every row " + (columns.continuous()[j] ? "is " + mean : "has one value") + " after imputation); "
                        + "expected a column that varies, PCA cannot scale a constant column");
            }
            p.scaleMean[j] = mean;
            p.scaleStd[j] = std;
        }
        return p;
    }

    /** @return the standardised rows, row-major (n × columns) */
    double[] transform(Frame data, String what) {
        columns.check(data, what);
        return encode(data, what, true);
    }

    private double[] encode(Frame data, String what, boolean scale) {
        int n = data.rowCount();
        int d = columns.names().size();
        double[] out = new double[n * d];
        for (int j = 0; j < d; j++) {
            String name = columns.names().get(j);
            if (columns.continuous()[j]) {
                double[] v = Columns.numeric(data, name, what);
                for (int i = 0; i < n; i++) {
                    out[i * d + j] = Double.isNaN(v[i]) ? imputedMean[j] : v[i];
                }
            } else {
                String[] v = Columns.strings(data, name);
                Map<String, Double> share = shares.get(j);
                for (int i = 0; i < n; i++) {
                    String x = v[i] == null ? imputedCategory[j] : v[i];
                    out[i * d + j] = share.getOrDefault(x, 0.0);
                }
            }
            if (scale) {
                for (int i = 0; i < n; i++) {
                    out[i * d + j] = (out[i * d + j] - scaleMean[j]) / scaleStd[j];
                }
            }
        }
        return out;
    }
}
