package dev.mlops.drift.multivariate;

import dev.mlops.api.Frame;
import dev.mlops.estimation.Chunk;
import dev.mlops.estimation.Chunking;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/** {@link DataReconstructionDrift} fitted on a reference. */
final class FittedReconstruction implements FittedMultivariateDrift {
    static final String METHOD = "reconstruction_error";
    /** NannyML's {@code SAMPLING_ERROR_RANGE}. */
    private static final double SAMPLING_ERROR_RANGE = 3;

    private final Columns columns;
    private final Chunking chunking;
    private final ReconstructionPreprocessing preprocessing;
    private final Pca pca;
    private final int referenceRows;
    private final OptionalDouble lower;
    private final OptionalDouble upper;
    private final List<ChunkDrift> reference;

    private FittedReconstruction(Columns columns, Chunking chunking, ReconstructionPreprocessing preprocessing,
                                 Pca pca, double[] referenceRowsStandardised, int referenceRows,
                                 double lowerMultiplier, double upperMultiplier) {
        this.columns = columns;
        this.chunking = chunking;
        this.preprocessing = preprocessing;
        this.pca = pca;
        this.referenceRows = referenceRows;
        List<Chunk> chunks = Chunks.split(chunking, referenceRows, "reference");
        List<double[]> stats = chunkStatistics(pca, referenceRowsStandardised, chunks);
        double[] means = stats.stream().mapToDouble(s -> s[0]).toArray();
        OptionalDouble[] t = Thresholds.standardDeviation(means, lowerMultiplier, upperMultiplier, 0);
        this.lower = t[0];
        this.upper = t[1];
        this.reference = List.copyOf(drifts(chunks, stats, lower, upper));
    }

    static FittedReconstruction fit(List<String> names, double share, int count, Chunking chunking,
                                    double lowerMultiplier, double upperMultiplier, Frame reference) {
        Columns columns = Columns.of(names, reference);
        columns.check(reference, "reference");
        ReconstructionPreprocessing preprocessing = ReconstructionPreprocessing.fit(columns, reference);
        double[] x = preprocessing.transform(reference, "reference");
        Pca pca = Pca.fit(x, names.size(), share, count);
        return new FittedReconstruction(columns, chunking, preprocessing, pca, x, reference.rowCount(),
                lowerMultiplier, upperMultiplier);
    }

    /** @return the number of PCA components kept */
    int components() {
        return pca.components();
    }

    @Override
    public MultivariateDriftResult calculate(Frame analysis) {
        Objects.requireNonNull(analysis, "analysis");
        double[] x = preprocessing.transform(analysis, "analysis");
        List<Chunk> chunks = Chunks.split(chunking, analysis.rowCount(), "analysis");
        return new MultivariateDriftResult(METHOD, columns.names(), referenceRows, reference,
                drifts(chunks, chunkStatistics(pca, x, chunks), lower, upper), lower, upper);
    }

    @Override
    public MultivariateDriftResult referenceResult() {
        return new MultivariateDriftResult(METHOD, columns.names(), referenceRows, reference, List.of(), lower, upper);
    }

    /** Per chunk: {mean error, sample standard deviation of the errors (NaN for one row)}. */
    private static List<double[]> chunkStatistics(Pca pca, double[] x, List<Chunk> chunks) {
        List<double[]> out = new ArrayList<>();
        for (Chunk c : chunks) {
            double[] errors = pca.reconstructionErrors(x, c.startIndex(), c.endIndex() + 1);
            double sum = 0;
            for (double e : errors) {
                sum += e;
            }
            double mean = sum / errors.length;
            double ss = 0;
            for (double e : errors) {
                ss += (e - mean) * (e - mean);
            }
            out.add(new double[] {mean, errors.length > 1 ? Math.sqrt(ss / (errors.length - 1)) : Double.NaN});
        }
        return out;
    }

    private static List<ChunkDrift> drifts(List<Chunk> chunks, List<double[]> stats, OptionalDouble lower,
                                           OptionalDouble upper) {
        double lo = lower.isPresent() ? lower.getAsDouble() : Double.NEGATIVE_INFINITY;
        double hi = upper.isPresent() ? upper.getAsDouble() : Double.POSITIVE_INFINITY;
        List<ChunkDrift> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            double mean = stats.get(i)[0];
            double samplingError = stats.get(i)[1] / Math.sqrt(chunks.get(i).size());
            out.add(new ChunkDrift(chunks.get(i), mean, samplingError,
                    Math.max(mean - SAMPLING_ERROR_RANGE * samplingError, 0),
                    mean + SAMPLING_ERROR_RANGE * samplingError, !(lo < mean && mean < hi)));
        }
        return out;
    }
}
