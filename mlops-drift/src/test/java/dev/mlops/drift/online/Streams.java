package dev.mlops.drift.online;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/** Seeded test streams with a known change point; java.util.Random so the values are fixed by its spec. */
final class Streams {
    private Streams() {
    }

    /** 0/1 errors with rate {@code before} up to index {@code change} (exclusive), {@code after} from there on. */
    static double[] bernoulli(long seed, int length, int change, double before, double after) {
        Random random = new Random(seed);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextDouble() < (i < change ? before : after) ? 1 : 0;
        }
        return values;
    }

    /** Normal values with standard deviation {@code sd}, mean {@code before} up to {@code change}, {@code after} from there on. */
    static double[] gaussian(long seed, int length, int change, double before, double after, double sd) {
        Random random = new Random(seed);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = (i < change ? before : after) + sd * random.nextGaussian();
        }
        return values;
    }

    /** What a detector did on one stream with a change at {@code change}. */
    record Run(int falseAlarms, int firstDetection, int detectionsAfterChange, int change) {
        /** Delay of the first drift at or after the change, or -1 when none. */
        int delay() {
            return firstDetection < 0 ? -1 : firstDetection - change;
        }

        boolean detected() {
            return firstDetection >= 0;
        }
    }

    /** Feeds the stream and records drifts before the change (false alarms) and the first one at or after it. */
    static Run run(OnlineDriftDetector detector, double[] values, int change) {
        int falseAlarms = 0;
        int first = -1;
        int after = 0;
        for (int i = 0; i < values.length; i++) {
            if (detector.update(values[i]) == OnlineDriftDetector.State.DRIFT) {
                if (i < change) {
                    falseAlarms++;
                } else {
                    after++;
                    if (first < 0) {
                        first = i;
                    }
                }
            }
        }
        return new Run(falseAlarms, first, after, change);
    }

    /** What a detector did over several seeded streams with the same change point. */
    record Summary(int runs, int detected, int[] delays, int falseAlarms, int runsWithFalseAlarms,
            int detectionsAfterChange) {
        int minDelay() {
            return Arrays.stream(delays).filter(d -> d >= 0).min().orElse(-1);
        }

        int maxDelay() {
            return Arrays.stream(delays).max().orElse(-1);
        }

        /** Mean delay over the runs that detected the change. */
        double meanDelay() {
            return Arrays.stream(delays).filter(d -> d >= 0).average().orElse(Double.NaN);
        }
    }

    /** Runs a fresh detector on the stream of every seed 1..runs. */
    static Summary summary(Supplier<? extends OnlineDriftDetector> detectors, LongFunction<double[]> streams,
            int change, int runs) {
        int detected = 0;
        int falseAlarms = 0;
        int runsWithFalseAlarms = 0;
        int after = 0;
        int[] delays = new int[runs];
        for (int seed = 1; seed <= runs; seed++) {
            Run run = run(detectors.get(), streams.apply(seed), change);
            delays[seed - 1] = run.delay();
            if (run.detected()) {
                detected++;
            }
            falseAlarms += run.falseAlarms();
            if (run.falseAlarms() > 0) {
                runsWithFalseAlarms++;
            }
            after += run.detectionsAfterChange();
        }
        return new Summary(runs, detected, delays, falseAlarms, runsWithFalseAlarms, after);
    }

    /** Indices of the updates that returned {@code state}. */
    static int[] indicesOf(OnlineDriftDetector detector, double[] values, OnlineDriftDetector.State state) {
        int[] hits = new int[values.length];
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (detector.update(values[i]) == state) {
                hits[count++] = i;
            }
        }
        return Arrays.copyOf(hits, count);
    }

    /**
     * A stream of river's docstring examples, generated once with CPython 3.11's {@code random}
     * module; docs/drift-online.md shows the generating code.
     */
    static double[] resource(String name) {
        try (InputStream in = Streams.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            return Arrays.stream(text.split(" ")).mapToDouble(Double::parseDouble).toArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
