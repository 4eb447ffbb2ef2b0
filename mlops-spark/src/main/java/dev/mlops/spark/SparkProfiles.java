package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.drift.BinnedDistances;
import dev.mlops.drift.ProfileOptions;
import dev.mlops.drift.QuantileSketch;
import dev.mlops.drift.ReferenceProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds a {@link ReferenceProfile} from a Spark dataset in two scans: an aggregation
 * ({@link FirstPass}), then one job ({@link DistinctCounting}) that makes the second pass
 * ({@link SecondPass.Bins}) and counts the exact distinct values of the numerical columns with
 * many: only summaries reach the driver. Package-private; see
 * {@link SparkDrift#profile}.
 *
 * <p>Exact, as in process: rows, counts, missing, min, max, distinct, value bins, Sturges or
 * explicit bin edges and their counts, categories and their counts, and the number of values
 * below each grid cut. From merged sketches: the grid's cut points (the sketch's quantiles at
 * i/gridCells where the in-process profile takes exact quantiles; the counts below them are
 * exact, so the grid's error bound stays deterministic) and the sketch itself. Mean and standard
 * deviation are merged partition moments: equal to the in-process two-pass sums up to
 * floating-point rounding (their summation order differs).
 */
final class SparkProfiles {
    private SparkProfiles() {
    }

    static ReferenceProfile profile(Dataset<Row> reference, ProfileOptions options) {
        Schema schema = SparkColumns.schema(reference.schema());
        for (String c : options.binEdges().keySet()) {
            Field f = schema.field(c).orElseThrow(() -> new ValidationException("bin edges were given for column "
                    + Names.quote(c) + ", which the reference does not have"));
            if (!f.type().isNumeric()) {
                throw new ValidationException("bin edges were given for column " + Names.quote(c) + ", which is "
                        + f.type() + ", not numerical");
            }
        }
        List<String> numNames = new ArrayList<>();
        List<String> catNames = new ArrayList<>();
        for (Field f : schema.fields()) {
            (f.type().isNumeric() ? numNames : catNames).add(f.name());
        }
        int[] num = SparkColumns.indices(reference.schema(), numNames);
        int[] cat = SparkColumns.indices(reference.schema(), catNames);

        FirstPass.Counts first = FirstPass.Counts.decode(reference.select(new FirstPass(num, cat, options.sketchK()).toColumn()).first());

        int n = num.length;
        double[][] edges = new double[n][];
        double[][] values = new double[n][];
        long[][] valueCounts = new long[n][];
        double[][] cuts = new double[n][];
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            String name = numNames.get(i);
            long finite = first.count[i] - first.negInf[i] - first.posInf[i];
            Optional<double[]> explicit = options.edgesFor(name);
            TreeMap<Double, long[]> vm = first.values[i];
            values[i] = new double[0];
            valueCounts[i] = new long[0];
            if (first.count[i] == 0) {
                edges[i] = new double[0];
            } else if (explicit.isPresent()) {
                edges[i] = explicit.get();
            } else if ((vm != null && distinctOf(vm) <= BinnedDistances.MAX_VALUE_BINS) || finite == 0) {
                edges[i] = new double[0];
                values[i] = vm.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                valueCounts[i] = vm.values().stream().mapToLong(c -> c[0]).toArray();
            } else {
                edges[i] = BinnedDistances.sturgesEdges(first.finiteMin[i], first.finiteMax[i], finite);
            }
            cuts[i] = first.count[i] == 0 ? new double[0]
                    : cuts(first.sketches[i], finite, first.finiteMin[i], first.finiteMax[i], edges[i], values[i],
                            options.gridCells());
            scale[i] = first.largest[i] > 1e150 ? first.largest[i] : 1.0;
        }

        // the second pass and the exact distinct counts of the wide columns: one scan, one job
        DistinctCounting.Result pass = secondPass(reference, numNames, first, new SecondPass.Spec(edges, cuts, scale));
        SecondPass.Bins second = pass.bins();

        Map<String, ReferenceProfile.Column> byName = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String name = numNames.get(i);
            long count = first.count[i];
            if (count == 0) {
                byName.put(name, ReferenceProfile.NumericalColumn.of(name, 0, first.missing[i], 0, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, new double[0], new double[0], new long[0], new double[0], new long[0],
                        first.sketches[i]));
                continue;
            }
            long distinct = first.values[i] != null ? distinctOf(first.values[i]) : pass.distinct()[i];
            double min = first.negInf[i] > 0 ? Double.NEGATIVE_INFINITY : first.finiteMin[i];
            double max = first.posInf[i] > 0 ? Double.POSITIVE_INFINITY : first.finiteMax[i];
            boolean allFinite = first.negInf[i] + first.posInf[i] == 0;
            double mean = allFinite ? second.mean[i] * scale[i] : Double.NaN;
            double std = allFinite ? Math.sqrt(second.m2[i] / second.finite[i]) * scale[i] : Double.NaN;
            long[] binCounts = edges[i].length > 0 ? second.binCounts[i] : valueCounts[i];
            long[] below = new long[cuts[i].length];
            long sum = 0;
            for (int j = 0; j < below.length; j++) {
                sum += second.cells[i][j];
                below[j] = sum;
            }
            byName.put(name, ReferenceProfile.NumericalColumn.of(name, count, first.missing[i], distinct, min, max, mean, std,
                    edges[i], values[i], binCounts, cuts[i], below, first.sketches[i]));
        }
        for (int i = 0; i < cat.length; i++) {
            byName.put(catNames.get(i), categorical(catNames.get(i), first.categories[i], first.categoryMissing[i],
                    options.topK()));
        }
        List<ReferenceProfile.Column> columns = new ArrayList<>();
        for (Field f : schema.fields()) {
            columns.add(byName.get(f.name()));
        }
        return ReferenceProfile.ofColumns(first.rows, options, columns);
    }

    /** Distinct values as the in-process profile counts them: sorted, a value unequal (!=) to the one before. */
    private static long distinctOf(TreeMap<Double, long[]> values) {
        long distinct = 0;
        double previous = Double.NaN;
        for (double v : values.keySet()) {
            if (distinct == 0 || v != previous) {
                distinct++;
            }
            previous = v;
        }
        return distinct;
    }

    /**
     * The second pass over the numerical columns (counts per bin and grid cell, moments) and the
     * exact distinct count of those with more values than the first pass counts one by one (NaN,
     * missing, left out; −0.0 and 0.0 one value, as the profile counts them), by
     * {@link DistinctCounting}: value ranges cut at the first pass's sketch quantiles, one range
     * of every column per reduce task ({@code spark.sql.shuffle.partitions} tasks).
     */
    private static DistinctCounting.Result secondPass(Dataset<Row> reference, List<String> numNames, FirstPass.Counts first,
            SecondPass.Spec spec) {
        int buckets = Math.max(1, Integer.parseInt(reference.sparkSession().conf().get("spark.sql.shuffle.partitions")));
        boolean[] countDistinct = new boolean[numNames.size()];
        double[][] bucketCuts = new double[numNames.size()][];
        for (int i = 0; i < numNames.size(); i++) {
            countDistinct[i] = first.values[i] == null && first.count[i] > 0;
            TreeSet<Double> cuts = new TreeSet<>();
            for (int b = 1; countDistinct[i] && b < buckets; b++) {
                cuts.add(first.sketches[i].quantile((double) b / buckets));
            }
            bucketCuts[i] = cuts.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return DistinctCounting.run(reference, numNames, countDistinct, bucketCuts, buckets,
                DistinctCounting.DEFAULT_CHUNK_VALUES, spec);
    }

    /**
     * Grid cut points: the finite minimum, the successor of the finite maximum, the sketch's
     * quantiles at i/gridCells, every bin edge, and each value bin's value and successor.
     */
    private static double[] cuts(QuantileSketch sketch, long finite, double finiteMin, double finiteMax, double[] edges,
            double[] values, int gridCells) {
        TreeSet<Double> set = new TreeSet<>();
        if (finite > 0) {
            set.add(finiteMin);
            set.add(Math.nextUp(finiteMax));
            for (int i = 1; i < gridCells; i++) {
                set.add(sketch.quantile((double) i / gridCells));
            }
        }
        for (double e : edges) {
            set.add(e);
        }
        for (double v : values) {
            if (Double.isFinite(v)) {
                set.add(v);
                set.add(Math.nextUp(v));
            }
        }
        set.removeIf(v -> !Double.isFinite(v));
        return set.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Top K categories, most frequent first, ties by name, as the in-process profile keeps them. */
    private static ReferenceProfile.CategoricalColumn categorical(String name, HashMap<String, long[]> counts, long missing,
            int topK) {
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        int keep = Math.min(topK, entries.size());
        List<String> cats = new ArrayList<>(keep);
        long[] cs = new long[keep];
        long other = 0;
        long count = 0;
        for (int i = 0; i < entries.size(); i++) {
            long c = entries.get(i).getValue()[0];
            count += c;
            if (i < keep) {
                cats.add(entries.get(i).getKey());
                cs[i] = c;
            } else {
                other += c;
            }
        }
        return ReferenceProfile.CategoricalColumn.of(name, count, missing, counts.size(), cats, cs, other);
    }
}
