package dev.mlops.drift.online;

import java.util.Arrays;

/**
 * ADWIN0 for cross-checking: keeps every value of the window and tests every split, with the same
 * bound as {@link Adwin} (epsilon_cut with delta' = delta / ln n, the "- L + 1" correction, both
 * sub-windows at least L long), on every value. When a split cuts it drops the single oldest value
 * and tests again. O(W) memory, O(W) per test with prefix sums, O(W^2) per update at worst.
 */
final class BruteForceAdwin implements OnlineDriftDetector {
    private final double delta;
    private final int minSub;
    private final int gracePeriod;
    private double[] window = new double[64];
    private int start;
    private int end;
    private long observations;
    private long detections;
    private State state = State.NONE;

    BruteForceAdwin(double delta, int minSub, int gracePeriod) {
        this.delta = delta;
        this.minSub = minSub;
        this.gracePeriod = gracePeriod;
    }

    int width() {
        return end - start;
    }

    @Override
    public State update(double value) {
        observations++;
        if (end == window.length) {
            double[] grown = new double[Math.max(64, width() * 2)];
            System.arraycopy(window, start, grown, 0, width());
            end = width();
            start = 0;
            window = grown;
        }
        window[end++] = value;
        boolean cut = false;
        while (width() > gracePeriod && cuts()) {
            start++;
            cut = true;
        }
        if (cut) {
            detections++;
        }
        state = cut ? State.DRIFT : State.NONE;
        return state;
    }

    private boolean cuts() {
        int n = width();
        double total = 0;
        for (int i = start; i < end; i++) {
            total += window[i];
        }
        double mean = total / n;
        double squares = 0;
        for (int i = start; i < end; i++) {
            squares += (window[i] - mean) * (window[i] - mean);
        }
        double variance = squares / n;
        double dd = Math.log(2 * Math.log(n) / delta);
        double u0 = 0;
        for (int n0 = 1; n0 < n; n0++) {
            u0 += window[start + n0 - 1];
            int n1 = n - n0;
            if (n0 < minSub || n1 < minSub) {
                continue;
            }
            double diff = u0 / n0 - (total - u0) / n1;
            double m = 1.0 / (n0 - minSub + 1) + 1.0 / (n1 - minSub + 1);
            double eps = Math.sqrt(2 * m * variance * dd) + 2.0 / 3.0 * dd * m;
            if (Math.abs(diff) > eps) {
                return true;
            }
        }
        return false;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public long observations() {
        return observations;
    }

    @Override
    public long detections() {
        return detections;
    }

    @Override
    public void reset() {
        Arrays.fill(window, 0);
        start = 0;
        end = 0;
        observations = 0;
        detections = 0;
        state = State.NONE;
    }
}
