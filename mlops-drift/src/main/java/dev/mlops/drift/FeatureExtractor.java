package dev.mlops.drift;

/**
 * Turns one served input into the feature values a {@link DriftMonitor} observes, without
 * allocating: it writes into arrays the monitor owns (one pair per thread, reused).
 *
 * <pre>{@code
 * FeatureExtractor<Weather> fx = (w, num, cat) -> {
 *     num[0] = w.precipitation(); num[1] = w.tempMax(); num[2] = w.tempMin(); num[3] = w.wind();
 *     cat[0] = w.weather();
 * };
 * InputObserver<Weather> observer = monitor.observer(fx);
 * }</pre>
 *
 * @param <I> the input type
 */
@FunctionalInterface
public interface FeatureExtractor<I> {
    /**
     * Writes the features of one input. The arrays are in the order of
     * {@link DriftMonitor#numericalColumns()} and {@link DriftMonitor#categoricalColumns()} and are
     * prefilled with NaN and null (missing); do not keep references to them.
     *
     * @param input       one served input
     * @param numerical   numerical features to fill (NaN = missing)
     * @param categorical categorical features to fill (null = missing)
     */
    void extract(I input, double[] numerical, String[] categorical);
}
