package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BinLabelsTest {

    @Test
    void roundingNoiseIsGone() {
        assertThat(BinLabels.of(new double[] {2.4499999999999997, 6.0, 9.549999999999999, 37.870000000000005}))
                .containsExactly("2.45", "6", "9.55", "37.87");
    }

    @Test
    void neighboursStayApartWithAsManyDigitsAsThatTakes() {
        assertThat(BinLabels.of(new double[] {1.00001, 1.00002, 1.00003})).containsExactly("1.00001", "1.00002", "1.00003");
        double a = 0.1;
        double b = Math.nextUp(a);
        String[] t = BinLabels.of(new double[] {a, b});
        assertThat(t[0]).isNotEqualTo(t[1]);
        assertThat(Double.parseDouble(t[0])).isEqualTo(a);
        assertThat(Double.parseDouble(t[1])).isEqualTo(b);
    }

    @Test
    void specialValuesAndMagnitudes() {
        assertThat(BinLabels.of(new double[] {Double.NEGATIVE_INFINITY, -0.0, 1e-9, 123456.0, 3.2e12, Double.POSITIVE_INFINITY}))
                .containsExactly("-inf", "0", "1E-9", "123456", "3.2E+12", "+inf");
    }

    @Test
    void everyLabelOfManyEdgesIsDistinct() {
        double[] edges = new double[200];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = 1000 + i * 1e-7 / 3;
        }
        String[] t = BinLabels.of(edges);
        assertThat(Arrays.stream(t).distinct().count()).isEqualTo(edges.length);
    }
}
