package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The distinct-value slices that cross the shuffle, and the reduced counts that reach the driver, as bytes. */
@DisplayName("Distinct-count slices and reduced keys as bytes")
class DistinctSliceBytesTest {
    /** Keys of NaN-free doubles across the whole range: ±Infinity, ±0.0 (one key), extremes. */
    static final long[] KEYS = {DistinctCounting.key(Double.NEGATIVE_INFINITY), DistinctCounting.key(-Double.MAX_VALUE),
        DistinctCounting.key(-1.0), DistinctCounting.key(-0.0), DistinctCounting.key(Double.MIN_VALUE),
        DistinctCounting.key(1.0), DistinctCounting.key(Double.MAX_VALUE), DistinctCounting.key(Double.POSITIVE_INFINITY)};

    @Test
    @DisplayName("slices over the whole key range, one key and none read back; Long.MIN_VALUE and MAX_VALUE too")
    void slicesRoundTrip() {
        assertThat(DistinctCounting.decode(DistinctCounting.encode(KEYS, 0, KEYS.length))).containsExactly(KEYS);
        assertThat(DistinctCounting.decode(DistinctCounting.encode(KEYS, 2, 3))).containsExactly(KEYS[2]);
        assertThat(DistinctCounting.decode(DistinctCounting.encode(KEYS, 4, 4))).isEmpty();
        long[] extremes = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        assertThat(DistinctCounting.decode(DistinctCounting.encode(extremes, 0, 4))).containsExactly(extremes);
    }

    @Test
    @DisplayName("slices: truncated, trailing, other formats, more keys than bytes and repeated keys are refused")
    void slicesRefuseBadBytes() {
        byte[] good = DistinctCounting.encode(KEYS, 0, KEYS.length);
        CodecAssertions.refusesTruncatedTrailingAndOtherFormats(good, DistinctCounting::decode, "distinct-value slice");
        CodecAssertions.corruptionFailsCleanly(good, DistinctCounting::decode);
        byte[] hostile = new SummaryBytes.Writer(0).writeByte(DistinctCounting.SLICE_FORMAT).count(Integer.MAX_VALUE)
                .toByteArray();
        assertThatThrownBy(() -> DistinctCounting.decode(hostile)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("distinct-value slice: key count is 2147483647, but only 0 bytes remain");
        byte[] repeated = new SummaryBytes.Writer(0).writeByte(DistinctCounting.SLICE_FORMAT).count(2).count(5).count(0)
                .toByteArray();
        assertThatThrownBy(() -> DistinctCounting.decode(repeated))
                .hasMessage("distinct-value slice: key 1 is not above the one before");
        byte[] wrapped = new SummaryBytes.Writer(0).writeByte(DistinctCounting.SLICE_FORMAT).count(2)
                .count(Long.MAX_VALUE).count(1).toByteArray();
        assertThatThrownBy(() -> DistinctCounting.decode(wrapped))
                .hasMessage("distinct-value slice: key 1 is not above the one before");
    }

    @Test
    @DisplayName("reduced keys: a bucket's size (huge too) and a merged second-pass summary read back")
    void reducedRoundTrip() {
        DistinctCounting.Reduced size = DistinctCounting.Reduced.decode(
                new DistinctCounting.Reduced(Integer.MAX_VALUE, Long.MAX_VALUE, null).encode());
        assertThat(size.key()).isEqualTo(Integer.MAX_VALUE);
        assertThat(size.size()).isEqualTo(Long.MAX_VALUE);
        assertThat(size.bins()).isNull();
        SecondPass.Bins bins = SecondPassBinsTest.awkward();
        DistinctCounting.Reduced summary = DistinctCounting.Reduced.decode(new DistinctCounting.Reduced(-1, 0, bins).encode());
        assertThat(summary.key()).isEqualTo(-1);
        assertThat(summary.bins().encode()).isEqualTo(bins.encode());
    }

    @Test
    @DisplayName("reduced keys: truncated, trailing, other formats, unknown kinds and keys beyond an int are refused")
    void reducedRefusesBadBytes() {
        byte[] sizeBytes = new DistinctCounting.Reduced(300, 1L << 40, null).encode();
        CodecAssertions.refusesTruncatedTrailingAndOtherFormats(sizeBytes, DistinctCounting.Reduced::decode,
                "reduced distinct count");
        byte[] binsBytes = new DistinctCounting.Reduced(-1, 0, SecondPassBinsTest.awkward()).encode();
        CodecAssertions.refusesTruncatedTrailingAndOtherFormats(binsBytes, DistinctCounting.Reduced::decode,
                "reduced distinct count");
        CodecAssertions.corruptionFailsCleanly(binsBytes, DistinctCounting.Reduced::decode);
        byte[] kind = {DistinctCounting.Reduced.FORMAT, 2};
        assertThatThrownBy(() -> DistinctCounting.Reduced.decode(kind)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reduced distinct count: kind 2, expected 0 (a bucket's size) or 1 (the second-pass summary)");
        byte[] bigKey = new SummaryBytes.Writer(0).writeByte(DistinctCounting.Reduced.FORMAT).writeByte(0)
                .count(1L << 31).count(1).toByteArray();
        assertThatThrownBy(() -> DistinctCounting.Reduced.decode(bigKey))
                .hasMessage("reduced distinct count: bucket is 2147483648, beyond 2147483647");
    }
}
