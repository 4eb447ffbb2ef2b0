package dev.mlops.drift.multivariate;

import dev.mlops.api.ValidationException;
import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * scikit-learn's {@code PCA} as NannyML uses it: the principal axes of the centred data, found
 * here as the eigenvectors of its covariance matrix (scikit-learn's own {@code covariance_eigh}
 * solver for many more rows than columns; EJML's symmetric QR algorithm), sorted by explained
 * variance. With a share {@code s} in (0, 1), the number of components is the smallest {@code k}
 * whose cumulative explained variance ratio exceeds {@code s} (scikit-learn's
 * {@code searchsorted(cumsum, s, side='right') + 1}).
 */
final class Pca {
    private final int columns;
    private final double[] mean;
    /** The k components, row-major (k × columns). */
    private final double[] components;
    private final int k;
    private final double[] explainedVarianceRatio;

    private Pca(int columns, double[] mean, double[] components, int k, double[] explainedVarianceRatio) {
        this.columns = columns;
        this.mean = mean;
        this.components = components;
        this.k = k;
        this.explainedVarianceRatio = explainedVarianceRatio;
    }

    /**
     * @param x rows, row-major (n × d)
     * @param d columns
     * @param share the explained variance to keep, in (0, 1), or NaN to use {@code count}
     * @param count the number of components when {@code share} is NaN
     */
    static Pca fit(double[] x, int d, double share, int count) {
        int n = x.length / d;
        if (n < 2) {
            throw new ValidationException("the reference data has " + n + " row; expected at least 2 rows to fit PCA");
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                row[j] = x[i * d + j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ra = row[a];
                for (int b = a; b < d; b++) {
                    cov.data[a * d + b] += ra * row[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double v = cov.data[a * d + b] / (n - 1);
                cov.data[a * d + b] = v;
                cov.data[b * d + a] = v;
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException("the eigen-decomposition of the " + d + "x" + d + " covariance matrix failed");
        }
        Integer[] order = new Integer[d];
        double[] values = new double[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
            // a covariance matrix has no negative eigenvalue; rounding can give -1e-17
            values[j] = Math.max(0, eig.getEigenvalue(j).getReal());
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> values[j]).reversed());
        double total = 0;
        for (double v : values) {
            total += v;
        }
        double[] ratio = new double[d];
        for (int j = 0; j < d; j++) {
            ratio[j] = values[order[j]] / total;
        }
        int k;
        if (Double.isNaN(share)) {
            if (count > d) {
                throw new ValidationException(count + " components asked for " + d + " columns; expected at most " + d);
            }
            k = count;
        } else {
            k = 0;
            double cumulative = 0;
            while (k < d && cumulative + ratio[k] <= share) {
                cumulative += ratio[k];
                k++;
            }
            k = Math.min(k + 1, d);
        }
        double[] components = new double[k * d];
        for (int c = 0; c < k; c++) {
            DMatrixRMaj v = eig.getEigenVector(order[c]);
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += v.data[j] * v.data[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                components[c * d + j] = v.data[j] / norm;
            }
        }
        return new Pca(d, mean, components, k, ratio);
    }

    int components() {
        return k;
    }

    double[] explainedVarianceRatio() {
        return explainedVarianceRatio.clone();
    }

    /**
     * The Euclidean distance of each row from its reconstruction {@code inverse_transform(transform(x))}.
     *
     * @param x rows, row-major
     * @param from first row, inclusive
     * @param to last row, exclusive
     */
    double[] reconstructionErrors(double[] x, int from, int to) {
        int d = columns;
        double[] errors = new double[to - from];
        double[] centred = new double[d];
        double[] scores = new double[k];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < d; j++) {
                centred[j] = x[i * d + j] - mean[j];
            }
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += centred[j] * components[c * d + j];
                }
                scores[c] = s;
            }
            double sum = 0;
            for (int j = 0; j < d; j++) {
                double reconstructed = 0;
                for (int c = 0; c < k; c++) {
                    reconstructed += scores[c] * components[c * d + j];
                }
                double e = centred[j] - reconstructed;
                sum += e * e;
            }
            errors[i - from] = Math.sqrt(sum);
        }
        return errors;
    }
}
