package dev.mlops.bench;

import dev.mlops.drift.NumericalTests;
import dev.mlops.drift.StatResult;
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
 * Issue 3, must-show 3(a), and issue 16: the two-sample Kolmogorov–Smirnov test on 1,000,000 vs
 * 1,000,000 doubles ({@link NumericalTests#kolmogorovSmirnov}: radix-sort both samples into order
 * keys, the second on a thread of the common fork-join pool while the caller sorts the first, one
 * merge, the asymptotic p-value) against two baselines in the same run:
 * <ul>
 *   <li>{@code ksArraysSort}: the same call in a JVM started with {@code -Dmlops.drift.sort=arrays},
 *       so every sort is {@code Arrays.sort} again: the test as it was before the radix sort;</li>
 *   <li>{@code sortBoth}: copying and {@code Arrays.sort}-ing the two arrays, nothing else.</li>
 * </ul>
 * and {@code ksOneThread}, the radix sorts both on the calling thread
 * ({@code -Dmlops.drift.sort=one-thread}): the figure for a caller whose cores are already busy
 * (a {@code DriftAnalysis} comparing columns in parallel sorts that way).
 * <b>Targets: {@code ks} ≤ 60 ms, or ≥ 12 × faster than scipy's {@code ks_2samp} timed by
 * {@code mlops-bench/scripts/scipy_drift_baseline.py} on the same machine.</b>
 *
 * <p>Samples: normal(0, 1) and normal(0.01, 1), fixed seeds, so D is small and the p-value
 * moderate (the realistic case). The p-value is a large part of the time: {@code kstwo.sf} for
 * n = 500,000 sums about 450,000 terms of logs and exponentials (scipy's sum, kept to the bit).
 * Average time per call from one benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class KsBenchmark {
    /** Values per sample. */
    @Param("1000000")
    public int n;

    private double[] reference;
    private double[] current;

    /** Builds the two samples once. */
    @Setup(Level.Trial)
    public void samples() {
        SplittableRandom r = new SplittableRandom(20250131L);
        reference = new double[n];
        current = new double[n];
        for (int i = 0; i < n; i++) {
            reference[i] = gaussian(r);
            current[i] = 0.01 + gaussian(r);
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** @return the KS result (statistic and p-value) */
    @Benchmark
    public StatResult ks() {
        return NumericalTests.kolmogorovSmirnov(reference, current);
    }

    /** @return the KS result with every sort done by {@code Arrays.sort} (the baseline) */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dmlops.drift.sort=arrays"})
    public StatResult ksArraysSort() {
        return NumericalTests.kolmogorovSmirnov(reference, current);
    }

    /** @return the KS result with both samples sorted on the calling thread */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dmlops.drift.sort=one-thread"})
    public StatResult ksOneThread() {
        return NumericalTests.kolmogorovSmirnov(reference, current);
    }

    /** @return a value depending on both sorted copies, so nothing is optimized away */
    @Benchmark
    public double sortBoth() {
        double[] a = reference.clone();
        double[] b = current.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        return a[a.length / 2] + b[b.length / 2];
    }
}
