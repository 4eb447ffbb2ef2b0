package dev.mlops.drift.multivariate;

import dev.mlops.estimation.Chunk;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The result of a multivariate drift method on the chunks of the reference (the values the
 * thresholds come from) and of the analysis data.
 *
 * @param method {@code reconstruction_error} or {@code domain_classifier_auroc}, NannyML's column names
 * @param columns the columns compared, in the order they were given
 * @param referenceRows rows of the reference data the method was fitted on
 * @param reference the reference chunks' values
 * @param analysis the analysis chunks' values; empty for the reference's own result
 * @param lowerThreshold the lower alert threshold, if any
 * @param upperThreshold the upper alert threshold, if any
 */
public record MultivariateDriftResult(String method, List<String> columns, int referenceRows,
                                      List<ChunkDrift> reference, List<ChunkDrift> analysis,
                                      OptionalDouble lowerThreshold, OptionalDouble upperThreshold) {
    /** Checks the values and copies the lists. */
    public MultivariateDriftResult {
        Objects.requireNonNull(method, "method");
        columns = List.copyOf(columns);
        reference = List.copyOf(reference);
        analysis = List.copyOf(analysis);
        Objects.requireNonNull(lowerThreshold, "lowerThreshold");
        Objects.requireNonNull(upperThreshold, "upperThreshold");
    }

    /** @return the analysis chunks whose value lies outside the thresholds, in order */
    public List<Chunk> alerts() {
        return analysis.stream().filter(ChunkDrift::alert).map(ChunkDrift::chunk).toList();
    }

    /** @return the analysis values, one per chunk, in order */
    public double[] analysisValues() {
        return analysis.stream().mapToDouble(ChunkDrift::value).toArray();
    }
}
