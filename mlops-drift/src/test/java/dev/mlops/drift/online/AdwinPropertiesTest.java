package dev.mlops.drift.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/**
 * The exponential histogram summarises exactly the newest {@code width()} values, whatever M, clock
 * and drifts: its width, mean and variance equal those recomputed from the raw values, and it uses
 * at most M buckets in each of at most log2(W/M) + 2 rows. Bounded by try count.
 */
class AdwinPropertiesTest {

    /** Values in [0, 1] whose mean jumps now and then, so that the window is cut. */
    @Provide
    Arbitrary<List<Double>> jumpy() {
        return Arbitraries.doubles().between(0, 1).list().ofMinSize(100).ofMaxSize(1500).map(us -> {
            double level = 0.2;
            double[] out = new double[us.size()];
            for (int i = 0; i < out.length; i++) {
                if (us.get(i) < 0.004) {
                    level = 1 - level;
                }
                out[i] = Math.min(1, Math.max(0, level + (us.get(i) - 0.5) * 0.4));
            }
            return java.util.Arrays.stream(out).boxed().toList();
        });
    }

    @Property(tries = 200)
    void bucketsSummariseTheNewestValues(@ForAll("jumpy") List<Double> values,
            @ForAll @IntRange(min = 1, max = 6) int maxBuckets, @ForAll @IntRange(min = 1, max = 40) int clock,
            @ForAll @DoubleRange(min = 0.001, max = 0.5) @Scale(4) double delta) {
        Adwin adwin = Adwin.builder().maxBuckets(maxBuckets).clock(clock).delta(delta).build();
        double[] x = values.stream().mapToDouble(Double::doubleValue).toArray();
        for (int t = 0; t < x.length; t++) {
            adwin.update(x[t]);
            long w = adwin.width();
            assertThat(w).isBetween(1L, (long) t + 1);
            assertThat(adwin.bucketedWidth()).isEqualTo(w);
            double sum = 0;
            for (int i = t + 1 - (int) w; i <= t; i++) {
                sum += x[i];
            }
            double mean = sum / w;
            double squares = 0;
            for (int i = t + 1 - (int) w; i <= t; i++) {
                squares += (x[i] - mean) * (x[i] - mean);
            }
            assertThat(adwin.mean()).isCloseTo(mean, within(1e-9));
            assertThat(adwin.windowVariance()).isCloseTo(squares / w, within(1e-9));
            double rowBound = Math.log(Math.max(1.0, (double) w / maxBuckets)) / Math.log(2) + 2;
            assertThat(adwin.bucketRows()).isLessThanOrEqualTo((int) rowBound);
            assertThat(adwin.buckets()).isLessThanOrEqualTo(maxBuckets * adwin.bucketRows());
        }
        Statistics.label("window cut").collect(adwin.detections() > 0);
        Statistics.label("window cut").coverage(c -> c.check(true).percentage(p -> p >= 20));
    }
}
