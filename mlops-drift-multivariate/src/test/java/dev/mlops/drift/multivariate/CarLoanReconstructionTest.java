package dev.mlops.drift.multivariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.estimation.Chunk;
import dev.mlops.estimation.Chunking;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data-reconstruction drift on NannyML's car-loan data with the settings of NannyML's tutorial
 * "Detecting Data Drift - Multivariate - Data Reconstruction with PCA" (chunks of 5000, the seven
 * features), against the values its notebook prints (NannyML 0.13.1, 6 decimals).
 */
class CarLoanReconstructionTest {
    /** NannyML's printed reference chunk values, thresholds and analysis chunk values. */
    private static final double[] NANNYML_REFERENCE = {1.136408, 1.134478, 1.136076, 1.140114, 1.126078, 1.142018,
        1.125146, 1.143206, 1.130954, 1.127026};
    private static final double[] NANNYML_ANALYSIS = {1.141517, 1.130636, 1.138914, 1.145040, 1.137563, 1.249205,
        1.243101, 1.258147, 1.228179, 1.259884};
    private static final double[] NANNYML_ANALYSIS_SAMPLING_ERROR = {0.007025, 0.007098, 0.006977, 0.007077, 0.006994,
        0.007036, 0.006985, 0.006960, 0.006967, 0.006966};
    private static final double NANNYML_LOWER = 1.115281;
    private static final double NANNYML_UPPER = 1.153019;

    private static final MultivariateDriftResult RESULT = DataReconstructionDrift.builder()
            .columns(CarLoan.FEATURES)
            .chunking(Chunking.bySize(5000))
            .fit(CarLoan.reference())
            .calculate(CarLoan.analysis());

    @Test
    void chunkValuesEqualNannyMlsToItsPrintedPrecision() {
        assertThat(RESULT.reference()).hasSize(10);
        assertThat(RESULT.analysis()).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(RESULT.reference().get(i).value()).as("reference chunk %d", i)
                    .isCloseTo(NANNYML_REFERENCE[i], within(1e-6));
            assertThat(RESULT.analysis().get(i).value()).as("analysis chunk %d", i)
                    .isCloseTo(NANNYML_ANALYSIS[i], within(1e-6));
            assertThat(RESULT.analysis().get(i).samplingError()).as("sampling error of chunk %d", i)
                    .isCloseTo(NANNYML_ANALYSIS_SAMPLING_ERROR[i], within(1e-6));
        }
        assertThat(RESULT.lowerThreshold()).hasValueCloseTo(NANNYML_LOWER, within(1e-6));
        assertThat(RESULT.upperThreshold()).hasValueCloseTo(NANNYML_UPPER, within(1e-6));
    }

    @Test
    void theChunksAfterTheShiftAlertAndNoReferenceChunkDoes() {
        assertThat(RESULT.alerts()).extracting(Chunk::key).containsExactly("[25000:29999]", "[30000:34999]",
                "[35000:39999]", "[40000:44999]", "[45000:49999]");
        assertThat(RESULT.reference()).noneMatch(ChunkDrift::alert);
        for (ChunkDrift c : RESULT.analysis()) {
            assertThat(c.lowerConfidenceBound()).isCloseTo(c.value() - 3 * c.samplingError(), within(1e-12));
            assertThat(c.upperConfidenceBound()).isCloseTo(c.value() + 3 * c.samplingError(), within(1e-12));
        }
        assertThat(RESULT.columns()).isEqualTo(CarLoan.FEATURES);
        assertThat(RESULT.method()).isEqualTo("reconstruction_error");
        assertThat(RESULT.referenceRows()).isEqualTo(50_000);
    }

    @Test
    void printsTheTableForTheDocs() {
        StringBuilder table = new StringBuilder("| chunk | reference | NannyML | analysis | NannyML | sampling error | alert |\n");
        List<ChunkDrift> ref = RESULT.reference();
        for (int i = 0; i < 10; i++) {
            ChunkDrift a = RESULT.analysis().get(i);
            table.append(String.format("| %s | %.6f | %.6f | %.6f | %.6f | %.6f | %s |%n", a.chunk().key(), ref.get(i).value(),
                    NANNYML_REFERENCE[i], a.value(), NANNYML_ANALYSIS[i], a.samplingError(), a.alert() ? "yes" : ""));
        }
        System.out.println(table);
        System.out.println("thresholds " + RESULT.lowerThreshold() + " " + RESULT.upperThreshold());
        assertThat(table).contains("[45000:49999]");
    }
}
