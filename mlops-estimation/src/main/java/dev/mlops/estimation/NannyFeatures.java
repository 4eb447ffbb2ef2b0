package dev.mlops.estimation;

import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * The nanny models' inputs, as NannyML's DLE gives them to LightGBM: the monitored model's features
 * and its prediction. Numeric features are given as they are, a missing value (NaN) left out so that
 * XGBoost treats it as missing; a categorical feature becomes one indicator per category (one-hot),
 * a missing value (null) a category of its own, as NannyML's imputer makes it. A category the
 * reference never held gives no indicator at all, so the trees send it down their missing-value
 * branches (NannyML encodes it as LightGBM's "unknown" category 0).
 */
final class NannyFeatures {
    static final String PREDICTION = "prediction";

    private final List<String> numeric;
    private final List<String> categorical;

    NannyFeatures(RegressionOutputs reference) {
        this.numeric = reference.numericFeatures();
        this.categorical = reference.categoricalFeatures();
    }

    List<String> names() {
        List<String> out = new ArrayList<>(numeric);
        out.addAll(categorical);
        return out;
    }

    /** Refuses data whose features are not the reference's, by name and kind. */
    void checkSameFeatures(RegressionOutputs data, String what) {
        for (String n : data.numericFeatures()) {
            if (!numeric.contains(n)) {
                throw new ValidationException("the " + what + " data has " + (categorical.contains(n)
                        ? "numeric feature '" + n + "', which is categorical in the reference"
                        : "unknown feature '" + n + "'") + "; expected the reference's features: numeric " + numeric
                        + ", categorical " + categorical);
            }
        }
        for (String c : data.categoricalFeatures()) {
            if (!categorical.contains(c)) {
                throw new ValidationException("the " + what + " data has " + (numeric.contains(c)
                        ? "categorical feature '" + c + "', which is numeric in the reference"
                        : "unknown feature '" + c + "'") + "; expected the reference's features: numeric " + numeric
                        + ", categorical " + categorical);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String n : numeric) {
            if (!data.numericFeatures().contains(n)) {
                missing.add(n);
            }
        }
        for (String c : categorical) {
            if (!data.categoricalFeatures().contains(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new ValidationException("the " + what + " data lacks feature(s) " + missing
                    + "; expected the reference's features: numeric " + numeric + ", categorical " + categorical);
        }
    }

    /**
     * @param order row positions in the order wanted (time order), or null for the given order
     * @return per row, the nanny feature names and their values
     */
    Encoded encode(RegressionOutputs data, int[] order) {
        int n = data.size();
        double[][] num = new double[numeric.size()][];
        for (int f = 0; f < num.length; f++) {
            num[f] = data.numericArray(numeric.get(f));
        }
        String[][] cat = new String[categorical.size()][];
        String[] catPrefix = new String[categorical.size()];
        for (int f = 0; f < cat.length; f++) {
            cat[f] = data.categoricalArray(categorical.get(f));
            String name = categorical.get(f);
            // the length makes the name unambiguous whatever characters names and categories hold
            catPrefix[f] = "c" + name.length() + ":" + name;
        }
        double[] predicted = data.predictedArray();
        String[][] names = new String[n][];
        double[][] values = new double[n][];
        for (int i = 0; i < n; i++) {
            int row = order == null ? i : order[i];
            List<String> rowNames = new ArrayList<>(num.length + cat.length + 1);
            List<Double> rowValues = new ArrayList<>(num.length + cat.length + 1);
            for (int f = 0; f < num.length; f++) {
                double v = num[f][row];
                if (!Double.isNaN(v)) {
                    rowNames.add("n:" + numeric.get(f));
                    rowValues.add(v);
                }
            }
            for (int f = 0; f < cat.length; f++) {
                String v = cat[f][row];
                rowNames.add(v == null ? catPrefix[f] + "?" : catPrefix[f] + "=" + v);
                rowValues.add(1.0);
            }
            rowNames.add(PREDICTION);
            rowValues.add(predicted[row]);
            names[i] = rowNames.toArray(String[]::new);
            values[i] = rowValues.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new Encoded(names, values);
    }

    /** Per row, feature names and values (same length). */
    record Encoded(String[][] names, double[][] values) {
        int size() {
            return names.length;
        }
    }
}
