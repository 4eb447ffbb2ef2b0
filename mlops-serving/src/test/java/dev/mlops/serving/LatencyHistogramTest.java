package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.serving.LatencySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The latency histogram")
class LatencyHistogramTest {

    @Property(tries = 2000)
    @Label("puts every value in a bucket whose midpoint is within 1.6% of it")
    void boundedRelativeError(@ForAll @LongRange(min = 0, max = 1L << 44) long value) {
        int i = LatencyHistogram.index(value);
        assertThat(i).isBetween(0, LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.lowerBound(i)).isLessThanOrEqualTo(value);
        if (i + 1 < LatencyHistogram.BUCKETS) {
            assertThat(LatencyHistogram.lowerBound(i + 1)).isGreaterThan(value);
        }
        long mid = LatencyHistogram.representative(i);
        assertThat((double) Math.abs(mid - value)).isLessThanOrEqualTo(Math.max(0.5, value / 64.0));
    }

    @Test
    @DisplayName("has contiguous, increasing buckets: each starts where the previous ends")
    void contiguous() {
        for (int i = 1; i < LatencyHistogram.BUCKETS; i++) {
            assertThat(LatencyHistogram.lowerBound(i)).isGreaterThan(LatencyHistogram.lowerBound(i - 1));
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i))).isEqualTo(i);
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i) - 1)).isEqualTo(i - 1);
        }
        assertThat(LatencyHistogram.index(-5)).isZero();
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    @DisplayName("reports count, percentiles within the bucket error, and the exact maximum")
    void percentiles() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.snapshot()).isEqualTo(new LatencySnapshot(0, 0, 0, 0, 0));
        for (long v = 1; v <= 10_000; v++) {
            h.record(v * 100);
        }
        LatencySnapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(10_000);
        assertThat(s.p50Nanos()).isCloseTo(500_000L, org.assertj.core.data.Percentage.withPercentage(1.6));
        assertThat(s.p90Nanos()).isCloseTo(900_000L, org.assertj.core.data.Percentage.withPercentage(1.6));
        assertThat(s.p99Nanos()).isCloseTo(990_000L, org.assertj.core.data.Percentage.withPercentage(1.6));
        assertThat(s.maxNanos()).isEqualTo(1_000_000L);
        h.record(7, 5);
        assertThat(h.snapshot().count()).isEqualTo(10_005);
    }

    @Test
    @DisplayName("loses no count when 4 threads record 50,000 values each")
    void concurrent() throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50_000; i++) {
                    h.record(1000 + id * 10_000 + i % 97);
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        LatencySnapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(200_000);
        assertThat(s.maxNanos()).isEqualTo(1000 + 3 * 10_000 + 96);
    }
}
