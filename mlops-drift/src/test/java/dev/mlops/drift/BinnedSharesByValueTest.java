package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * A numerical column whose reference has few values gets one bin per value of either sample
 * ({@link BinnedDistances#sortedShares}): the values, their labels and both shares are, bit for
 * bit, those of counting every value in a sorted map, whatever the overlap and however many
 * values only the current sample has. Bounded by try count.
 */
class BinnedSharesByValueTest {

    /** At most 15 distinct values: always under {@link BinnedDistances#MAX_VALUE_BINS}, so one bin per value. */
    @Provide
    Arbitrary<double[]> fewValues() {
        Arbitrary<Double> value = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(-4, 4).map(k -> k * 0.5)),
                Tuple.of(1, Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -1e300, 1e300, 0.1 + 0.2)));
        return value.list().ofMinSize(1).ofMaxSize(200).map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Provide
    Arbitrary<double[]> anyValues() {
        return Arbitraries.oneOf(fewValues(), Arbitraries.doubles().between(-10, 10).list().ofMinSize(1).ofMaxSize(200)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    @Property(tries = 300)
    void binsAreThoseOfASortedMapOfCounts(@ForAll("fewValues") double[] reference, @ForAll("anyValues") double[] current) {
        double[] ref = Samples.sorted(reference);
        double[] cur = Samples.sorted(current);
        BinnedShares shares = BinnedDistances.sortedShares(ref, cur);
        TreeMap<Double, long[]> counts = new TreeMap<>();
        for (double v : ref) {
            counts.computeIfAbsent(v, k -> new long[2])[0]++;
        }
        for (double v : cur) {
            counts.computeIfAbsent(v, k -> new long[2])[1]++;
        }
        List<Long> refShares = new ArrayList<>();
        List<Long> curShares = new ArrayList<>();
        for (Map.Entry<Double, long[]> e : counts.entrySet()) {
            refShares.add(Double.doubleToRawLongBits((double) e.getValue()[0] / ref.length));
            curShares.add(Double.doubleToRawLongBits((double) e.getValue()[1] / cur.length));
        }
        assertThat(shares.edges()).isEmpty();
        assertThat(shares.labels()).containsExactly(
                BinLabels.of(counts.keySet().stream().mapToDouble(Double::doubleValue).toArray()));
        assertThat(bits(shares.referenceShares())).containsExactlyElementsOf(refShares);
        assertThat(bits(shares.currentShares())).containsExactlyElementsOf(curShares);
    }

    private static List<Long> bits(double[] values) {
        List<Long> out = new ArrayList<>();
        for (double v : values) {
            out.add(Double.doubleToRawLongBits(v));
        }
        return out;
    }
}
