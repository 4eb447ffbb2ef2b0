package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DLE on generated data whose loss depends on the inputs: the error's spread grows with x, and is
 * twice as large for category "b". When the analysis data move to large x, the realized errors grow
 * with no change in the relation between inputs and target (covariate shift, DLE's case), and the
 * estimate must follow them.
 */
class DleBehaviourTest {
    private static final int CHUNK = 500;
    static FittedDle dle;
    static RegressionOutputs analysis;
    static EstimationResult withTargets;

    /** Rows of y = 2x + 1 + e, e ~ N(0, (0.1 + x) · (1 or 2 for "b")); the model predicts 2x + 1. */
    static RegressionOutputs rows(SplittableRandom r, int n, double xFrom, double xTo, List<Double> ys) {
        double[] x = new double[n];
        double[] z = new double[n];
        double[] p = new double[n];
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = xFrom + (xTo - xFrom) * r.nextDouble();
            z[i] = r.nextDouble();    // a feature that does not matter
            c[i] = r.nextDouble() < 0.3 ? "b" : "a";
            p[i] = 2 * x[i] + 1;
            double sd = (0.1 + x[i]) * (c[i].equals("b") ? 2 : 1);
            ys.add(p[i] + sd * r.nextGaussian());
        }
        return RegressionOutputs.of(p).withNumericFeature("x", x).withNumericFeature("z", z)
                .withCategoricalFeature("c", Arrays.asList(c));
    }

    static RegressionOutputs concat(List<RegressionOutputs> parts) {
        int n = parts.stream().mapToInt(RegressionOutputs::size).sum();
        double[] p = new double[n];
        double[] x = new double[n];
        double[] z = new double[n];
        List<String> c = new ArrayList<>();
        int at = 0;
        for (RegressionOutputs part : parts) {
            System.arraycopy(part.predictedArray(), 0, p, at, part.size());
            System.arraycopy(part.numericArray("x"), 0, x, at, part.size());
            System.arraycopy(part.numericArray("z"), 0, z, at, part.size());
            c.addAll(Arrays.asList(part.categoricalArray("c")));
            at += part.size();
        }
        return RegressionOutputs.of(p).withNumericFeature("x", x).withNumericFeature("z", z).withCategoricalFeature("c", c);
    }

    static double[] toArray(List<Double> ys) {
        return ys.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static FittedDle fit() {
        SplittableRandom r = new SplittableRandom(7);
        List<Double> y = new ArrayList<>();
        RegressionOutputs reference = rows(r, 6 * CHUNK, 0, 1, y);
        return Dle.builder().metrics(DleMetric.MAE, DleMetric.RMSE).chunking(Chunking.bySize(CHUNK))
                .fit(reference.withTargets(toArray(y)));
    }

    @BeforeAll
    static void fitAndEstimate() {
        dle = fit();
        SplittableRandom r = new SplittableRandom(8);
        List<Double> y = new ArrayList<>();
        List<RegressionOutputs> parts = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            // three chunks as the reference, then three chunks of large x: larger errors
            parts.add(c < 3 ? rows(r, CHUNK, 0, 1, y) : rows(r, CHUNK, 0.6, 1, y));
        }
        analysis = concat(parts);
        withTargets = dle.estimate(analysis.withTargets(toArray(y)));
    }

    @Test
    void theEstimateFollowsTheRealizedLossAndAlertsWhereItRose() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("mae", "rmse")) {
            double absSum = 0;
            double seSum = 0;
            for (ChunkEstimate e : withTargets.metric(name)) {
                double realized = e.realized().orElseThrow();
                absSum += Math.abs(e.value() - realized);
                seSum += e.samplingError();
                out.append(String.format("%s %s estimated %.4f realized %.4f se %.4f upper %.4f %s%n", name,
                        e.chunk().key(), e.value(), realized, e.samplingError(), e.upperThreshold().orElseThrow(),
                        e.alert() ? "alert" : ""));
            }
            int n = withTargets.metric(name).size();
            assertThat(absSum / n).as(name + ": mean absolute error of the estimate").isLessThan(1.5 * seSum / n);
            List<Integer> alerted = withTargets.alerts(name).stream().map(Chunk::index).toList();
            assertThat(alerted).as(name + " alerts").containsExactly(3, 4, 5);
            for (int c = 3; c < 6; c++) {
                assertThat(withTargets.metric(name).get(c).realized().orElseThrow())
                        .as("the realized " + name + " rose past the upper threshold")
                        .isGreaterThan(withTargets.metric(name).get(c).upperThreshold().orElseThrow());
            }
        }
        System.out.print(out);
    }

    @Test
    void targetsOfTheAnalysisDataDoNotChangeTheEstimate() {
        EstimationResult without = dle.estimate(analysis);
        for (int i = 0; i < 6; i++) {
            assertThat(without.metric("mae").get(i).value()).isEqualTo(withTargets.metric("mae").get(i).value());
            assertThat(without.metric("mae").get(i).realized()).isEmpty();
        }
    }

    @Test
    void aFitIsReproducible() {
        EstimationResult again = fit().estimate(analysis);
        for (String name : List.of("mae", "rmse")) {
            for (int i = 0; i < 6; i++) {
                assertThat(again.metric(name).get(i).value()).isEqualTo(withTargets.metric(name).get(i).value());
            }
        }
    }

    @Test
    void rowsArePutInTimeOrderBeforeChunking() {
        int n = analysis.size();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(Instant.ofEpochSecond(1_000_000L + 60L * i));
        }
        // the same rows backwards, with their times: time order puts them back
        int[] reversed = new int[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = n - 1 - i;
        }
        RegressionOutputs backwards = RegressionOutputs.of(TimeOrder.permute(analysis.predictedArray(), reversed))
                .withNumericFeature("x", TimeOrder.permute(analysis.numericArray("x"), reversed))
                .withNumericFeature("z", TimeOrder.permute(analysis.numericArray("z"), reversed))
                .withCategoricalFeature("c", Arrays.asList(TimeOrder.permute(analysis.categoricalArray("c"), reversed)))
                .withTimestamps(Arrays.asList(TimeOrder.permute(times.toArray(Instant[]::new), reversed)));
        EstimationResult result = dle.estimate(backwards);
        for (int i = 0; i < 6; i++) {
            assertThat(result.metric("mae").get(i).value())
                    .isCloseTo(withTargets.metric("mae").get(i).value(), org.assertj.core.api.Assertions.within(1e-12));
            assertThat(result.chunks().get(i).startTime()).contains(times.get(i * CHUNK));
        }
    }

    @Test
    void missingValuesAndUnseenCategoriesAreEstimated() {
        int n = analysis.size();
        double[] x = analysis.numericArray("x").clone();
        String[] c = analysis.categoricalArray("c").clone();
        for (int i = 0; i < n; i += 10) {
            x[i] = Double.NaN;
            c[i + 1] = null;
            c[i + 2] = "never seen";
        }
        EstimationResult result = dle.estimate(RegressionOutputs.of(analysis.predictedArray()).withNumericFeature("x", x)
                .withNumericFeature("z", analysis.numericArray("z")).withCategoricalFeature("c", Arrays.asList(c)));
        for (ChunkEstimate e : result.metric("mae")) {
            assertThat(e.value()).isFinite().isPositive();
        }
    }
}
