package dev.mlops.bench;

import dev.mlops.estimation.Cbpe;
import dev.mlops.estimation.CbpeMetric;
import dev.mlops.estimation.Chunking;
import dev.mlops.estimation.Dle;
import dev.mlops.estimation.EstimationResult;
import dev.mlops.estimation.FittedDle;
import dev.mlops.estimation.ModelOutputs;
import dev.mlops.estimation.RegressionOutputs;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 14: label-free performance estimation over 50,000 reference and 50,000 analysis rows, chunks
 * of 5,000 (ten per data set).
 *
 * <ul>
 *   <li>{@code cbpeFitAndEstimate}: CBPE on a binary classifier, all eight metrics (ROC AUC, F1,
 *       precision, recall, specificity, accuracy, confusion matrix, business value): the calibration
 *       check (ten isotonic fits), the reference thresholds, the estimate of the reference and of the
 *       analysis chunks.</li>
 *   <li>{@code dleFitAndEstimate}: DLE on a regression model with five numeric and two categorical
 *       features, all six metrics: four nanny models (MSE/RMSE and MSLE/RMSLE share one) of 100
 *       boosting rounds each, single-threaded, then the reference and the analysis estimates.</li>
 *   <li>{@code dleEstimate}: the analysis estimate alone, with the nanny models fitted once.</li>
 * </ul>
 * Generated data, fixed seeds; average time per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class PerformanceEstimationBenchmark {
    /** Rows in the reference, and again in the analysis data. */
    @Param("50000")
    public int rows;

    private ModelOutputs classifierReference;
    private ModelOutputs classifierAnalysis;
    private RegressionOutputs regressionReference;
    private RegressionOutputs regressionAnalysis;
    private FittedDle fittedDle;

    /** Builds the data sets once, and fits DLE for {@code dleEstimate}. */
    @Setup(Level.Trial)
    public void data() {
        SplittableRandom r = new SplittableRandom(20261206L);
        classifierReference = classifier(r, rows, 0).withTargets(targets);
        classifierAnalysis = classifier(r, rows, 0.5);
        regressionReference = regression(r, rows, 0);
        regressionReference = regressionReference.withTargets(actual);
        regressionAnalysis = regression(r, rows, 0.3);
        fittedDle = Dle.builder().chunking(Chunking.bySize(5000)).fit(regressionReference);
    }

    private int[] targets;
    private double[] actual;

    /** A score that is a little overconfident (so CBPE calibrates), shifted by {@code shift} in its logit. */
    private ModelOutputs classifier(SplittableRandom r, int n, double shift) {
        double[] proba = new double[n];
        int[] predicted = new int[n];
        targets = new int[n];
        for (int i = 0; i < n; i++) {
            double logit = 3 * (r.nextDouble() * 2 - 1) + shift;
            double p = 1 / (1 + Math.exp(-logit));
            targets[i] = r.nextDouble() < (0.1 + 0.8 * p) ? 1 : 0;
            proba[i] = Math.round(p * 100) / 100.0;
            predicted[i] = proba[i] >= 0.5 ? 1 : 0;
        }
        return ModelOutputs.binary(proba, predicted);
    }

    /** A price model whose error grows with age and mileage; {@code shift} moves the cars older. */
    private RegressionOutputs regression(SplittableRandom r, int n, double shift) {
        double[] age = new double[n];
        double[] km = new double[n];
        double[] priceNew = new double[n];
        double[] accidents = new double[n];
        double[] doors = new double[n];
        String[] fuel = new String[n];
        String[] gearbox = new String[n];
        double[] predicted = new double[n];
        actual = new double[n];
        String[] fuels = {"gas", "diesel", "electric"};
        for (int i = 0; i < n; i++) {
            age[i] = Math.floor(20 * Math.min(1, r.nextDouble() + shift));
            km[i] = age[i] * 12_000 * (0.5 + r.nextDouble());
            priceNew[i] = 15_000 + 40_000 * r.nextDouble();
            accidents[i] = Math.floor(5 * r.nextDouble());
            doors[i] = 3 + Math.floor(3 * r.nextDouble());
            fuel[i] = fuels[r.nextInt(3)];
            gearbox[i] = r.nextDouble() < 0.7 ? "manual" : "automatic";
            predicted[i] = Math.max(200, priceNew[i] * Math.pow(0.88, age[i]) - 300 * accidents[i]);
            double noise = (0.05 + 0.01 * age[i]) * predicted[i] * gaussian(r);
            actual[i] = Math.max(100, predicted[i] + noise);
        }
        return RegressionOutputs.of(predicted).withNumericFeature("car_age", age).withNumericFeature("km_driven", km)
                .withNumericFeature("price_new", priceNew).withNumericFeature("accident_count", accidents)
                .withNumericFeature("door_count", doors).withCategoricalFeature("fuel", Arrays.asList(fuel))
                .withCategoricalFeature("transmission", Arrays.asList(gearbox));
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2.0 * Math.log1p(-r.nextDouble())) * Math.cos(2.0 * Math.PI * r.nextDouble());
    }

    /** @return the analysis estimates (returned so that the JIT keeps the work) */
    @Benchmark
    public EstimationResult cbpeFitAndEstimate() {
        return Cbpe.builder()
                .metrics(CbpeMetric.ROC_AUC, CbpeMetric.F1, CbpeMetric.PRECISION, CbpeMetric.RECALL,
                        CbpeMetric.SPECIFICITY, CbpeMetric.ACCURACY, CbpeMetric.CONFUSION_MATRIX,
                        CbpeMetric.BUSINESS_VALUE)
                .businessValue(new double[][] {{0, -200}, {-100, 1000}}, false)
                .chunking(Chunking.bySize(5000))
                .fit(classifierReference)
                .estimate(classifierAnalysis);
    }

    /** @return the analysis estimates */
    @Benchmark
    public EstimationResult dleFitAndEstimate() {
        return Dle.builder().chunking(Chunking.bySize(5000)).fit(regressionReference).estimate(regressionAnalysis);
    }

    /** @return the analysis estimates */
    @Benchmark
    public EstimationResult dleEstimate() {
        return fittedDle.estimate(regressionAnalysis);
    }
}
