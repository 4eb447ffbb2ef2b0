package dev.mlops.drift;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The drift methods, by the names the CLI and the JSON report use.
 *
 * <p>Each method knows the column types it accepts, whether it yields a p-value (drift when
 * p &lt; threshold) or a distance (drift when statistic ≥ threshold), and its default threshold.
 * Default thresholds are Evidently's ({@code evidently.legacy.calculations.stattests}, the
 * {@code default_threshold} of each {@code StatTest}; a {@code StatTest} without one has 0.05):
 * {@code ks}, {@code chisquare}, {@code z}, {@code t_test}, {@code mannw}, {@code es} 0.05;
 * {@code anderson}, {@code cramer_von_mises}, {@code fisher_exact}, {@code g_test} 0.1 (p-values); {@code wasserstein} (normed),
 * {@code ed} (energy), {@code psi}, {@code kl_div}, {@code jensenshannon}, {@code hellinger},
 * {@code TVD} 0.1. Methods Evidently does not have take the convention of their kind:
 * {@link #CHI2_CONTINGENCY} 0.05 (a p-value), plain {@link #WASSERSTEIN} 0.1 (a distance in the
 * units of the data: set a threshold that fits the column).
 *
 * <p>Where our comparison differs from Evidently's code: Evidently flags KS and Cramér–von Mises
 * drift when p ≤ threshold and energy distance when &gt; threshold; here every test uses
 * p &lt; threshold and every distance ≥ threshold, as the issue specifies.
 */
public enum DriftMethod {

    /** Two-sample Kolmogorov–Smirnov, {@link NumericalTests#kolmogorovSmirnov}; Evidently {@code ks}, 0.05. */
    KS("ks", Kind.NUMERICAL, true, 0.05, true, NumericalTests::kolmogorovSmirnov, null),
    /** Cramér–von Mises, {@link NumericalTests#cramerVonMises}; Evidently {@code cramer_von_mises}, 0.1. */
    CVM("cvm", Kind.NUMERICAL, true, 0.1, true, NumericalTests::cramerVonMises, null),
    /**
     * Anderson–Darling, {@link NumericalTests#andersonDarling}; Evidently {@code anderson}, 0.1. The
     * p-value is capped to [0.001, 0.25] as in scipy.
     */
    ANDERSON("anderson", Kind.NUMERICAL, true, 0.1, true, NumericalTests::andersonDarling, null),
    /**
     * Two-sided Mann–Whitney U, {@link NumericalTests#mannWhitneyU}; Evidently {@code mannw}, 0.05
     * (Evidently runs it one-sided, {@code alternative='less'}).
     */
    MANN_WHITNEY("mann_whitney", Kind.NUMERICAL, true, 0.05, true, NumericalTests::mannWhitneyU, null),
    /**
     * Welch's t-test, {@link NumericalTests#welchT}; Evidently {@code t_test}, 0.05 (Evidently uses
     * Student's equal-variance test).
     */
    T_TEST("t_test", Kind.NUMERICAL, true, 0.05, false, NumericalTests::welchT, null),
    /**
     * Epps–Singleton test on the empirical characteristic function, {@link NumericalTests#eppsSingleton};
     * Evidently {@code es}, 0.05. Needs the raw samples (at least 5 values each) and a pooled
     * interquartile range above 0.
     */
    EPPS_SINGLETON("es", Kind.NUMERICAL, true, 0.05, false, NumericalTests::eppsSingleton, null),
    /** Wasserstein-1 distance, {@link NumericalTests#wasserstein}; no Evidently counterpart, 0.1. */
    WASSERSTEIN("wasserstein", Kind.NUMERICAL, false, 0.1, false, NumericalTests::wasserstein, null),
    /**
     * Wasserstein distance / max(std(reference), 0.001), {@link NumericalTests#normalizedWasserstein};
     * Evidently {@code wasserstein} ("Wasserstein distance (normed)"), 0.1.
     */
    WASSERSTEIN_NORM("wasserstein_norm", Kind.NUMERICAL, false, 0.1, false,
            NumericalTests::normalizedWasserstein, null),
    /** Energy distance, {@link NumericalTests#energyDistance}; Evidently {@code ed}, 0.1. */
    ENERGY("energy", Kind.NUMERICAL, false, 0.1, false, NumericalTests::energyDistance, null),
    /** Population stability index, {@link BinnedDistances#psi(BinnedShares)}; Evidently {@code psi}, 0.1. */
    PSI("psi", Kind.BOTH, false, 0.1, false, BinnedDistances::psi,
            c -> StatResult.distance(BinnedDistances.psi(BinnedDistances.shares(c)))),
    /** KL(reference ‖ current), {@link BinnedDistances#klDivergence(BinnedShares)}; Evidently {@code kl_div}, 0.1. */
    KL_DIV("kl_div", Kind.BOTH, false, 0.1, false, BinnedDistances::klDivergence,
            c -> StatResult.distance(BinnedDistances.klDivergence(BinnedDistances.shares(c)))),
    /**
     * Jensen–Shannon distance (natural log), {@link BinnedDistances#jensenShannon(BinnedShares)};
     * Evidently {@code jensenshannon}, 0.1.
     */
    JENSENSHANNON("jensenshannon", Kind.BOTH, false, 0.1, false, BinnedDistances::jensenShannon,
            c -> StatResult.distance(BinnedDistances.jensenShannon(BinnedDistances.shares(c)))),
    /** Hellinger distance, {@link BinnedDistances#hellinger(BinnedShares)}; Evidently {@code hellinger}, 0.1. */
    HELLINGER("hellinger", Kind.BOTH, false, 0.1, false, BinnedDistances::hellinger,
            c -> StatResult.distance(BinnedDistances.hellinger(BinnedDistances.shares(c)))),
    /**
     * Total variation distance, {@link BinnedDistances#totalVariation(BinnedShares)}; Evidently
     * {@code TVD}, 0.1 (Evidently compares a permutation p-value of the TVD with 0.1; here the
     * distance itself is compared).
     */
    TVD("tvd", Kind.BOTH, false, 0.1, false, BinnedDistances::totalVariation,
            c -> StatResult.distance(BinnedDistances.totalVariation(BinnedDistances.shares(c)))),
    /**
     * Chi-square goodness of fit, {@link CategoricalTests#chiSquareGoodnessOfFit}; Evidently
     * {@code chisquare}, 0.05. Numerical samples are tested with each distinct value as a category.
     */
    CHISQUARE("chisquare", Kind.BOTH, true, 0.05, true, null, CategoricalTests::chiSquareGoodnessOfFit),
    /**
     * Chi-square test of independence on the 2×k table, without Yates correction,
     * {@link CategoricalTests#chiSquareIndependence(String[], String[])}; 0.05. Numerical samples are
     * tested with each distinct value as a category.
     */
    CHI2_CONTINGENCY("chi2_contingency", Kind.BOTH, true, 0.05, true, null,
            c -> CategoricalTests.chiSquareIndependence(c, false)),
    /**
     * Two-proportion z-test for binary columns, {@link CategoricalTests#twoProportionZ(String[], String[])};
     * Evidently {@code z}, 0.05. For numerical samples with two distinct values the larger value is
     * the success.
     */
    Z("z", Kind.BOTH, true, 0.05, true, null, CategoricalTests::twoProportionZ),
    /**
     * Two-sided Fisher's exact test for binary columns, {@link CategoricalTests#fisherExact(String[], String[])};
     * Evidently {@code fisher_exact}, 0.1. For numerical samples with two distinct values the
     * smaller value is the first category.
     */
    FISHER_EXACT("fisher_exact", Kind.BOTH, true, 0.1, true, null, CategoricalTests::fisherExact),
    /**
     * G-test (log-likelihood ratio) of the current counts against the reference proportions,
     * {@link CategoricalTests#gTest(String[], String[])}; Evidently {@code g_test}, 0.1. Numerical
     * samples are tested with each distinct value as a category.
     */
    G_TEST("g_test", Kind.BOTH, true, 0.1, true, null, CategoricalTests::gTest);

    private enum Kind { NUMERICAL, CATEGORICAL, BOTH }

    private final String id;
    private final Kind kind;
    private final boolean pValue;
    private final double defaultThreshold;
    private final boolean acceptsInfinity;
    private final BiFunction<double[], double[], StatResult> numerical;
    /** On counts, so callers may count a column however suits them; see {@link Categories}. */
    private final Function<Categories, StatResult> categorical;

    DriftMethod(String id, Kind kind, boolean pValue, double defaultThreshold, boolean acceptsInfinity,
            BiFunction<double[], double[], StatResult> numerical,
            Function<Categories, StatResult> categorical) {
        this.id = id;
        this.kind = kind;
        this.pValue = pValue;
        this.defaultThreshold = defaultThreshold;
        this.acceptsInfinity = acceptsInfinity;
        this.numerical = numerical;
        this.categorical = categorical;
    }

    /** @return the CLI / JSON name, e.g. {@code "wasserstein_norm"} */
    public String id() {
        return id;
    }

    /** @return true if the method accepts numerical ({@code double[]}) samples */
    public boolean acceptsNumerical() {
        return kind != Kind.CATEGORICAL;
    }

    /** @return true if the method accepts categorical ({@code String[]}) samples */
    public boolean acceptsCategorical() {
        return kind != Kind.NUMERICAL;
    }

    /**
     * @return true if numerical samples may contain ±Infinity (rank-based tests and the
     *         categorical tests on numerical values); false if infinities are rejected
     */
    public boolean acceptsInfinity() {
        return acceptsInfinity;
    }

    /** @return true for hypothesis tests (drift when p &lt; threshold), false for distances */
    public boolean yieldsPValue() {
        return pValue;
    }

    /** @return Evidently's default threshold for this method (see the class comment) */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /**
     * The number compared with the threshold: the p-value of a test, the statistic of a distance.
     *
     * @param result a result of this method
     * @return the score
     */
    public double score(StatResult result) {
        Objects.requireNonNull(result, "result");
        if (pValue) {
            return result.pValue().orElseThrow(() -> new IllegalArgumentException(
                    "result of " + id + " has no p-value: " + result));
        }
        return result.statistic();
    }

    /**
     * The drift verdict: p &lt; threshold for tests, statistic ≥ threshold for distances.
     *
     * @param result    a result of this method
     * @param threshold the threshold
     * @return true if the result signals drift
     */
    public boolean isDrift(StatResult result, double threshold) {
        double score = score(result);
        return pValue ? score < threshold : score >= threshold;
    }

    /**
     * Runs the method on two numerical samples.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the result
     * @throws IllegalArgumentException if the method does not accept numerical samples or the
     *                                  samples break the method's input rules
     */
    public StatResult apply(double[] reference, double[] current) {
        if (numerical != null) {
            return numerical.apply(reference, current);
        }
        if (kind == Kind.CATEGORICAL) {
            throw new IllegalArgumentException(id + " does not accept numerical columns");
        }
        Samples.ordered(reference, Samples.REFERENCE);
        Samples.ordered(current, Samples.CURRENT);
        if (this == Z) {
            return numericalZ(reference, current);
        }
        if (this == FISHER_EXACT) {
            return numericalFisher(reference, current);
        }
        return categorical.apply(Categories.ofNumbers(reference, current));
    }

    /**
     * Runs the method on two categorical samples.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the result
     * @throws IllegalArgumentException if the method does not accept categorical samples or the
     *                                  samples break the method's input rules
     */
    public StatResult apply(String[] reference, String[] current) {
        if (categorical == null) {
            throw new IllegalArgumentException(id + " does not accept categorical columns");
        }
        return categorical.apply(Categories.of(reference, current));
    }

    /**
     * {@link #apply(double[], double[])} of samples already as {@link Samples#sorted} leaves them
     * (ascending, no −0.0), which the caller owns: the distances that would sort a copy of each
     * sample use these instead, so a column of millions of values is not copied again. The same
     * result to the bit, as the copies would equal the samples.
     */
    StatResult applySorted(double[] reference, double[] current) {
        return switch (this) {
            case WASSERSTEIN, WASSERSTEIN_NORM, ENERGY -> NumericalTests.sortedCdfDistance(this, reference, current);
            case PSI, KL_DIV, JENSENSHANNON, HELLINGER, TVD -> {
                Samples.finite(reference, Samples.REFERENCE);
                Samples.finite(current, Samples.CURRENT);
                BinnedShares shares = BinnedDistances.sortedShares(reference, current);
                yield StatResult.distance(switch (this) {
                    case PSI -> BinnedDistances.psi(shares);
                    case KL_DIV -> BinnedDistances.klDivergence(shares);
                    case JENSENSHANNON -> BinnedDistances.jensenShannon(shares);
                    case HELLINGER -> BinnedDistances.hellinger(shares);
                    default -> BinnedDistances.totalVariation(shares);
                });
            }
            default -> apply(reference, current);
        };
    }

    /**
     * Runs the method on counted categorical samples: what {@link #apply(String[], String[])}
     * gives for the samples counted.
     */
    StatResult apply(Categories categories) {
        if (categorical == null) {
            throw new IllegalArgumentException(id + " does not accept categorical columns");
        }
        return categorical.apply(categories);
    }

    /**
     * The method with this CLI name.
     *
     * @param id a name such as {@code "ks"}
     * @return the method, or empty if there is none by that name
     */
    public static Optional<DriftMethod> byId(String id) {
        Objects.requireNonNull(id, "id");
        for (DriftMethod m : values()) {
            if (m.id.equals(id)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The method with this CLI name, or an exception listing the valid names.
     *
     * @param id a name such as {@code "ks"}
     * @return the method
     * @throws IllegalArgumentException if no method has that name
     */
    public static DriftMethod parse(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("unknown drift method "
                + dev.mlops.api.Names.quote(id) + ": expected one of "
                + Arrays.stream(values()).map(DriftMethod::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }

    private static StatResult numericalZ(double[] reference, double[] current) {
        TreeMap<Double, long[]> counts = binaryCounts(reference, current, "the z-test");
        if (counts.size() == 1) {
            return StatResult.test(0.0, 1.0);
        }
        long[] success = counts.lastEntry().getValue();
        return CategoricalTests.twoProportionZ(success[0], reference.length, success[1], current.length);
    }

    private static StatResult numericalFisher(double[] reference, double[] current) {
        TreeMap<Double, long[]> counts = binaryCounts(reference, current, "Fisher's exact test");
        if (counts.size() == 1) {
            return StatResult.test(1.0, 1.0);
        }
        long[] first = counts.firstEntry().getValue();
        long[] second = counts.lastEntry().getValue();
        return CategoricalTests.fisherExact(first[0], second[0], first[1], second[1]);
    }

    /** Counts per distinct value in numeric order (−0.0 as 0.0): {reference, current}; at most two values. */
    private static TreeMap<Double, long[]> binaryCounts(double[] reference, double[] current, String test) {
        TreeMap<Double, long[]> counts = new TreeMap<>();
        for (double v : reference) {
            counts.computeIfAbsent(v == 0.0 ? 0.0 : v, k -> new long[2])[0]++;
        }
        for (double v : current) {
            counts.computeIfAbsent(v == 0.0 ? 0.0 : v, k -> new long[2])[1]++;
        }
        if (counts.size() > 2) {
            throw new IllegalArgumentException(test + " is for binary columns; the samples hold "
                    + counts.size() + " distinct values");
        }
        return counts;
    }

}
