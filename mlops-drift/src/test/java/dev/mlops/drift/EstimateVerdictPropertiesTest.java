package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The rule for estimates (docs/drift.md, "Estimates and uncertain verdicts"), over profile sizes:
 * sketches of k = 8 to 400 and grids of 2 to 512 cells, against the exact statistic of the same
 * data. A statistic estimated from a profile lies in its interval; its p-value lies in the p-value
 * interval; a plain verdict (drift, no drift) is the exact verdict; an exact result has no
 * interval and the exact verdict. The dataset verdict: drift or no drift only if every way of
 * resolving the uncertain columns gives it.
 */
class EstimateVerdictPropertiesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-31T12:00:00Z"), ZoneOffset.UTC);
    private static final DriftReport.Window WINDOW = new DriftReport.Window(Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2025-01-02T00:00:00Z"), 1);
    private static final double EPS = 1e-9;

    @Property(tries = 150)
    void aKsEstimateHoldsTheExactStatisticAndItsVerdictIsNeverWrong(@ForAll @IntRange(min = 8, max = 400) int sketchK,
            @ForAll @IntRange(min = 2, max = 512) int gridCells, @ForAll @IntRange(min = 30, max = 1500) int referenceRows,
            @ForAll @IntRange(min = 10, max = 400) int currentRows, @ForAll @DoubleRange(min = 0, max = 1.5) double shift,
            @ForAll long seed) {
        Random random = new Random(seed);
        double[] ref = sample(random, referenceRows, 0.0);
        double[] cur = sample(random, currentRows, shift);
        ReferenceProfile profile = ReferenceProfile.of(DriftAnalysisTest.numeric("x", ref),
                ProfileOptions.builder().sketchK(sketchK).gridCells(gridCells).build());
        MonitorPolicy policy = MonitorPolicy.builder().method("x", DriftMethod.KS).build();
        DriftReport estimated = profile.compare(WindowState.of(profile, DriftAnalysisTest.numeric("x", cur), WINDOW), policy,
                CLOCK);
        ColumnDrift c = estimated.column("x").orElseThrow();

        double exactD = DriftMethod.KS.apply(ref, cur).statistic();
        double exactP = CountTests.ksPValue(exactD, ref.length, cur.length)[1];
        boolean exactDrift = exactP < c.threshold();
        // the property must see every case, or it proves nothing about it
        Statistics.label("ks").collect(c.statisticInterval().isPresent() ? "estimated" : "exact", c.verdict());
        Statistics.label("ks").coverage(check -> {
            check.check("estimated", Verdict.UNCERTAIN).count((Integer n) -> n > 0);
            check.check("estimated", Verdict.DRIFT).count((Integer n) -> n > 0);
            check.check("estimated", Verdict.NO_DRIFT).count((Integer n) -> n > 0);
        });
        if (c.statisticInterval().isEmpty()) {
            assertThat(c.statistic()).isCloseTo(exactD, org.assertj.core.data.Offset.offset(EPS));
            assertThat(c.pValueInterval()).isEmpty();
            assertThat(c.verdict()).isEqualTo(exactDrift ? Verdict.DRIFT : Verdict.NO_DRIFT);
            return;
        }
        Interval d = c.statisticInterval().get();
        Interval p = c.pValueInterval().orElseThrow();
        assertThat(exactD).as("exact D in the statistic's interval").isBetween(d.low() - EPS, d.high() + EPS);
        assertThat(exactP).as("exact p in the p-value's interval").isBetween(p.low() - EPS, p.high() + EPS);
        assertThat(d.contains(c.statistic())).isTrue();
        switch (c.verdict()) {
            case DRIFT -> assertThat(exactDrift).as("a plain drift verdict is the exact one").isTrue();
            case NO_DRIFT -> assertThat(exactDrift).as("a plain no-drift verdict is the exact one").isFalse();
            case UNCERTAIN -> assertThat(p.low() < c.threshold() && p.high() >= c.threshold())
                    .as("uncertain only when the p-value interval straddles the threshold").isTrue();
            default -> throw new AssertionError("unexpected verdict " + c.verdict());
        }
        assertThat(c.drifted()).isEqualTo(c.verdict() == Verdict.DRIFT);
    }

    @Property(tries = 100)
    void aWassersteinEstimateHoldsTheExactDistance(@ForAll @IntRange(min = 8, max = 400) int sketchK,
            @ForAll @IntRange(min = 2, max = 512) int gridCells, @ForAll @IntRange(min = 30, max = 1500) int referenceRows,
            @ForAll @IntRange(min = 10, max = 400) int currentRows, @ForAll @DoubleRange(min = 0, max = 1.5) double shift,
            @ForAll long seed) {
        Random random = new Random(seed);
        double[] ref = sample(random, referenceRows, 0.0);
        double[] cur = sample(random, currentRows, shift);
        ReferenceProfile profile = ReferenceProfile.of(DriftAnalysisTest.numeric("x", ref),
                ProfileOptions.builder().sketchK(sketchK).gridCells(gridCells).build());
        MonitorPolicy policy = MonitorPolicy.builder().method("x", DriftMethod.WASSERSTEIN).build();
        ColumnDrift c = profile.compare(WindowState.of(profile, DriftAnalysisTest.numeric("x", cur), WINDOW), policy, CLOCK)
                .column("x").orElseThrow();
        double exact = DriftMethod.WASSERSTEIN.apply(ref, cur).statistic();
        if (c.statisticInterval().isEmpty()) {
            assertThat(c.statistic()).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, exact)));
            return;
        }
        Interval w = c.statisticInterval().get();
        assertThat(exact).isBetween(w.low() - 1e-9, w.high() + 1e-9);
        boolean exactDrift = exact >= c.threshold();
        if (c.verdict() == Verdict.DRIFT) {
            assertThat(exactDrift).isTrue();
        } else if (c.verdict() == Verdict.NO_DRIFT) {
            assertThat(exactDrift).isFalse();
        } else {
            assertThat(w.low() < c.threshold() && w.high() >= c.threshold()).isTrue();
        }
    }

    @Property(tries = 500)
    void theDatasetVerdictIsPlainOnlyWhenEveryResolutionOfTheUncertainColumnsAgrees(
            @ForAll @IntRange(min = 0, max = 20) int drifted, @ForAll @IntRange(min = 0, max = 20) int uncertain,
            @ForAll @IntRange(min = 0, max = 20) int notDrifted, @ForAll @DoubleRange(min = 0.01, max = 1.0) double threshold) {
        int compared = drifted + uncertain + notDrifted;
        Interval share = Verdicts.shareInterval(drifted, uncertain, compared);
        Verdict verdict = Verdicts.dataset(share, threshold, compared);
        boolean someDrift = false;
        boolean someNoDrift = false;
        for (int k = 0; k <= uncertain; k++) { // k of the uncertain columns in fact drifted
            boolean drift = compared > 0 && (double) (drifted + k) / compared >= threshold;
            someDrift |= drift;
            someNoDrift |= !drift;
        }
        Verdict expected = someDrift && someNoDrift ? Verdict.UNCERTAIN : someDrift ? Verdict.DRIFT : Verdict.NO_DRIFT;
        assertThat(verdict).isEqualTo(expected);
        if (uncertain == 0 && compared > 0) {
            assertThat(share.low()).isEqualTo(share.high());
        }
    }

    @Property(tries = 200)
    void anExactResultKeepsItsPlainVerdict(@ForAll @DoubleRange(min = 0, max = 1) double score,
            @ForAll @DoubleRange(min = 0.01, max = 1) double threshold) {
        assertThat(Verdicts.column(DriftMethod.KS, threshold, score, Optional.empty()))
                .isEqualTo(score < threshold ? Verdict.DRIFT : Verdict.NO_DRIFT);
        assertThat(Verdicts.column(DriftMethod.PSI, threshold, score, Optional.empty()))
                .isEqualTo(score >= threshold ? Verdict.DRIFT : Verdict.NO_DRIFT);
    }

    /** Normal values rounded to 0.1 (ties, as measurements have), shifted. */
    private static double[] sample(Random random, int n, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.round((random.nextGaussian() + shift) * 10) / 10.0;
        }
        return x;
    }
}
