package dev.mlops.ui;

import dev.mlops.api.tracking.MetricPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a chart draws of a long metric history: <b>min/max per bucket</b>. The points, sorted by
 * step (stable, so points of one step keep their stored order), are cut into equal buckets of
 * consecutive points; each bucket gives its lowest and its highest point, in step order. The
 * first and last points are always kept. A curve of n points becomes at most
 * {@code 2 * buckets + 2} points, and every spike survives (the extremes of each bucket are the
 * ones kept), which averaging or plain sampling would hide.
 */
final class Downsample {
    /** The most points one series of a chart draws. */
    static final int MAX_POINTS = 1_000;

    private Downsample() {
    }

    /**
     * @param history a metric's stored points, in any order
     * @param maxPoints at most this many points are returned (at least 4)
     * @return the points to draw, sorted by step
     */
    static List<MetricPoint> minMaxPerBucket(List<MetricPoint> history, int maxPoints) {
        if (maxPoints < 4) {
            throw new IllegalArgumentException("maxPoints must be at least 4, was " + maxPoints);
        }
        List<MetricPoint> sorted = new ArrayList<>(history);
        sorted.sort(Comparator.comparingLong(MetricPoint::step));
        int n = sorted.size();
        if (n <= maxPoints) {
            return sorted;
        }
        int buckets = (maxPoints - 2) / 2;
        List<MetricPoint> out = new ArrayList<>(maxPoints);
        out.add(sorted.get(0));
        // the points between the first and the last, cut into `buckets` runs of (almost) equal length
        int inner = n - 2;
        for (int b = 0; b < buckets; b++) {
            int from = 1 + (int) ((long) inner * b / buckets);
            int to = 1 + (int) ((long) inner * (b + 1) / buckets);
            if (from >= to) {
                continue;
            }
            int min = from;
            int max = from;
            for (int i = from + 1; i < to; i++) {
                double v = sorted.get(i).value();
                if (v < sorted.get(min).value()) {
                    min = i;
                }
                if (v > sorted.get(max).value()) {
                    max = i;
                }
            }
            out.add(sorted.get(Math.min(min, max)));
            if (min != max) {
                out.add(sorted.get(Math.max(min, max)));
            }
        }
        out.add(sorted.get(n - 1));
        return out;
    }
}
