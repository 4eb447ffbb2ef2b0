package dev.mlops.estimation;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Rows put in time order before chunking, as NannyML sorts by its timestamp column (a stable sort). */
final class TimeOrder {
    private TimeOrder() {
    }

    /** @return the row positions in time order (equal times keep their row order), or null without timestamps */
    static int[] of(Instant[] times) {
        if (times == null) {
            return null;
        }
        return IntStream.range(0, times.length).boxed().sorted(Comparator.comparing(i -> times[i]))
                .mapToInt(Integer::intValue).toArray();
    }

    /** @return the timestamps in ascending order, or null without timestamps */
    static Instant[] sorted(Instant[] times) {
        if (times == null) {
            return null;
        }
        Instant[] out = times.clone();
        Arrays.sort(out);
        return out;
    }

    static double[] permute(double[] a, int[] order) {
        if (order == null) {
            return a.clone();
        }
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[order[i]];
        }
        return out;
    }

    static int[] permute(int[] a, int[] order) {
        if (order == null) {
            return a.clone();
        }
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[order[i]];
        }
        return out;
    }

    static <T> T[] permute(T[] a, int[] order) {
        T[] out = a.clone();
        if (order != null) {
            for (int i = 0; i < a.length; i++) {
                out[i] = a[order[i]];
            }
        }
        return out;
    }
}
