package dev.mlops.api.quality;

/**
 * Evaluation data made of rows that can be resampled, for bootstrap intervals and paired
 * comparisons.
 *
 * @param <D> the data type itself
 */
public interface Resamplable<D extends Resamplable<D>> {
    /** @return the number of rows, at least 1 */
    int size();

    /**
     * @param rows row positions, each in {@code [0, size())}, repetitions allowed
     * @return the data made of those rows, in that order
     */
    D select(int[] rows);
}
