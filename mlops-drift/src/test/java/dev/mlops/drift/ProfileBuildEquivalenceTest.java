package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The profile's column summaries are built without boxing a value or copying a column more than
 * once (value bins counted from runs of the sorted copy, the finite values a range of it, the
 * categories counted on the frame's codes), and give the same profile to the last byte as the
 * straightforward way they were built before (TreeMaps of boxed values and of strings, a stream
 * copy of the finite values), kept here as the oracle. Compared as whole profile JSON (sketch
 * bytes, bins, grid, counts). Bounded by try count.
 */
class ProfileBuildEquivalenceTest {

    private static final int TRIES = 200;

    @Provide
    Arbitrary<double[]> columns() {
        Arbitrary<Double> special = Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 1.5, -2.0, 1e300, -1e300);
        Arbitrary<Double> few = Arbitraries.integers().between(-4, 4).map(i -> i * 0.5);
        Arbitrary<Double> wide = Arbitraries.doubles().between(-1e6, 1e6);
        Arbitrary<Double> value = Arbitraries.frequencyOf(Tuple.of(1, special), Tuple.of(3, few), Tuple.of(3, wide));
        Arbitrary<Double> lowCardinality = Arbitraries.frequencyOf(Tuple.of(1, special), Tuple.of(6, few));
        // short columns, and columns past the radix threshold and the sketch's first compactions
        return Arbitraries.oneOf(value.list().ofMaxSize(60), value.list().ofMinSize(DoubleSort.RADIX_MIN).ofMaxSize(2500),
                        lowCardinality.list().ofMinSize(DoubleSort.RADIX_MIN).ofMaxSize(2500))
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Provide
    Arbitrary<String[]> texts() {
        Arbitrary<String> word = Arbitraries.strings().withChars("abcAB é").ofMinLength(0).ofMaxLength(3);
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(null)), Tuple.of(8, word));
        return Arbitraries.oneOf(value.list().ofMaxSize(40), value.list().ofMinSize(200).ofMaxSize(2000))
                .map(l -> l.toArray(new String[0]));
    }

    @Property(tries = TRIES)
    void numericalColumnsMatchTheBoxedBuild(@ForAll("columns") double[] column,
            @ForAll @IntRange(min = 2, max = 40) int gridCells, @ForAll boolean explicitEdges) {
        ProfileOptions.Builder b = ProfileOptions.builder().gridCells(gridCells);
        if (explicitEdges) {
            b.binEdges("x", new double[] {-3.0, -0.5, 0.0, 0.75, 100.0});
        }
        ProfileOptions options = b.build();
        Frame frame = Frame.ofColumns(new Schema(List.of(new Field("x", FieldType.DOUBLE))), List.of(column));
        ReferenceProfile built = ReferenceProfile.of(frame, options);
        ReferenceProfile oracle = ReferenceProfile.ofColumns(column.length, options,
                List.of(OldBuild.numerical("x", column.clone(), options)));
        assertThat(built.toJson()).isEqualTo(oracle.toJson());
    }

    @Property(tries = TRIES)
    void categoricalColumnsMatchTheStringBuild(@ForAll("texts") String[] column,
            @ForAll @IntRange(min = 1, max = 12) int topK) {
        ProfileOptions options = ProfileOptions.builder().topK(topK).build();
        Frame frame = Frame.ofColumns(new Schema(List.of(new Field("s", FieldType.STRING))), List.of((Object) column));
        ReferenceProfile built = ReferenceProfile.of(frame, options);
        ReferenceProfile oracle = ReferenceProfile.ofColumns(column.length, options,
                List.of(OldBuild.categorical("s", column, topK)));
        assertThat(built.toJson()).isEqualTo(oracle.toJson());
    }

    @Example
    void aColumnWithValuesNotKeptIsRefusedAsBefore() {
        Schema schema = new Schema(List.of(new Field("id", FieldType.STRING)));
        Frame frame = Frame.builder(schema).maxCategories(2).addRow("a").addRow("b").addRow("c").build();
        assertThatThrownBy(() -> ReferenceProfile.of(frame)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("not kept");
    }

    @Example
    void theFramesColumnIsNotChangedByProfiling() {
        double[] column = {3.0, Double.NaN, -0.0, 1.0, 2.0};
        Frame frame = Frame.ofColumns(new Schema(List.of(new Field("x", FieldType.DOUBLE))), List.of(column));
        ReferenceProfile.of(frame);
        ReferenceProfile.of(frame);
        assertThat(frame.numeric("x")).usingElementComparator(Double::compare).containsExactly(3.0, Double.NaN, -0.0,
                1.0, 2.0);
    }

    /** The column builds as they were before (commit edd2b7a), the oracle. */
    private static final class OldBuild {

        static ReferenceProfile.NumericalColumn numerical(String name, double[] column, ProfileOptions options) {
            double[] sorted = Samples.sortedPresent(column);
            long missing = column.length - sorted.length;
            QuantileSketch sketch = QuantileSketch.create(options.sketchK());
            for (double v : column) {
                if (!Double.isNaN(v)) {
                    sketch.update(v);
                }
            }
            int n = sorted.length;
            if (n == 0) {
                return ReferenceProfile.NumericalColumn.of(name, 0, missing, 0, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, new double[0], new double[0], new long[0], new double[0], new long[0], sketch);
            }
            long distinct = 1;
            for (int i = 1; i < n; i++) {
                if (sorted[i] != sorted[i - 1]) {
                    distinct++;
                }
            }
            double[] finite = Arrays.stream(sorted).filter(Double::isFinite).toArray();
            double mean = Double.NaN;
            double std = Double.NaN;
            if (finite.length == n) {
                double[] moments = Summaries.moments(sorted);
                mean = moments[0];
                std = moments[1];
            }
            double[] edges;
            double[] values;
            long[] binCounts;
            Optional<double[]> explicit = options.edgesFor(name);
            if (explicit.isPresent()) {
                edges = explicit.get();
                values = new double[0];
                binCounts = ReferenceProfile.NumericalColumn.intervalCounts(sorted, edges);
            } else if (distinct <= BinnedDistances.MAX_VALUE_BINS || finite.length == 0) {
                TreeMap<Double, long[]> counts = new TreeMap<>();
                for (double v : sorted) {
                    counts.computeIfAbsent(v, x -> new long[1])[0]++;
                }
                values = counts.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                binCounts = counts.values().stream().mapToLong(c -> c[0]).toArray();
                edges = new double[0];
            } else {
                edges = BinnedDistances.sturgesEdges(finite[0], finite[finite.length - 1], finite.length);
                values = new double[0];
                binCounts = ReferenceProfile.NumericalColumn.intervalCounts(sorted, edges);
            }
            TreeSet<Double> cutSet = new TreeSet<>();
            int q = options.gridCells();
            if (finite.length > 0) {
                cutSet.add(finite[0]);
                cutSet.add(Math.nextUp(finite[finite.length - 1]));
                for (int i = 1; i < q; i++) {
                    int idx = (int) Math.min(finite.length - 1, (long) Math.ceil((double) i * finite.length / q) - 1);
                    cutSet.add(finite[Math.max(0, idx)]);
                }
            }
            for (double e : edges) {
                cutSet.add(e);
            }
            for (double v : values) {
                if (Double.isFinite(v)) {
                    cutSet.add(v);
                    cutSet.add(Math.nextUp(v));
                }
            }
            cutSet.removeIf(v -> !Double.isFinite(v));
            double[] cuts = cutSet.stream().mapToDouble(Double::doubleValue).toArray();
            long[] below = new long[cuts.length];
            for (int i = 0; i < cuts.length; i++) {
                int lo = 0;
                int hi = n;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (sorted[mid] < cuts[i]) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                below[i] = lo;
            }
            return ReferenceProfile.NumericalColumn.of(name, n, missing, distinct, sorted[0], sorted[n - 1], mean, std,
                    edges, values, binCounts, cuts, below, sketch);
        }

        static ReferenceProfile.CategoricalColumn categorical(String name, String[] column, int topK) {
            TreeMap<String, long[]> counts = new TreeMap<>();
            long missing = 0;
            for (String v : column) {
                if (v == null) {
                    missing++;
                } else {
                    counts.computeIfAbsent(v, x -> new long[1])[0]++;
                }
            }
            List<Map.Entry<String, long[]>> entries = new ArrayList<>(counts.entrySet());
            entries.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
                    : a.getKey().compareTo(b.getKey()));
            int keep = Math.min(topK, entries.size());
            List<String> cats = new ArrayList<>();
            long[] cs = new long[keep];
            long other = 0;
            for (int i = 0; i < entries.size(); i++) {
                if (i < keep) {
                    cats.add(entries.get(i).getKey());
                    cs[i] = entries.get(i).getValue()[0];
                } else {
                    other += entries.get(i).getValue()[0];
                }
            }
            return ReferenceProfile.CategoricalColumn.of(name, column.length - missing, missing, counts.size(), cats, cs,
                    other);
        }
    }
}
