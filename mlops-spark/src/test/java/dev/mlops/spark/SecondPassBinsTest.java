package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The second pass's summary crosses the shuffle as plain numbers, read back exactly. */
class SecondPassBinsTest {
    @Test
    @DisplayName("a summary read back from its bytes equals it, and extra bytes are refused")
    void roundTrip() {
        SecondPass.Bins bins = new SecondPass.Bins(new double[][] {{0, 1, 2}, {}}, new double[][] {{0.5}, {1, 2}});
        bins.binCounts[0][1] = 7;
        bins.cells[1][2] = 3;
        bins.addMoment(0, 1.25);
        bins.addMoment(0, -0.0);
        bins.addMoment(1, Double.MIN_VALUE);
        SecondPass.Bins back = SecondPass.Bins.decode(bins.encode());
        assertThat(back.binCounts).isDeepEqualTo(bins.binCounts);
        assertThat(back.cells).isDeepEqualTo(bins.cells);
        assertThat(back.finite).containsExactly(bins.finite);
        assertThat(Arrays.stream(back.mean).mapToLong(Double::doubleToRawLongBits).toArray())
                .containsExactly(Arrays.stream(bins.mean).mapToLong(Double::doubleToRawLongBits).toArray());
        assertThat(Arrays.stream(back.m2).mapToLong(Double::doubleToRawLongBits).toArray())
                .containsExactly(Arrays.stream(bins.m2).mapToLong(Double::doubleToRawLongBits).toArray());
        byte[] longer = Arrays.copyOf(bins.encode(), bins.encode().length + 1);
        assertThatThrownBy(() -> SecondPass.Bins.decode(longer)).hasMessageContaining("bytes after its last column");
    }
}
