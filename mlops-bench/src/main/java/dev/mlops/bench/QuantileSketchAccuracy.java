package dev.mlops.bench;

import dev.mlops.drift.QuantileSketch;
import java.util.Arrays;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Accuracy and size of {@link QuantileSketch} against DataSketches KLL at equal k: for each k,
 * {@code trials} streams of n values (normal, log-normal, and 50 distinct integers); per trial
 * the largest rank error over every value of the stream (inclusive ranks, as KS needs), then
 * the median, 99th percentile and maximum over trials; retained items and serialized bytes; and
 * the same for a sketch merged from four quarter sketches. Not a JMH benchmark: run with
 * {@code java -cp mlops-bench/target/benchmarks.jar dev.mlops.bench.QuantileSketchAccuracy [trials] [n]}.
 */
public final class QuantileSketchAccuracy {

    private QuantileSketchAccuracy() {
    }

    /**
     * @param args optional trial count (default 200) and stream length (default 100000)
     */
    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        System.out.println("k\tdistribution\timpl\tmedian\tp99\tmax\teps(k)\tretained\tbytes\tmerged4 p99");
        for (int k : new int[] {100, 200, 400}) {
            for (String dist : new String[] {"normal", "lognormal", "ints50"}) {
                run(k, dist, trials, n);
            }
        }
    }

    private static void run(int k, String dist, int trials, int n) {
        double[][] err = new double[4][trials];
        int[] retained = new int[2];
        int[] bytes = new int[2];
        for (int t = 0; t < trials; t++) {
            Random r = new Random(1000L * k + t);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (dist) {
                    case "normal" -> r.nextGaussian();
                    case "lognormal" -> Math.exp(r.nextGaussian() * 1.5);
                    default -> r.nextInt(50);
                };
            }
            QuantileSketch own = QuantileSketch.create(k);
            KllDoublesSketch ds = KllDoublesSketch.newHeapInstance(k);
            QuantileSketch ownMerged = QuantileSketch.create(k);
            KllDoublesSketch dsMerged = KllDoublesSketch.newHeapInstance(k);
            QuantileSketch[] ownParts = new QuantileSketch[4];
            KllDoublesSketch[] dsParts = new KllDoublesSketch[4];
            for (int p = 0; p < 4; p++) {
                ownParts[p] = QuantileSketch.create(k);
                dsParts[p] = KllDoublesSketch.newHeapInstance(k);
            }
            for (int i = 0; i < n; i++) {
                own.update(v[i]);
                ds.update(v[i]);
                ownParts[i % 4].update(v[i]);
                dsParts[i % 4].update(v[i]);
            }
            for (int p = 0; p < 4; p++) {
                ownMerged.merge(ownParts[p]);
                dsMerged.merge(dsParts[p]);
            }
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            double[] e = new double[4];
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && sorted[i + 1] == sorted[i]) {
                    continue; // evaluate at the last of equal values: inclusive rank (i + 1) / n
                }
                double x = sorted[i];
                double truth = (double) (i + 1) / n;
                e[0] = Math.max(e[0], Math.abs(own.rank(x, true) - truth));
                e[1] = Math.max(e[1], Math.abs(ds.getRank(x, QuantileSearchCriteria.INCLUSIVE) - truth));
                e[2] = Math.max(e[2], Math.abs(ownMerged.rank(x, true) - truth));
                e[3] = Math.max(e[3], Math.abs(dsMerged.getRank(x, QuantileSearchCriteria.INCLUSIVE) - truth));
            }
            for (int j = 0; j < 4; j++) {
                err[j][t] = e[j];
            }
            retained[0] = own.retained();
            retained[1] = ds.getNumRetained();
            bytes[0] = own.toBytes().length;
            bytes[1] = ds.toByteArray().length;
        }
        for (double[] e : err) {
            Arrays.sort(e);
        }
        double eps = QuantileSketch.normalizedRankError(k);
        String[] names = {"own", "datasketches"};
        for (int j = 0; j < 2; j++) {
            System.out.printf("%d\t%s\t%s\t%.5f\t%.5f\t%.5f\t%.5f\t%d\t%d\t%.5f%n", k, dist, names[j], err[j][trials / 2],
                    err[j][(int) Math.ceil(trials * 0.99) - 1], err[j][trials - 1], eps, retained[j], bytes[j],
                    err[j + 2][(int) Math.ceil(trials * 0.99) - 1]);
        }
    }
}
