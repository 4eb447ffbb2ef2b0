package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Correction")
class CorrectionTest {

    @Test
    @DisplayName("Benjamini-Hochberg equals scipy.stats.false_discovery_control, ties included")
    void benjaminiHochberg() {
        double[] p = {0.01, 0.04, 0.03, 0.005, 0.5, 0.04};
        // scipy 1.17.1: false_discovery_control([0.01, 0.04, 0.03, 0.005, 0.5, 0.04])
        double[] expected = {0.03, 0.048, 0.048, 0.03, 0.5, 0.048};
        double[] adjusted = Correction.BENJAMINI_HOCHBERG.adjust(p);
        for (int i = 0; i < p.length; i++) {
            assertThat(adjusted[i]).as("index %d", i).isCloseTo(expected[i], within(1e-15));
        }
        assertThat(p).containsExactly(0.01, 0.04, 0.03, 0.005, 0.5, 0.04);
    }

    @Test
    @DisplayName("Bonferroni multiplies by the number of tests and caps at 1; none copies")
    void bonferroniAndNone() {
        assertThat(Correction.BONFERRONI.adjust(new double[] {0.01, 0.2, 0.0})).containsExactly(0.03, 0.6000000000000001, 0.0);
        assertThat(Correction.BONFERRONI.adjust(new double[] {0.5, 0.5})).containsExactly(1.0, 1.0);
        assertThat(Correction.NONE.adjust(new double[] {0.3})).containsExactly(0.3);
        assertThat(Correction.BENJAMINI_HOCHBERG.adjust(new double[0])).isEmpty();
    }

    @Test
    @DisplayName("names: none, bonferroni, benjamini-hochberg and bh; others are rejected listing the valid ones")
    void names() {
        assertThat(Correction.parse("none")).isEqualTo(Correction.NONE);
        assertThat(Correction.parse("Bonferroni")).isEqualTo(Correction.BONFERRONI);
        assertThat(Correction.parse("bh")).isEqualTo(Correction.BENJAMINI_HOCHBERG);
        assertThat(Correction.parse("benjamini-hochberg")).isEqualTo(Correction.BENJAMINI_HOCHBERG);
        assertThat(Correction.BENJAMINI_HOCHBERG.id()).isEqualTo("benjamini-hochberg");
        assertThatThrownBy(() -> Correction.parse("holm")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'holm'").hasMessageContaining("bonferroni");
        assertThatThrownBy(() -> Correction.BONFERRONI.adjust(new double[] {0.1, 1.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 1");
    }

    @Property(tries = 300)
    @Label("raw ≤ BH ≤ Bonferroni ≤ 1, and BH keeps the order of the raw p-values")
    void ordering(@ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0.0, max = 1.0) Double> values) {
        double[] p = values.stream().mapToDouble(Double::doubleValue).toArray();
        double[] bh = Correction.BENJAMINI_HOCHBERG.adjust(p);
        double[] bonf = Correction.BONFERRONI.adjust(p);
        for (int i = 0; i < p.length; i++) {
            assertThat(bh[i]).isGreaterThanOrEqualTo(p[i]).isLessThanOrEqualTo(bonf[i] + 1e-15);
            assertThat(bonf[i]).isLessThanOrEqualTo(1.0);
            for (int j = 0; j < p.length; j++) {
                if (p[i] < p[j]) {
                    assertThat(bh[i]).isLessThanOrEqualTo(bh[j]);
                }
            }
        }
        double[] reversed = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            reversed[i] = p[p.length - 1 - i];
        }
        double[] bhReversed = Correction.BENJAMINI_HOCHBERG.adjust(reversed);
        for (int i = 0; i < p.length; i++) {
            assertThat(bhReversed[i]).isEqualTo(bh[p.length - 1 - i]);
        }
        assertThat(Arrays.stream(bh).allMatch(x -> x <= 1.0)).isTrue();
    }
}
