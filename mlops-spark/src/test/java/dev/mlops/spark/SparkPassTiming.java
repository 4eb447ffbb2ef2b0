package dev.mlops.spark;

import dev.mlops.api.Frame;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.BinnedDistances;
import dev.mlops.drift.MonitorPolicy;
import dev.mlops.drift.ProfileOptions;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.WindowState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * A timed main, not a test: each Spark job of a profile timed on its own (the first pass, the
 * second pass with the distinct counts), then the whole profile and the report, and the
 * in-process profile and report of the same values, {@code repeats} times each (the first
 * round warms up). With {@code count-distinct} it also times Spark's own
 * {@code count(distinct)} over the wide columns, the way the profile counted distinct values
 * before (minutes at a million rows). The data is {@link SparkScaleTiming}'s. The command line
 * is in docs/spark.md; numbers count only on an idle machine.
 *
 * <p>Arguments: rows (default 1,000,000), columns (default 20), repeats (default 2), and
 * optionally {@code count-distinct}.
 */
public final class SparkPassTiming {
    private SparkPassTiming() {
    }

    /**
     * @param args rows, columns, repeats, [count-distinct]
     */
    public static void main(String[] args) {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        int columns = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean countDistinct = args.length > 3 && args[3].equals("count-distinct");
        int categorical = columns / 4;
        StructType struct = SparkScaleTiming.struct(columns, categorical);
        ProfileOptions options = ProfileOptions.defaults();
        MonitorPolicy policy = MonitorPolicy.defaults();
        Clock clock = Clock.systemUTC();
        System.out.printf(Locale.ROOT, "rows=%d columns=%d (%d categorical)%n", rows, columns, categorical);
        int numerical = columns - categorical;
        int[] num = new int[numerical];
        Arrays.setAll(num, i -> i);
        int[] cat = new int[categorical];
        Arrays.setAll(cat, i -> numerical + i);
        List<String> numNames = Arrays.stream(num).mapToObj(i -> "c" + i).toList();

        SparkSession spark = SparkTestData.session();
        try {
            Dataset<Row> reference = SparkScaleTiming.generate(spark, rows, columns, categorical, struct, 0).cache();
            Dataset<Row> current = SparkScaleTiming.generate(spark, rows, columns, categorical, struct, 1).cache();
            long t0 = System.nanoTime();
            reference.count();
            current.count();
            report("spark: generate and cache both sides", t0);
            int buckets = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
            for (int r = 0; r < repeats; r++) {
                System.out.printf(Locale.ROOT, "round %d%n", r + 1);
                t0 = System.nanoTime();
                FirstPass.Counts first = FirstPass.Counts.decode(
                        reference.select(new FirstPass(num, cat, options.sketchK()).toColumn()).first());
                report("spark: first pass", t0);
                double[][] edges = new double[numerical][];
                double[][] cuts = new double[numerical][];
                double[][] bucketCuts = new double[numerical][];
                boolean[] wide = new boolean[numerical];
                for (int i = 0; i < numerical; i++) {
                    edges[i] = BinnedDistances.sturgesEdges(first.finiteMin[i], first.finiteMax[i], first.count[i]);
                    cuts[i] = quantiles(first, i, options.gridCells());
                    bucketCuts[i] = quantiles(first, i, buckets);
                    wide[i] = first.values[i] == null;
                }
                double[] scale = new double[numerical];
                Arrays.fill(scale, 1.0);
                t0 = System.nanoTime();
                DistinctCounting.run(reference, numNames, wide, bucketCuts, buckets, DistinctCounting.DEFAULT_CHUNK_VALUES,
                        new SecondPass.Spec(edges, cuts, scale));
                report("spark: second pass and distinct counts", t0);
                if (countDistinct) {
                    t0 = System.nanoTime();
                    List<Column> aggs = new ArrayList<>();
                    for (String name : numNames) {
                        Column c = functions.col(name);
                        aggs.add(functions.count_distinct(functions.when(functions.not(functions.isnan(c)), c)));
                    }
                    reference.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
                    report("spark: count(distinct) of the wide columns (before)", t0);
                }
                t0 = System.nanoTime();
                ReferenceProfile profile = SparkDrift.profile(reference, options);
                report("spark: profile", t0);
                t0 = System.nanoTime();
                SparkDrift.compare(profile, current, policy, clock);
                report("spark: report", t0);
            }
            reference.unpersist();
            current.unpersist();
        } finally {
            spark.stop();
        }
        Frame refFrame = SparkScaleTiming.frame(SparkScaleTiming.schema(columns, categorical), rows, columns, categorical, 0);
        Frame curFrame = SparkScaleTiming.frame(SparkScaleTiming.schema(columns, categorical), rows, columns, categorical, 1);
        for (int r = 0; r < repeats; r++) {
            System.out.printf(Locale.ROOT, "in process, round %d%n", r + 1);
            long t0 = System.nanoTime();
            ReferenceProfile profile = ReferenceProfile.of(refFrame, options);
            report("in process: profile", t0);
            t0 = System.nanoTime();
            DriftReport.Window w = new DriftReport.Window(clock.instant(), clock.instant(), 0);
            profile.compare(WindowState.of(profile, curFrame, w), policy, clock);
            report("in process: report (window counts, as Spark)", t0);
        }
    }

    private static double[] quantiles(FirstPass.Counts first, int i, int cells) {
        return java.util.stream.IntStream.range(1, cells).mapToDouble(q -> first.sketches[i].quantile((double) q / cells))
                .sorted().distinct().toArray();
    }

    private static void report(String phase, long t0) {
        System.out.printf(Locale.ROOT, "%-56s %,10.0f ms%n", phase, (System.nanoTime() - t0) / 1e6);
    }
}
