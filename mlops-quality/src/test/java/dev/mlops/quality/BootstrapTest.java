package dev.mlops.quality;

import dev.mlops.quality.testing.QualityReference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.Metric;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.PairedComparison;
import dev.mlops.api.quality.RegressionData;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bootstrap intervals and the paired bootstrap")
class BootstrapTest {
    /** The mean of the actual values: a Bernoulli sample's proportion. */
    static final Metric<RegressionData> MEAN = Metric.of("mean", true, d -> {
        double s = 0;
        for (double v : d.actual()) {
            s += v;
        }
        return s / d.size();
    });

    static ClassificationData germanCredit() {
        return MetricsReferenceTest.data(QualityReference.classificationCase("german-credit-logistic"));
    }

    @Test
    @DisplayName("the same seed gives the same interval; another seed another one")
    void seededDeterminism() {
        ClassificationData d = germanCredit();
        BootstrapOptions o = BootstrapOptions.defaults().withSeed(11);
        MetricEstimate a = Bootstrap.interval(d, Metrics.ROC_AUC, o);
        MetricEstimate b = Bootstrap.interval(d, Metrics.ROC_AUC, o);
        assertThat(a).isEqualTo(b);
        assertThat(a.value()).isEqualTo(Metrics.ROC_AUC.compute(d));
        assertThat(a.contains(a.value())).isTrue();
        assertThat(a.lower()).isLessThan(a.upper());
        assertThat(a.resamples()).isEqualTo(1000);
        assertThat(a.skipped()).isZero();
        MetricEstimate c = Bootstrap.interval(d, Metrics.ROC_AUC, o.withSeed(12));
        assertThat(c.lower()).isNotEqualTo(a.lower());
        // a wider confidence level gives a wider interval from the same resamples
        MetricEstimate w = Bootstrap.interval(d, Metrics.ROC_AUC, o.withConfidence(0.99));
        assertThat(w.lower()).isLessThanOrEqualTo(a.lower());
        assertThat(w.upper()).isGreaterThanOrEqualTo(a.upper());
    }

    @Test
    @DisplayName("a 95% interval of a Bernoulli(0.3) proportion covers 0.3 in a binomially plausible share of 200 seeded repetitions")
    void coverage() {
        double p = 0.3;
        int n = 200;
        int reps = 200;
        int covered = 0;
        for (int r = 0; r < reps; r++) {
            SplittableRandom sample = new SplittableRandom(1000 + r);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = sample.nextDouble() < p ? 1.0 : 0.0;
            }
            MetricEstimate e = Bootstrap.interval(RegressionData.of(x, new double[n]), MEAN,
                    BootstrapOptions.defaults().withSeed(r));
            if (e.contains(p)) {
                covered++;
            }
        }
        // The percentile interval's true coverage at n = 200 is close to, and slightly below, 95%:
        // accept anything that a coverage in [0.92, 0.97] makes plausible at the 0.1% / 99.9% quantiles.
        int lo = binomialQuantile(reps, 0.92, 0.001);
        int hi = binomialQuantile(reps, 0.97, 0.999);
        System.out.println("bootstrap coverage: " + covered + " of " + reps + ", accepted [" + lo + ", " + hi + "]");
        assertThat(covered).isBetween(lo, hi);
        assertThat(lo).isGreaterThan(170);
    }

    /** Smallest k with P[Bin(n, p) <= k] >= q. */
    static int binomialQuantile(int n, double p, double q) {
        double cdf = 0;
        for (int k = 0; k <= n; k++) {
            cdf += Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
            if (cdf >= q) {
                return k;
            }
        }
        return n;
    }

    static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }

    @Test
    @DisplayName("the percentile ends are numpy's linear quantiles")
    void quantiles() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Bootstrap.quantile(sorted, 0.025)).isEqualTo(1.225);
        assertThat(Bootstrap.quantile(sorted, 0.975)).isEqualTo(9.775);
        assertThat(Bootstrap.quantile(sorted, 0.5)).isEqualTo(5.5);
        assertThat(Bootstrap.quantile(new double[] {4}, 0.975)).isEqualTo(4);
    }

    @Test
    @DisplayName("paired bootstrap: a model compared with itself shows no improvement; a strictly better one does")
    void paired() {
        ClassificationData lr = germanCredit();
        PairedComparison same = Bootstrap.paired(lr, lr, Metrics.ACCURACY, BootstrapOptions.defaults());
        assertThat(same.improvement()).isZero();
        assertThat(same.lower()).isZero();
        assertThat(same.upper()).isZero();
        assertThat(same.pValue()).isEqualTo(1.0);
        assertThat(same.significantImprovement(0.05)).isFalse();

        // candidate: the logistic model with 60 of its errors corrected
        int[] actual = lr.actual();
        int[] better = lr.predicted();
        int fixed = 0;
        for (int i = 0; i < better.length && fixed < 60; i++) {
            if (better[i] != actual[i]) {
                better[i] = actual[i];
                fixed++;
            }
        }
        ClassificationData cand = ClassificationData.of(lr.classes(), actual, better);
        PairedComparison cmp = Bootstrap.paired(cand, ClassificationData.of(lr.classes(), actual, lr.predicted()),
                Metrics.ACCURACY, BootstrapOptions.defaults());
        assertThat(cmp.improvement()).isCloseTo(0.06, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(cmp.lower()).isGreaterThan(0);
        assertThat(cmp.pValue()).isEqualTo(1.0 / 1001);
        assertThat(cmp.significantImprovement(0.05)).isTrue();

        // a smaller-is-better metric is oriented so that positive means better
        PairedComparison ll = Bootstrap.paired(lr, lr, Metrics.LOG_LOSS, BootstrapOptions.defaults().withResamples(50));
        assertThat(ll.greaterIsBetter()).isFalse();
        assertThat(ll.improvement()).isZero();
    }

    @Test
    @DisplayName("always predicting the majority class is not significantly worse in accuracy than the logistic model on German credit")
    void luckyIsNotSignificant() {
        ClassificationData lr = germanCredit();
        int[] good = new int[lr.size()];
        java.util.Arrays.fill(good, 1);
        ClassificationData majority = ClassificationData.of(lr.classes(), lr.actual(), good);
        PairedComparison cmp = Bootstrap.paired(lr, majority, Metrics.ACCURACY, BootstrapOptions.defaults());
        assertThat(cmp.improvement()).isCloseTo(0.013, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(cmp.significantImprovement(0.05)).isFalse();
        assertThat(cmp.lower()).isLessThan(0);
        assertThat(McNemar.test(lr, majority).significantImprovement(0.05)).isFalse();
    }

    @Test
    @DisplayName("resamples where the metric is undefined are skipped and counted; none valid is an error")
    void skipped() {
        // 2 positives in 40 rows: some resamples have no positive and ROC AUC is undefined there
        int n = 40;
        int[] actual = new int[n];
        double[] score = new double[n];
        actual[3] = 1;
        actual[17] = 1;
        for (int i = 0; i < n; i++) {
            score[i] = (i * 37 % 41) / 41.0;
        }
        ClassificationData d = ClassificationData.binary(List.of("n", "p"), actual, score);
        MetricEstimate e = Bootstrap.interval(d, Metrics.ROC_AUC, BootstrapOptions.defaults());
        assertThat(e.skipped()).isBetween(100, 200); // P(no positive) = (38/40)^40 ≈ 0.129
        Metric<RegressionData> never = Metric.of("never", true, x -> {
            throw new ValidationException("undefined");
        });
        RegressionData r = RegressionData.of(new double[] {1, 2}, new double[] {1, 2});
        assertThatThrownBy(() -> Bootstrap.interval(r, Metric.of("nan-on-resamples", true, x -> x == r ? 0.0 : Double.NaN), BootstrapOptions.defaults().withResamples(3)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("every one of the 3 resamples");
        assertThatThrownBy(() -> Bootstrap.interval(r, never, BootstrapOptions.defaults()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("undefined");
    }

    @Test
    @DisplayName("options fail fast; a paired comparison of different rows is refused")
    void invalid() {
        assertThatThrownBy(() -> new BootstrapOptions(0, 0.95, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resamples is 0");
        assertThatThrownBy(() -> BootstrapOptions.defaults().withConfidence(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("confidence is 1.0");
        RegressionData a = RegressionData.of(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        RegressionData b = RegressionData.of(new double[] {1, 2, 4}, new double[] {1, 2, 3});
        assertThatThrownBy(() -> Bootstrap.paired(a, b, Metrics.MAE, BootstrapOptions.defaults()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("row 2");
        RegressionData c = RegressionData.of(new double[] {1, 2}, new double[] {1, 2});
        assertThatThrownBy(() -> Bootstrap.paired(a, c, Metrics.MAE, BootstrapOptions.defaults()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("3 rows").hasMessageContaining("2");
    }


    @Test
    @DisplayName("metric estimates round-trip through JSON")
    void json() {
        ClassificationData d = germanCredit();
        BootstrapOptions o = BootstrapOptions.defaults().withResamples(200);
        List<MetricEstimate> estimates = List.of(Bootstrap.interval(d, Metrics.ROC_AUC, o),
                Bootstrap.interval(d, Metrics.LOG_LOSS, o));
        String json = Bootstrap.toJson(estimates);
        assertThat(json).contains("\"kind\" : \"metric-estimates\"");
        assertThat(Bootstrap.estimatesFromJson(json)).isEqualTo(estimates);
    }
}
