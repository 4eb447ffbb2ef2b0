package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Must-show 2 (statistics half): symmetric where the mathematics says so, invariant to row order,
 * zero distance / p-value 1 for identical samples. Bounded by try count, never by time.
 */
class DriftPropertiesTest {

    private static final int TRIES = 200;

    // ------------------------------------------------------------------ generators

    /** Continuous values (ties unlikely) or small integers (many ties), 2..60 values. */
    @Provide
    Arbitrary<double[]> sample() {
        Arbitrary<Double> continuous = Arbitraries.doubles().between(-50, 50);
        Arbitrary<Double> discrete = Arbitraries.integers().between(-4, 4).map(Integer::doubleValue);
        return Arbitraries.oneOf(continuous.list().ofMinSize(2).ofMaxSize(60),
                        discrete.list().ofMinSize(2).ofMaxSize(60))
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Two samples whose reference-side binning regime is the same both ways round. */
    @Provide
    Arbitrary<double[][]> samePairRegime() {
        Arbitrary<double[]> wide = Arbitraries.doubles().between(-10, 10).list().ofMinSize(25).ofMaxSize(80)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray())
                .filter(a -> distinct(a) > BinnedDistances.MAX_VALUE_BINS);
        Arbitrary<double[]> narrow = Arbitraries.integers().between(0, 12).map(Integer::doubleValue)
                .list().ofMinSize(1).ofMaxSize(60).map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
        return Arbitraries.oneOf(Combinators.combine(wide, wide).as((a, b) -> new double[][] {a, b}),
                Combinators.combine(narrow, narrow).as((a, b) -> new double[][] {a, b}));
    }

    @Provide
    Arbitrary<String[]> categories() {
        return Arbitraries.of("a", "b", "c", "d", "long category name").list().ofMinSize(1).ofMaxSize(80)
                .map(l -> l.toArray(String[]::new));
    }

    @Provide
    Arbitrary<String[]> binary() {
        return Arbitraries.of("no", "yes").list().ofMinSize(1).ofMaxSize(80).map(l -> l.toArray(String[]::new));
    }

    static int distinct(double[] a) {
        return (int) Arrays.stream(a).distinct().count();
    }

    static double[] shuffled(double[] a, Random random) {
        List<Double> l = new ArrayList<>();
        for (double v : a) {
            l.add(v);
        }
        Collections.shuffle(l, random);
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String[] shuffled(String[] a, Random random) {
        List<String> l = new ArrayList<>(Arrays.asList(a));
        Collections.shuffle(l, random);
        return l.toArray(String[]::new);
    }

    // ------------------------------------------------------------------ symmetry

    @Property(tries = TRIES)
    void ksIsSymmetric(@ForAll("sample") double[] a, @ForAll("sample") double[] b) {
        assertThat(NumericalTests.kolmogorovSmirnov(b, a)).isEqualTo(NumericalTests.kolmogorovSmirnov(a, b));
    }

    @Property(tries = TRIES)
    void cramerVonMisesIsSymmetric(@ForAll("sample") double[] a, @ForAll("sample") double[] b) {
        StatResult ab = NumericalTests.cramerVonMises(a, b);
        StatResult ba = NumericalTests.cramerVonMises(b, a);
        assertThat(ba.statistic()).isCloseTo(ab.statistic(), within(1e-12 * Math.max(1, Math.abs(ab.statistic()))));
        assertThat(ba.pValue().getAsDouble()).isCloseTo(ab.pValue().getAsDouble(), within(1e-12));
    }

    @Property(tries = TRIES)
    void andersonDarlingIsSymmetric(@ForAll("sample") double[] a, @ForAll("sample") double[] b) {
        StatResult ab = NumericalTests.andersonDarling(a, b);
        StatResult ba = NumericalTests.andersonDarling(b, a);
        assertThat(ba.statistic()).isCloseTo(ab.statistic(), within(1e-9 * Math.max(1, Math.abs(ab.statistic()))));
        assertThat(ba.pValue().getAsDouble()).isCloseTo(ab.pValue().getAsDouble(), within(1e-9));
    }

    @Property(tries = TRIES)
    void mannWhitneyPValueIsSymmetricAndUsSumToNm(@ForAll("sample") double[] a, @ForAll("sample") double[] b) {
        StatResult ab = NumericalTests.mannWhitneyU(a, b);
        StatResult ba = NumericalTests.mannWhitneyU(b, a);
        assertThat(ba.pValue().getAsDouble()).isCloseTo(ab.pValue().getAsDouble(), within(1e-12));
        assertThat(ab.statistic() + ba.statistic()).isEqualTo((double) a.length * b.length);
    }

    @Property(tries = TRIES)
    void welchTIsAntisymmetric(@ForAll("sample") double[] a, @ForAll("sample") double[] b) {
        StatResult ab = NumericalTests.welchT(a, b);
        StatResult ba = NumericalTests.welchT(b, a);
        assertThat(ba.statistic()).isEqualTo(-ab.statistic(), within(1e-9 * Math.max(1, Math.abs(ab.statistic()))));
        assertThat(ba.pValue().getAsDouble()).isCloseTo(ab.pValue().getAsDouble(), within(1e-12));
    }

    @Property(tries = TRIES)
    void wassersteinAndEnergyAreSymmetric(@ForAll("sample") double[] a, @ForAll("sample") double[] b) {
        assertThat(NumericalTests.wasserstein(b, a).statistic())
                .isCloseTo(NumericalTests.wasserstein(a, b).statistic(), within(1e-12));
        assertThat(NumericalTests.energyDistance(b, a).statistic())
                .isCloseTo(NumericalTests.energyDistance(a, b).statistic(), within(1e-12));
    }

    @Property(tries = TRIES)
    void binnedDistancesAreSymmetric(@ForAll("samePairRegime") double[][] pair) {
        double[] a = pair[0];
        double[] b = pair[1];
        for (BiFunction<double[], double[], StatResult> f : List.<BiFunction<double[], double[], StatResult>>of(
                BinnedDistances::jensenShannon, BinnedDistances::hellinger, BinnedDistances::totalVariation,
                BinnedDistances::psi)) {
            assertThat(f.apply(b, a).statistic()).isCloseTo(f.apply(a, b).statistic(), within(1e-12));
        }
    }

    @Property(tries = TRIES)
    void categoricalDistancesAndTestsAreSymmetric(@ForAll("categories") String[] a, @ForAll("categories") String[] b) {
        for (BiFunction<String[], String[], StatResult> f : List.<BiFunction<String[], String[], StatResult>>of(
                BinnedDistances::jensenShannon, BinnedDistances::hellinger, BinnedDistances::totalVariation,
                BinnedDistances::psi, CategoricalTests::chiSquareIndependence)) {
            StatResult ab = f.apply(a, b);
            StatResult ba = f.apply(b, a);
            assertThat(ba.statistic()).isCloseTo(ab.statistic(), within(1e-12 * Math.max(1, ab.statistic())));
            if (ab.pValue().isPresent()) {
                assertThat(ba.pValue().getAsDouble()).isCloseTo(ab.pValue().getAsDouble(), within(1e-12));
            }
        }
    }

    @Property(tries = TRIES)
    void zTestIsAntisymmetric(@ForAll("binary") String[] a, @ForAll("binary") String[] b) {
        StatResult ab = CategoricalTests.twoProportionZ(a, b);
        StatResult ba = CategoricalTests.twoProportionZ(b, a);
        assertThat(ba.statistic()).isCloseTo(-ab.statistic(), within(1e-12));
        assertThat(ba.pValue().getAsDouble()).isCloseTo(ab.pValue().getAsDouble(), within(1e-12));
        StatResult chi = CategoricalTests.chiSquareIndependence(a, b);
        assertThat(chi.statistic()).isCloseTo(ab.statistic() * ab.statistic(), within(1e-9 * Math.max(1, chi.statistic())));
    }

    // ------------------------------------------------------------------ row order

    @Property(tries = TRIES)
    void numericalMethodsIgnoreRowOrder(@ForAll("sample") double[] a, @ForAll("sample") double[] b,
            @ForAll Random random) {
        double[] a2 = shuffled(a, random);
        double[] b2 = shuffled(b, random);
        for (DriftMethod m : DriftMethod.values()) {
            if (!m.acceptsNumerical() || !applies(m, a, b)) {
                continue;
            }
            StatResult r1 = m.apply(a, b);
            StatResult r2 = m.apply(a2, b2);
            if (m == DriftMethod.T_TEST || m == DriftMethod.WASSERSTEIN_NORM) {
                // means are summed in input order: equal up to rounding
                assertThat(r2.statistic()).as(m.id()).isCloseTo(r1.statistic(),
                        within(1e-9 * Math.max(1, Math.abs(r1.statistic()))));
            } else {
                assertThat(r2).as(m.id()).isEqualTo(r1);
            }
        }
    }

    @Property(tries = TRIES)
    void categoricalMethodsIgnoreRowOrder(@ForAll("categories") String[] a, @ForAll("categories") String[] b,
            @ForAll Random random) {
        String[] a2 = shuffled(a, random);
        String[] b2 = shuffled(b, random);
        for (DriftMethod m : DriftMethod.values()) {
            if (!m.acceptsCategorical() || m == DriftMethod.Z
                    || m == DriftMethod.FISHER_EXACT && Categories.count(a, b).size() > 2) {
                continue;
            }
            assertThat(m.apply(a2, b2)).as(m.id()).isEqualTo(m.apply(a, b));
        }
    }

    // ------------------------------------------------------------------ identical samples

    @Property(tries = TRIES)
    void identicalNumericalSamplesShowNoDrift(@ForAll("sample") double[] a, @ForAll Random random) {
        double[] b = shuffled(a, random);
        for (DriftMethod m : DriftMethod.values()) {
            if (!m.acceptsNumerical() || !applies(m, a, b)) {
                continue;
            }
            StatResult r = m.apply(a, b);
            if (m == DriftMethod.FISHER_EXACT) {
                assertThat(r).as(m.id()).isEqualTo(StatResult.test(1.0, 1.0)); // odds ratio 1: no association
            } else if (m == DriftMethod.ANDERSON) {
                assertThat(r.pValue().getAsDouble()).as(m.id()).isEqualTo(0.25);
            } else if (m == DriftMethod.MANN_WHITNEY) {
                assertThat(r.statistic()).as(m.id()).isEqualTo(a.length * (double) a.length / 2);
                assertThat(r.pValue().getAsDouble()).as(m.id()).isEqualTo(1.0);
            } else if (m == DriftMethod.CVM) {
                assertThat(r.pValue().getAsDouble()).as(m.id()).isEqualTo(1.0);
            } else {
                assertThat(r.statistic()).as(m.id()).isCloseTo(0.0, within(1e-12));
                r.pValue().ifPresent(p -> assertThat(p).as(m.id()).isCloseTo(1.0, within(1e-12)));
            }
            assertThat(m.isDrift(r, m.defaultThreshold())).as(m.id()).isFalse();
        }
    }

    @Property(tries = TRIES)
    void identicalDistinctSamplesGiveCramerVonMisesZero(@ForAll("sample") double[] a) {
        double[] distinct = Arrays.stream(a).distinct().toArray();
        if (distinct.length < 2) {
            distinct = new double[] {0.0, 1.0};
        }
        StatResult r = NumericalTests.cramerVonMises(distinct, distinct.clone());
        assertThat(r.statistic()).isCloseTo(0.0, within(1e-12));
        assertThat(r.pValue().getAsDouble()).isEqualTo(1.0);
    }

    @Property(tries = TRIES)
    void identicalCategoricalSamplesShowNoDrift(@ForAll("categories") String[] a, @ForAll Random random) {
        String[] b = shuffled(a, random);
        for (DriftMethod m : DriftMethod.values()) {
            if (!m.acceptsCategorical() || (m == DriftMethod.Z || m == DriftMethod.FISHER_EXACT)
                    && Arrays.stream(a).distinct().count() > 2) {
                continue;
            }
            StatResult r = m.apply(a, b);
            assertThat(r.statistic()).as(m.id()).isCloseTo(m == DriftMethod.FISHER_EXACT ? 1.0 : 0.0, within(1e-12));
            r.pValue().ifPresent(p -> assertThat(p).as(m.id()).isCloseTo(1.0, within(1e-12)));
            assertThat(m.isDrift(r, m.defaultThreshold())).as(m.id()).isFalse();
        }
    }

    // ------------------------------------------------------------------ ranges

    @Property(tries = TRIES)
    void boundedDistancesStayInTheirRange(@ForAll("sample") double[] a, @ForAll("sample") double[] b) {
        assertThat(BinnedDistances.jensenShannon(a, b).statistic()).isBetween(0.0, Math.sqrt(Math.log(2)) + 1e-15);
        assertThat(BinnedDistances.hellinger(a, b).statistic()).isBetween(0.0, 1.0);
        assertThat(BinnedDistances.totalVariation(a, b).statistic()).isBetween(0.0, 1.0);
        assertThat(BinnedDistances.psi(a, b).statistic()).isGreaterThanOrEqualTo(0.0);
        assertThat(BinnedDistances.klDivergence(a, b).statistic()).isGreaterThanOrEqualTo(-1e-15);
        assertThat(NumericalTests.kolmogorovSmirnov(a, b).statistic()).isBetween(0.0, 1.0);
    }

    /** Found by the property above: shares summing to a hair over 1 gave a distance of 1 + 1.3e-15. */
    @Example
    void totalVariationOfDisjointSamplesIsExactlyOne() {
        double[] a = {-0.08, -0.08};
        double[] b = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                -0.01, 0.01, 0.02, -0.02, 0.03, -0.03, 0.04, -0.04, 0.05, -0.05, 0.06, -0.06, 0.07, -0.07,
                0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.19};
        assertThat(BinnedDistances.totalVariation(a, b).statistic()).isBetween(0.0, 1.0);
    }

    /**
     * Whether the samples meet the method's documented input rules: the binary tests take at most
     * two values, Epps–Singleton at least 5 values a side, a pooled interquartile range above 0
     * and not two constant samples.
     */
    private static boolean applies(DriftMethod m, double[] a, double[] b) {
        if (m == DriftMethod.Z || m == DriftMethod.FISHER_EXACT) {
            return distinct(concat(a, b)) <= 2;
        }
        if (m == DriftMethod.EPPS_SINGLETON) {
            double[] pooled = concat(a, b);
            Arrays.sort(pooled);
            return a.length >= 5 && b.length >= 5 && distinct(a) + distinct(b) > 2
                    && EppsSingleton.percentile(pooled, 0.75) > EppsSingleton.percentile(pooled, 0.25);
        }
        return true;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
