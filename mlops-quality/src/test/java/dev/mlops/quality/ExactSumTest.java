package dev.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ExactSum")
class ExactSumTest {

    /** The correctly rounded exact sum of finite values (BigDecimal's conversion rounds to nearest-even). */
    static double exact(List<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum.doubleValue();
    }

    static double sum(List<Double> values) {
        ExactSum s = new ExactSum();
        values.forEach(s::add);
        return s.doubleValue();
    }

    static double randomDouble(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
            case 1 -> Double.longBitsToDouble(r.nextLong() & 0x800F_FFFF_FFFF_FFFFL); // subnormal
            case 2 -> (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * r.nextDouble();
            case 3 -> Double.longBitsToDouble(r.nextLong()) ; // any bits, NaN/inf filtered below
            default -> r.nextInt(1000) - 500;
        };
    }

    @Test
    @DisplayName("is the correctly rounded exact sum over the whole range of doubles, in any order")
    void correctlyRounded() {
        Random r = new Random(16);
        for (int trial = 0; trial < 300; trial++) {
            List<Double> values = new ArrayList<>();
            int n = 1 + r.nextInt(60);
            for (int i = 0; i < n; i++) {
                double v = randomDouble(r);
                if (Double.isFinite(v)) {
                    values.add(v);
                }
            }
            double expected = exact(values);
            assertThat(sum(values)).as("sum of %s", values).isEqualTo(expected);
            Collections.shuffle(values, r);
            assertThat(sum(values)).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("cancellation naive summation loses is kept: 1e100 + 1 - 1e100 is 1")
    void cancellation() {
        assertThat(sum(List.of(1e100, 1.0, -1e100))).isEqualTo(1.0);
        assertThat(sum(List.of(0.1, 0.2, 0.3))).isEqualTo(exact(List.of(0.1, 0.2, 0.3)));
        assertThat(sum(List.of(Double.MIN_VALUE, Double.MIN_VALUE))).isEqualTo(2 * Double.MIN_VALUE);
        assertThat(sum(List.of(Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE))).isEqualTo(Double.MAX_VALUE);
        assertThat(sum(List.of(Double.MAX_VALUE, Double.MAX_VALUE))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sum(List.of(-Double.MAX_VALUE, -Double.MAX_VALUE))).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    @DisplayName("ties round to even")
    void tiesToEven() {
        // 2^53 + 1 is halfway between 2^53 and 2^53 + 2: even is 2^53; 2^53 + 3 rounds up to 2^53 + 4
        assertThat(sum(List.of(0x1p53, 1.0))).isEqualTo(0x1p53);
        assertThat(sum(List.of(0x1p53, 3.0))).isEqualTo(0x1p53 + 4);
        // a tie broken by a tiny third value
        assertThat(sum(List.of(0x1p53, 1.0, 0x1p-1000))).isEqualTo(0x1p53 + 2);
    }

    @Test
    @DisplayName("zeros, infinities and NaN give what plain summation gives")
    void specials() {
        assertThat(new ExactSum().doubleValue()).isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(sum(List.of(-0.0, -0.0)))).isEqualTo(Double.doubleToRawLongBits(0.0 + -0.0 + -0.0));
        assertThat(sum(List.of(1.0, Double.POSITIVE_INFINITY))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sum(List.of(1.0, Double.NEGATIVE_INFINITY))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(sum(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY))).isNaN();
        assertThat(sum(List.of(1.0, Double.NaN))).isNaN();
    }

    @Test
    @DisplayName("merged partial sums equal the sum of all values, however the values were split")
    void merge() {
        Random r = new Random(7);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            double v = randomDouble(r);
            values.add(Double.isFinite(v) ? v : 1.5);
        }
        values.add(Double.POSITIVE_INFINITY);
        for (int parts = 1; parts <= 7; parts++) {
            ExactSum[] partial = new ExactSum[parts];
            for (int p = 0; p < parts; p++) {
                partial[p] = new ExactSum();
            }
            for (int i = 0; i < values.size(); i++) {
                partial[(i * 31 + parts) % parts].add(values.get(i));
            }
            ExactSum merged = new ExactSum();
            for (int p = parts - 1; p >= 0; p--) {
                merged.merge(partial[p]);
            }
            assertThat(merged.doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
        }
        values.remove(values.size() - 1);
        double expected = exact(values);
        ExactSum a = new ExactSum();
        ExactSum b = new ExactSum();
        for (int i = 0; i < values.size(); i++) {
            (i % 3 == 0 ? a : b).add(values.get(i));
        }
        assertThat(b.merge(a).doubleValue()).isEqualTo(expected);
    }
}
