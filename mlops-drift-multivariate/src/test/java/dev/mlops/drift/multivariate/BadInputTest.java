package dev.mlops.drift.multivariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.estimation.Chunking;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Refusals with the value named, and the imputation and encoding rules on small frames. */
class BadInputTest {

    static Frame frame(double[] a, double[] b, String[] c) {
        Schema schema = Schema.of(new Field("a", FieldType.DOUBLE), new Field("b", FieldType.DOUBLE),
                new Field("c", FieldType.STRING));
        return Frame.ofColumns(schema, List.of(a, b, c));
    }

    static Frame randomFrame(Random rnd, int rows) {
        double[] a = new double[rows];
        double[] b = new double[rows];
        String[] c = new String[rows];
        for (int i = 0; i < rows; i++) {
            a[i] = rnd.nextGaussian();
            b[i] = a[i] + rnd.nextGaussian();
            c[i] = rnd.nextBoolean() ? "x" : (rnd.nextBoolean() ? "y" : "z");
        }
        return frame(a, b, c);
    }

    @Test
    void reconstructionRefusesBadReferencesNamingTheValue() {
        Frame good = randomFrame(new Random(1), 40);
        assertThatThrownBy(() -> DataReconstructionDrift.builder().columns("a", "b", "d").fit(good))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no column 'd'");
        assertThatThrownBy(() -> DataReconstructionDrift.builder().columns("a").fit(good.slice(0, 0)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("reference data has no rows");
        double[] constant = new double[40];
        java.util.Arrays.fill(constant, 2.5);
        assertThatThrownBy(() -> DataReconstructionDrift.builder().columns("a", "b")
                .fit(frame(good.numeric("a"), constant, good.strings("c"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("column 'b' is constant")
                .hasMessageContaining("2.5");
        double[] infinite = good.numeric("a");
        infinite[7] = Double.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> DataReconstructionDrift.builder().columns("a", "b")
                .fit(frame(infinite, good.numeric("b"), good.strings("c"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("column 'a'")
                .hasMessageContaining("-Infinity in row 7");
        double[] allMissing = new double[40];
        java.util.Arrays.fill(allMissing, Double.NaN);
        assertThatThrownBy(() -> DataReconstructionDrift.builder().columns("a", "b")
                .fit(frame(good.numeric("a"), allMissing, good.strings("c"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("column 'b' has no value in the reference");
        assertThatThrownBy(() -> DataReconstructionDrift.builder().fit(good)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no columns given");
        assertThatThrownBy(() -> DataReconstructionDrift.builder().columns("a", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'a' is given twice");
        assertThatThrownBy(() -> DataReconstructionDrift.builder().varianceToExplain(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("variance to explain is 1.0");
        assertThatThrownBy(() -> DataReconstructionDrift.builder().chunking(Chunking.byPeriod(Chunking.PeriodUnit.DAY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs timestamps");
    }

    @Test
    void analysisWithOtherColumnsOrNoRowsIsRefused() {
        FittedMultivariateDrift drift = DataReconstructionDrift.builder().columns("a", "b", "c")
                .chunking(Chunking.bySize(10)).fit(randomFrame(new Random(2), 40));
        Frame other = randomFrame(new Random(3), 20);
        Schema swapped = Schema.of(new Field("a", FieldType.DOUBLE), new Field("b", FieldType.STRING),
                new Field("c", FieldType.STRING));
        Frame mismatched = Frame.ofColumns(swapped, List.of(other.numeric("a"), other.strings("c"), other.strings("c")));
        assertThatThrownBy(() -> drift.calculate(mismatched)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("column 'b' of the analysis data is not numeric");
        assertThatThrownBy(() -> drift.calculate(other.slice(0, 0))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("analysis data has no rows");
        assertThat(drift.calculate(other).analysis()).hasSize(2);
    }

    /**
     * Missing values are imputed as NannyML does: a row whose continuous value is missing gets the reference mean,
     * a missing category the most frequent one, so such a row has the same error as the row holding those values;
     * an unseen category counts as share 0.
     */
    @Test
    void missingValuesAreImputedFromTheReference() {
        double[] a = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] b = {2, 1, 4, 3, 6, 5, 8, 9};
        String[] c = {"x", "x", "x", "y", "y", "z", "x", "y"};
        FittedMultivariateDrift drift = DataReconstructionDrift.builder().columns("a", "b", "c").components(1)
                .chunking(Chunking.bySize(1)).fit(frame(a, b, c));
        double meanA = 4.5;
        Frame probe = frame(new double[] {Double.NaN, meanA, 2, 2}, new double[] {3, 3, 3, 3},
                new String[] {"x", "x", null, "unseen"});
        Frame imputed = frame(new double[] {meanA, meanA, 2, 2}, new double[] {3, 3, 3, 3},
                new String[] {"x", "x", "x", "x"});
        MultivariateDriftResult r = drift.calculate(probe);
        MultivariateDriftResult expected = drift.calculate(imputed);
        assertThat(r.analysis().get(0).value()).isCloseTo(expected.analysis().get(0).value(), within(1e-12));
        assertThat(r.analysis().get(2).value()).isCloseTo(expected.analysis().get(2).value(), within(1e-12));
        assertThat(r.analysis().get(3).value()).isNotCloseTo(expected.analysis().get(3).value(), within(1e-6));
        assertThat(r.analysis().get(0).samplingError()).isNaN();
    }

    @Test
    void domainClassifierRefusesOneLabelAndTooFewRows() {
        Frame reference = randomFrame(new Random(4), 30);
        assertThatThrownBy(() -> DomainClassifierDrift.builder().columns("a", "b", "c").chunking(Chunking.byNumber(1))
                .fit(reference)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("gives 0 reference rows and 30 chunk rows")
                .hasMessageContaining("a classifier needs both labels");
        FittedMultivariateDrift drift = DomainClassifierDrift.builder().columns("a", "b", "c")
                .chunking(Chunking.bySize(10)).trees(5).fit(reference);
        assertThatThrownBy(() -> drift.calculate(randomFrame(new Random(5), 13))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("analysis chunk [10:12] gives 30 reference rows and 3 chunk rows")
                .hasMessageContaining("expected at least 5 of each");
        assertThatThrownBy(() -> DomainClassifierDrift.builder().thresholds(0.7, 0.6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thresholds are 0.7 and 0.6");
        assertThatThrownBy(() -> DomainClassifierDrift.builder().folds(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("folds is 1");
    }

    /**
     * A chunk whose correlation turned round is told apart (well above the 0.65 threshold: rows near b = a and
     * b = -a overlap around a = 0, so even the best classifier stays below 1), and a chunk from the reference's
     * distribution stays near 0.5; missing values are left to the trees.
     */
    @Test
    void domainClassifierSeparatesATurnedCorrelationAndKeepsTheSameDistributionNearHalf() {
        Random rnd = new Random(6);
        Frame reference = randomFrame(rnd, 400);
        double[] a = new double[200];
        double[] b = new double[200];
        String[] c = new String[200];
        Frame same = randomFrame(rnd, 100);
        for (int i = 0; i < 100; i++) {
            a[i] = same.numeric("a")[i];
            b[i] = i % 10 == 0 ? Double.NaN : same.numeric("b")[i];
            c[i] = i % 7 == 0 ? null : same.strings("c")[i];
        }
        for (int i = 100; i < 200; i++) {
            a[i] = rnd.nextGaussian();
            b[i] = -a[i] + rnd.nextGaussian();   // the correlation turns round; each column's distribution stays
            c[i] = rnd.nextBoolean() ? "x" : (rnd.nextBoolean() ? "y" : "z");
        }
        MultivariateDriftResult r = DomainClassifierDrift.builder().columns("a", "b", "c").chunking(Chunking.bySize(100))
                .trees(30).fit(reference).calculate(frame(a, b, c));
        assertThat(r.analysis().get(0).value()).isBetween(0.35, 0.65);
        assertThat(r.analysis().get(1).value()).isGreaterThan(0.72);
        assertThat(r.analysis().get(1).alert()).isTrue();
        assertThat(r.analysis().get(0).samplingError()).isNaN();
    }
}
