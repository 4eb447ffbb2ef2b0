package dev.mlops.drift.multivariate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.estimation.Chunk;
import dev.mlops.estimation.Chunking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The domain classifier on NannyML's car-loan data, as NannyML's tutorial "Detecting Data Drift - Multivariate -
 * Domain Classifier" (chunks of 5000, the seven features). NannyML prints 0.49-0.51 for the first five analysis
 * chunks and 0.913-0.917 for the last five, against its whole reference (50,000 rows).
 *
 * <p>Each chunk trains 5 classifiers, so the whole tutorial (20 chunks against 50,000 rows) takes minutes; the
 * test that always runs takes a smaller cut (the last 5,000 reference rows, chunks of 2,500, the analysis rows
 * 22,500 to 27,500: one chunk either side of the shift at 25,000). The tutorial's setting, with 10,000 reference rows, runs with
 * {@code -Dmultivariate.carloan.full=true} and prints the table of docs/drift-multivariate.md.
 */
class CarLoanDomainClassifierTest {

    @Test
    void chunksAroundTheShift() {
        MultivariateDriftResult r = DomainClassifierDrift.builder()
                .columns(CarLoan.FEATURES)
                .chunking(Chunking.bySize(2500))
                .fit(CarLoan.reference().slice(45_000, 50_000))
                .calculate(CarLoan.analysis().slice(22_500, 27_500));
        assertThat(r.analysis()).extracting(ChunkDrift::value).satisfiesExactly(
                v -> assertThat(v).isBetween(0.45, 0.56), v -> assertThat(v).isBetween(0.85, 0.95));
        assertThat(r.alerts()).extracting(Chunk::key).containsExactly("[2500:4999]");
        assertThat(r.reference()).hasSize(2).noneMatch(ChunkDrift::alert);
        assertThat(r.referenceRows()).isEqualTo(5000);
    }

    @Test
    @EnabledIfSystemProperty(named = "multivariate.carloan.full", matches = "true")
    void tutorialSettingWithTenThousandReferenceRows() {
        MultivariateDriftResult result = DomainClassifierDrift.builder()
                .columns(CarLoan.FEATURES)
                .chunking(Chunking.bySize(5000))
                .fit(CarLoan.reference().slice(40_000, 50_000))
                .calculate(CarLoan.analysis());
        assertThat(result.analysis()).hasSize(10);
        StringBuilder values = new StringBuilder();
        for (ChunkDrift c : result.analysis()) {
            values.append(String.format("| %s | %.4f | %s |%n", c.chunk().key(), c.value(), c.alert() ? "yes" : ""));
        }
        for (ChunkDrift c : result.reference()) {
            values.append(String.format("| reference %s | %.4f | %s |%n", c.chunk().key(), c.value(), c.alert() ? "yes" : ""));
        }
        System.out.println(values);
        for (int i = 0; i < 5; i++) {
            assertThat(result.analysis().get(i).value()).as("chunk %d", i).isBetween(0.45, 0.56);
        }
        for (int i = 5; i < 10; i++) {
            assertThat(result.analysis().get(i).value()).as("chunk %d", i).isBetween(0.88, 0.95);
        }
        assertThat(result.alerts()).extracting(Chunk::key).containsExactly("[25000:29999]", "[30000:34999]",
                "[35000:39999]", "[40000:44999]", "[45000:49999]");
        assertThat(result.reference()).hasSize(2).noneMatch(ChunkDrift::alert);
        assertThat(result.lowerThreshold()).hasValue(0.45);
        assertThat(result.upperThreshold()).hasValue(0.65);
        assertThat(result.method()).isEqualTo("domain_classifier_auroc");
        assertThat(result.referenceRows()).isEqualTo(10_000);
    }
}
