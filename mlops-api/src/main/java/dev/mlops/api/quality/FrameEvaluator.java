package dev.mlops.api.quality;

import dev.mlops.api.Frame;

/**
 * Runs a model over a labeled frame and pairs its outputs with the labels. Made by
 * {@code dev.mlops.quality.Evaluation}; used directly, and by permutation importance, which calls
 * it again on frames with one column shuffled.
 *
 * @param <D> evaluation data type ({@link ClassificationData} or {@link RegressionData})
 */
@FunctionalInterface
public interface FrameEvaluator<D> {
    /**
     * @param labeled a frame with the model's input columns and the label column
     * @return predictions paired with labels, row for row
     */
    D evaluate(Frame labeled);
}
