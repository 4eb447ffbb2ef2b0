package dev.mlops.quality;

import dev.mlops.quality.testing.QualityReference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.McNemarMethod;
import dev.mlops.api.quality.McNemarResult;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("McNemar's test agrees with statsmodels")
class McNemarTest {

    /** Builds predictions with the given concordant and discordant counts (rows shuffled by a fixed rule). */
    static ClassificationData[] pair(int b, int c, int both, int neither) {
        int n = b + c + both + neither;
        int[] actual = new int[n];
        int[] cand = new int[n];
        int[] champ = new int[n];
        int i = 0;
        for (int k = 0; k < n; k++) {
            actual[k] = k % 2;
        }
        for (int k = 0; k < both; k++, i++) {
            cand[i] = actual[i];
            champ[i] = actual[i];
        }
        for (int k = 0; k < neither; k++, i++) {
            cand[i] = 1 - actual[i];
            champ[i] = 1 - actual[i];
        }
        for (int k = 0; k < b; k++, i++) {
            cand[i] = 1 - actual[i];
            champ[i] = actual[i];
        }
        for (int k = 0; k < c; k++, i++) {
            cand[i] = actual[i];
            champ[i] = 1 - actual[i];
        }
        List<String> classes = List.of("no", "yes");
        return new ClassificationData[] {ClassificationData.of(classes, actual, cand), ClassificationData.of(classes, actual, champ)};
    }

    @Test
    @DisplayName("exact and corrected chi-square p-values and statistics match statsmodels 0.13 to 1e-12")
    void matchesStatsmodels() {
        double maxErr = 0;
        for (JsonNode e : QualityReference.ROOT.get("mcnemar")) {
            int b = e.get("championOnlyCorrect").intValue();
            int c = e.get("candidateOnlyCorrect").intValue();
            int both = e.get("bothCorrect").intValue();
            int neither = e.get("neitherCorrect").intValue();
            ClassificationData[] d = pair(b, c, both, neither);
            McNemarResult exact = McNemar.test(d[0], d[1], McNemarMethod.EXACT_BINOMIAL);
            assertThat(exact.candidateOnlyCorrect()).isEqualTo(c);
            assertThat(exact.championOnlyCorrect()).isEqualTo(b);
            assertThat(exact.rows()).isEqualTo(b + c + both + neither);
            JsonNode x = e.get("exact");
            maxErr = Math.max(maxErr, check(exact.statistic(), x.get("statistic").doubleValue()));
            maxErr = Math.max(maxErr, check(exact.pValue(), x.get("pvalue").doubleValue()));
            maxErr = Math.max(maxErr, check(exact.pValueImprovement(), x.get("pvalueImprovement").doubleValue()));
            if (e.has("chiSquareCorrected")) {
                McNemarResult chi = McNemar.test(d[0], d[1], McNemarMethod.CHI_SQUARE_CORRECTED);
                JsonNode y = e.get("chiSquareCorrected");
                maxErr = Math.max(maxErr, check(chi.statistic(), y.get("statistic").doubleValue()));
                maxErr = Math.max(maxErr, check(chi.pValue(), y.get("pvalue").doubleValue()));
                maxErr = Math.max(maxErr, check(chi.pValueImprovement(), y.get("pvalueImprovement").doubleValue()));
            }
            McNemarResult auto = McNemar.test(d[0], d[1]);
            assertThat(auto.method()).isEqualTo(b + c < 25 ? McNemarMethod.EXACT_BINOMIAL : McNemarMethod.CHI_SQUARE_CORRECTED);
        }
        System.out.println("McNemar max error vs statsmodels/scipy: " + maxErr);
    }

    private static double check(double got, double want) {
        assertThat(got).isCloseTo(want, offset(1e-12));
        return Math.abs(got - want);
    }

    @Test
    @DisplayName("hand values: b=1, c=9 exact gives 2 * 11/1024; AUTO switches to chi-square at 25 discordant rows")
    void handValues() {
        McNemarResult r = McNemar.fromCounts(100, 9, 1, McNemarMethod.AUTO);
        assertThat(r.method()).isEqualTo(McNemarMethod.EXACT_BINOMIAL);
        assertThat(r.pValue()).isEqualTo(2 * 11.0 / 1024);
        assertThat(r.pValueImprovement()).isEqualTo(11.0 / 1024);
        assertThat(r.significantImprovement(0.05)).isTrue();
        assertThat(McNemar.fromCounts(100, 12, 12, McNemarMethod.AUTO).method()).isEqualTo(McNemarMethod.EXACT_BINOMIAL);
        McNemarResult chi = McNemar.fromCounts(100, 15, 10, McNemarMethod.AUTO);
        assertThat(chi.method()).isEqualTo(McNemarMethod.CHI_SQUARE_CORRECTED);
        assertThat(chi.statistic()).isEqualTo(16.0 / 25);
        // scipy.stats.chi2.sf(0.64, 1)
        assertThat(chi.pValue()).isCloseTo(0.4237107971667936, offset(1e-14));
        McNemarResult none = McNemar.fromCounts(10, 0, 0, McNemarMethod.CHI_SQUARE_CORRECTED);
        assertThat(none.pValue()).isEqualTo(1.0);
        assertThat(none.pValueImprovement()).isEqualTo(1.0);
    }

    @Test
    @DisplayName("the chi-square(1) survival function matches scipy.stats.chi2.sf across its range")
    void chiSquareTail() {
        assertThat(McNemar.chiSquare1Sf(3.8414588206941285)).isCloseTo(0.05, offset(1e-15));
        assertThat(McNemar.chiSquare1Sf(6.634896601021217)).isCloseTo(0.01, offset(1e-15));
        assertThat(McNemar.chiSquare1Sf(1e-6)).isCloseTo(0.9992021155721779, offset(1e-14));
        assertThat(McNemar.chiSquare1Sf(100)).isCloseTo(1.5239706048320995e-23, offset(1e-35));
    }

    @Test
    @DisplayName("mismatched rows are refused with the row named")
    void mismatched() {
        ClassificationData[] d = pair(1, 2, 3, 4);
        ClassificationData shorter = d[1].select(new int[] {0, 1, 2});
        assertThatThrownBy(() -> McNemar.test(d[0], shorter)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("10 rows").hasMessageContaining("3");
        int[] actual = d[1].actual();
        actual[4] = 1 - actual[4];
        ClassificationData other = ClassificationData.of(d[1].classes(), actual, d[1].predicted());
        assertThatThrownBy(() -> McNemar.test(d[0], other)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("row 4");
    }
}
