package dev.mlops.drift;

import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import java.util.Optional;

/**
 * The verdict rules for estimated statistics, one place for the batch analysis and the profile
 * comparisons (docs/drift.md, "Estimates and uncertain verdicts"). Package-private.
 *
 * <p>A column's statistic is exact, or estimated with an interval that holds the exact value.
 * Exact: drift as the method decides. Estimated: the verdict is drift (or no drift) only when
 * every value of the interval gives it (for a test, every p-value of the p-value interval);
 * otherwise uncertain. The data set: drifted columns {@code d}, uncertain {@code u}, compared
 * {@code n}; the drift share lies in {@code [d / n, (d + u) / n]}; drift when the low end reaches
 * the threshold, no drift when the high end is below it, else uncertain.
 */
final class Verdicts {

    private Verdicts() {
    }

    /**
     * @param method the method (a test decides on the p-value, a distance on the statistic)
     * @param threshold the threshold
     * @param score the p-value (tests) or statistic (distances) that decides an exact result
     * @param interval for an estimate: the interval of the score (p-values for a test)
     * @return the verdict
     */
    static Verdict column(DriftMethod method, double threshold, double score, Optional<Interval> interval) {
        if (interval.isEmpty()) {
            return drift(method, threshold, score) ? Verdict.DRIFT : Verdict.NO_DRIFT;
        }
        boolean low = drift(method, threshold, interval.get().low());
        boolean high = drift(method, threshold, interval.get().high());
        if (low && high) {
            return Verdict.DRIFT;
        }
        return !low && !high ? Verdict.NO_DRIFT : Verdict.UNCERTAIN;
    }

    private static boolean drift(DriftMethod method, double threshold, double score) {
        return method.yieldsPValue() ? score < threshold : score >= threshold;
    }

    /**
     * @return the drift share's interval: uncertain columns counted as not drifted, then as drifted
     */
    static Interval shareInterval(int drifted, int uncertain, int compared) {
        if (compared == 0) {
            return new Interval(0.0, 0.0);
        }
        return new Interval((double) drifted / compared, (double) (drifted + uncertain) / compared);
    }

    /**
     * @param share the drift share's interval
     * @param threshold the dataset drift share threshold
     * @param compared columns with a verdict
     * @return the dataset verdict
     */
    static Verdict dataset(Interval share, double threshold, int compared) {
        if (compared == 0 || share.high() < threshold) {
            return Verdict.NO_DRIFT;
        }
        return share.low() >= threshold ? Verdict.DRIFT : Verdict.UNCERTAIN;
    }
}
