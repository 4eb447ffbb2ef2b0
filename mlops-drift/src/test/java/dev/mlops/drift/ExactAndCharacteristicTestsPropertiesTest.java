package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of Fisher's exact test, the G-test and the Epps–Singleton test (issue 14), beyond
 * the scipy vectors: Fisher's p-value equals the exact rational sum over all tables, the tests
 * are symmetric where the mathematics says so, Epps–Singleton does not depend on the unit of
 * the data. Bounded by try count.
 */
class ExactAndCharacteristicTestsPropertiesTest {

    private static final int TRIES = 200;

    /**
     * The two-sided p-value is Σ P(table) over the tables with the observed margins that are at
     * most as likely as the observed one: computed here with exact binomial coefficients, where
     * "as likely" is an exact integer comparison (scipy's 1e-14 tolerance only matters for ties,
     * which are exact here).
     */
    @Property(tries = TRIES)
    void fisherEqualsTheExactRationalSum(@ForAll @IntRange(min = 0, max = 40) int a,
            @ForAll @IntRange(min = 0, max = 40) int b, @ForAll @IntRange(min = 0, max = 40) int c,
            @ForAll @IntRange(min = 0, max = 40) int d) {
        StatResult r = CategoricalTests.fisherExact(a, b, c, d);
        int n1 = a + b;
        int n2 = c + d;
        int n = a + c;
        double expected;
        if (n1 == 0 || n2 == 0 || n == 0 || b + d == 0) {
            expected = 1.0;
        } else {
            BigInteger observed = choose(n1, a).multiply(choose(n2, n - a));
            BigInteger sum = BigInteger.ZERO;
            for (int x = Math.max(0, n - n2); x <= Math.min(n, n1); x++) {
                BigInteger w = choose(n1, x).multiply(choose(n2, n - x));
                if (w.compareTo(observed) <= 0) {
                    sum = sum.add(w);
                }
            }
            expected = Math.min(1.0, new BigDecimal(sum).divide(new BigDecimal(choose(n1 + n2, n)),
                    MathContext.DECIMAL64).doubleValue());
        }
        assertThat(r.pValue().getAsDouble()).isCloseTo(expected, within(1e-12 * Math.max(expected, 1e-3)));
    }

    @Property(tries = TRIES)
    void fisherIsSymmetricInSamplesAndCategories(@ForAll @IntRange(min = 0, max = 300) int a,
            @ForAll @IntRange(min = 0, max = 300) int b, @ForAll @IntRange(min = 0, max = 300) int c,
            @ForAll @IntRange(min = 0, max = 300) int d) {
        StatResult r = CategoricalTests.fisherExact(a, b, c, d);
        StatResult samplesSwapped = CategoricalTests.fisherExact(c, d, a, b);
        StatResult categoriesSwapped = CategoricalTests.fisherExact(b, a, d, c);
        double p = r.pValue().getAsDouble();
        for (StatResult s : new StatResult[] {samplesSwapped, categoriesSwapped}) {
            assertThat(s.pValue().getAsDouble()).isCloseTo(p, within(1e-12 * Math.max(p, 1e-6)));
            if (r.statistic() == 1.0 || Double.isInfinite(r.statistic()) || r.statistic() == 0.0) {
                assertThat(s.statistic()).isEqualTo(r.statistic() == 1.0 ? 1.0
                        : r.statistic() == 0.0 ? Double.POSITIVE_INFINITY : 0.0);
            } else {
                assertThat(s.statistic()).isCloseTo(1 / r.statistic(), within(1e-12 / r.statistic()));
            }
        }
    }

    @Property(tries = TRIES)
    void gTestIsZeroWithPOneWhenTheSharesAreEqual(@ForAll("counts") long[] reference,
            @ForAll @IntRange(min = 1, max = 7) int factor) {
        long[] current = Arrays.stream(reference).map(v -> v * factor).toArray();
        StatResult r = CountTests.gTest(reference, current);
        assertThat(r.statistic()).isCloseTo(0.0, within(1e-9));
        assertThat(r.pValue().getAsDouble()).isCloseTo(1.0, within(1e-9));
    }

    @Property(tries = TRIES)
    void gTestIsNonNegativeAndItsPValueFallsAsGGrows(@ForAll("counts") long[] reference, @ForAll("counts") long[] current) {
        int k = Math.min(reference.length, current.length);
        long[] ref = Arrays.copyOf(reference, k);
        long[] cur = Arrays.copyOf(current, k);
        StatResult r = CountTests.gTest(ref, cur);
        assertThat(r.statistic()).isGreaterThanOrEqualTo(-1e-9);
        // doubling every current count doubles G (same shares, twice the evidence) and lowers p
        StatResult doubled = CountTests.gTest(ref, Arrays.stream(cur).map(v -> 2 * v).toArray());
        if (Double.isFinite(r.statistic())) {
            assertThat(doubled.statistic()).isCloseTo(2 * r.statistic(), within(1e-9 * Math.max(1, r.statistic())));
            assertThat(doubled.pValue().getAsDouble()).isLessThanOrEqualTo(r.pValue().getAsDouble() + 1e-12);
        } else {
            assertThat(doubled).isEqualTo(r);
        }
    }

    @Property(tries = TRIES)
    void eppsSingletonIsSymmetric(@ForAll("sample") double[] a, @ForAll("sample") double[] b) {
        if (!eppsSingletonApplies(a, b)) {
            return;
        }
        StatResult ab = NumericalTests.eppsSingleton(a, b);
        assertThat(NumericalTests.eppsSingleton(b, a)).isEqualTo(ab);
        assertThat(ab.statistic()).isGreaterThanOrEqualTo(0.0);
    }

    /** Scaling by a power of two is exact in binary: σ scales with it and t/σ·x does not change. */
    @Property(tries = TRIES)
    void eppsSingletonIgnoresTheUnit(@ForAll("sample") double[] a, @ForAll("sample") double[] b,
            @ForAll @IntRange(min = -20, max = 20) int exponent) {
        if (!eppsSingletonApplies(a, b)) {
            return;
        }
        double scale = Math.scalb(1.0, exponent);
        double[] as = Arrays.stream(a).map(v -> v * scale).toArray();
        double[] bs = Arrays.stream(b).map(v -> v * scale).toArray();
        assertThat(NumericalTests.eppsSingleton(as, bs)).isEqualTo(NumericalTests.eppsSingleton(a, b));
    }

    /** A shift rotates each (cos, sin) pair alike; the quadratic form does not see rotations. */
    @Property(tries = TRIES)
    void eppsSingletonIgnoresAShiftUpToRounding(@ForAll("continuous") double[] a, @ForAll("continuous") double[] b,
            @ForAll @IntRange(min = -8, max = 8) int shift) {
        double[] as = Arrays.stream(a).map(v -> v + shift).toArray();
        double[] bs = Arrays.stream(b).map(v -> v + shift).toArray();
        StatResult r = NumericalTests.eppsSingleton(a, b);
        StatResult s = NumericalTests.eppsSingleton(as, bs);
        assertThat(s.pValue().getAsDouble()).isCloseTo(r.pValue().getAsDouble(), within(1e-6));
    }

    // ------------------------------------------------------------------ generators

    /** Continuous values or small integers (many ties), 5..60 values. */
    @Provide
    Arbitrary<double[]> sample() {
        Arbitrary<Double> discrete = Arbitraries.integers().between(-4, 4).map(Integer::doubleValue);
        return Arbitraries.oneOf(continuous(), discrete.list().ofMinSize(5).ofMaxSize(60)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /** Distinct-valued continuous samples of 5..60 values on a grid of 1/64 (shifts stay exact). */
    @Provide
    Arbitrary<double[]> continuous() {
        return Arbitraries.integers().between(-640, 640).map(i -> i / 64.0).list().uniqueElements()
                .ofMinSize(5).ofMaxSize(60).map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Category counts, 2..8 categories, each seen in the reference. */
    @Provide
    Arbitrary<long[]> counts() {
        return Arbitraries.longs().between(1, 500).list().ofMinSize(2).ofMaxSize(8)
                .map(l -> l.stream().mapToLong(Long::longValue).toArray());
    }

    private static boolean eppsSingletonApplies(double[] a, double[] b) {
        double[] pooled = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, pooled, a.length, b.length);
        Arrays.sort(pooled);
        long da = Arrays.stream(a).distinct().count();
        long db = Arrays.stream(b).distinct().count();
        return da + db > 2 && EppsSingleton.percentile(pooled, 0.75) > EppsSingleton.percentile(pooled, 0.25);
    }

    private static BigInteger choose(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }
}
