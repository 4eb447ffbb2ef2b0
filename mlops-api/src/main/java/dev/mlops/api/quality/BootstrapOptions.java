package dev.mlops.api.quality;

/**
 * How to bootstrap: number of resamples, confidence level, random seed. The same data, metric
 * and options always give the same interval.
 *
 * @param resamples resamples drawn, in [1, 1,000,000]; default 1,000
 * @param confidence two-sided confidence level in (0, 1); default 0.95
 * @param seed seed of the resampling generator; default 42
 */
public record BootstrapOptions(int resamples, double confidence, long seed) {
    /** The default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 1_000;
    /** The default confidence level. */
    public static final double DEFAULT_CONFIDENCE = 0.95;
    /** The default seed. */
    public static final long DEFAULT_SEED = 42L;

    /** Checks arguments (fails fast with {@link IllegalArgumentException}). */
    public BootstrapOptions {
        if (resamples < 1 || resamples > 1_000_000) {
            throw new IllegalArgumentException("resamples is " + resamples + ", expected 1 to 1,000,000");
        }
        if (!(confidence > 0.0 && confidence < 1.0)) {
            throw new IllegalArgumentException("confidence is " + confidence + ", expected a level in (0, 1), such as 0.95");
        }
    }

    /** @return 1,000 resamples, 95% confidence, seed 42 */
    public static BootstrapOptions defaults() {
        return new BootstrapOptions(DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE, DEFAULT_SEED);
    }

    /**
     * @param resamples resamples drawn
     * @return a copy with that count
     */
    public BootstrapOptions withResamples(int resamples) {
        return new BootstrapOptions(resamples, confidence, seed);
    }

    /**
     * @param confidence confidence level
     * @return a copy with that level
     */
    public BootstrapOptions withConfidence(double confidence) {
        return new BootstrapOptions(resamples, confidence, seed);
    }

    /**
     * @param seed seed
     * @return a copy with that seed
     */
    public BootstrapOptions withSeed(long seed) {
        return new BootstrapOptions(resamples, confidence, seed);
    }
}
