package dev.mlops.bench;

import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.QuantileSketch;
import dev.mlops.drift.ReferenceProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory of {@link DriftMonitor} windows for the 20 + 5 column profile of
 * {@link DriftMonitorBenchmark}: the counters one window holds per numerical column (exact, from
 * the layout), the serialized size of the profile and of its sketches, and the heap measured as
 * the Runtime used-memory difference over 1,000 monitors (all counters: stripes, sub-windows and
 * scratch, plus object overhead). Run with
 * {@code java -cp mlops-bench/target/benchmarks.jar dev.mlops.bench.DriftMonitorFootprint}.
 */
public final class DriftMonitorFootprint {

    private DriftMonitorFootprint() {
    }

    /** @param args unused */
    public static void main(String[] args) throws InterruptedException {
        ReferenceProfile profile = DriftMonitorBenchmark.profile();
        DriftMonitor one = DriftMonitorBenchmark.monitor("count");
        System.out.println("window counters per numerical column: " + one.windowBytes("n0") + " bytes");
        System.out.println("stripes: " + one.stripes() + ", counter arrays of one monitor (stripes + sub-windows + scratch): "
                + one.counterBytes() + " bytes");
        System.out.println("profile JSON: " + profile.toJsonBytes().length + " bytes for 25 columns");
        ReferenceProfile.NumericalColumn n0 = (ReferenceProfile.NumericalColumn) profile.column("n0").orElseThrow();
        QuantileSketch s = n0.sketch();
        System.out.println("sketch of a 10,000-row column: " + s.toBytes().length + " bytes, " + s.retained() + " retained, eps "
                + s.normalizedRankError());
        System.out.println("window state JSON of an empty window: " + one.snapshot().toJson().length() + " chars");
        Runtime rt = Runtime.getRuntime();
        List<DriftMonitor> keep = new ArrayList<>();
        gc();
        long before = rt.totalMemory() - rt.freeMemory();
        for (int i = 0; i < 1000; i++) {
            keep.add(DriftMonitor.builder(profile).countWindow(1_000_000).build());
        }
        gc();
        long after = rt.totalMemory() - rt.freeMemory();
        double perMonitor = (after - before) / 1000.0;
        System.out.printf("heap per monitor (Runtime delta over 1,000): %.0f bytes = %.0f bytes per column (25 columns, %d stripes)%n",
                perMonitor, perMonitor / 25, keep.get(0).stripes());
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
