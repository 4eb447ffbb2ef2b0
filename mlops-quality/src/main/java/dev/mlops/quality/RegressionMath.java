package dev.mlops.quality;

import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.quality.RegressionReport;

/** Regression metrics as scikit-learn 1.2 defines them. */
final class RegressionMath {
    private RegressionMath() {
    }

    static double mae(RegressionData d) {
        double[] a = d.actual();
        double[] p = d.predicted();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - p[i]);
        }
        return s / a.length;
    }

    static double rmse(RegressionData d) {
        double[] a = d.actual();
        double[] p = d.predicted();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - p[i];
            s += e * e;
        }
        return Math.sqrt(s / a.length);
    }

    /** NaN for a single row (scikit-learn warns and returns nan). */
    static double r2OrNaN(RegressionData d) {
        double[] a = d.actual();
        double[] p = d.predicted();
        if (a.length < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (double v : a) {
            mean += v;
        }
        mean /= a.length;
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - p[i];
            num += e * e;
            double c = a[i] - mean;
            den += c * c;
        }
        if (den == 0.0) {
            return num == 0.0 ? 1.0 : 0.0;
        }
        return 1.0 - num / den;
    }

    static double r2(RegressionData d) {
        double r2 = r2OrNaN(d);
        if (Double.isNaN(r2)) {
            throw new ValidationException("r2 is undefined for " + d.size() + " row; it needs at least two");
        }
        return r2;
    }

    static double mape(RegressionData d) {
        double[] a = d.actual();
        double[] p = d.predicted();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - p[i]) / Math.max(Math.abs(a[i]), ClassificationMath.EPS);
        }
        return s / a.length;
    }

    static RegressionReport report(RegressionData d) {
        return new RegressionReport(d.size(), mae(d), rmse(d), r2OrNaN(d), mape(d));
    }
}
