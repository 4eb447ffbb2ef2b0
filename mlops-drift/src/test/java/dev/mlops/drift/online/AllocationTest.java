package dev.mlops.drift.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Updates allocate nothing in steady state: 200,000 updates, drifts included, after a warm-up of
 * 400,000, allocate less than 4 KiB on the calling thread (one 16-byte object per update would be
 * 3.2 MB). Measured with HotSpot's per-thread allocation counter.
 */
class AllocationTest {

    private static final int WARM_UP = 400_000;
    private static final int MEASURED = 200_000;

    /** Error rate alternating between 0.1 and 0.4 every 20,000 values, so detectors keep drifting. */
    private static final double[] ERRORS = errors();

    private static double[] errors() {
        double[] values = new double[WARM_UP + MEASURED];
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() < ((i / 20_000) % 2 == 0 ? 0.1 : 0.4) ? 1 : 0;
        }
        return values;
    }

    private static long allocatedBytesDuringMeasuredUpdates(Supplier<OnlineDriftDetector> factory) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        OnlineDriftDetector detector = factory.get();
        for (int i = 0; i < WARM_UP; i++) {
            detector.update(ERRORS[i]);
        }
        long detectionsBefore = detector.detections();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = WARM_UP; i < ERRORS.length; i++) {
            detector.update(ERRORS[i]);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(detector.detections()).as("drifts while measured").isGreaterThan(detectionsBefore);
        return allocated;
    }

    /** Keeps the probe allocation observable. */
    static Object sink;

    @Test
    @DisplayName("Page-Hinkley, ADWIN and DDM updates allocate nothing in steady state, drifts included")
    void noAllocationPerUpdate() {
        // the counter works on this JVM: an 8,000-byte array is seen
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        assertThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        sink = new double[1000];
        assertThat(threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before).isGreaterThanOrEqualTo(8000);

        assertThat(allocatedBytesDuringMeasuredUpdates(() -> PageHinkley.builder().lambda(20).build()))
                .as("Page-Hinkley").isLessThan(4096);
        assertThat(allocatedBytesDuringMeasuredUpdates(Adwin::withDefaults)).as("ADWIN").isLessThan(4096);
        assertThat(allocatedBytesDuringMeasuredUpdates(() -> Adwin.builder().clock(1).build()))
                .as("ADWIN clock 1").isLessThan(4096);
        assertThat(allocatedBytesDuringMeasuredUpdates(Ddm::withDefaults)).as("DDM").isLessThan(4096);
    }
}
