package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The building blocks of the summaries' byte formats, and the buffers' encoders that carry them. */
@DisplayName("Summary bytes")
class SummaryBytesTest {
    static final byte FORMAT = 7;
    static final String[] TEXTS = {null, "", "a", "\u0000", "\u007f\u0080\u07ff\u0800\uffff", "\u00e9t\u00e9",
        "\ud83d\ude00", "\ud800", "\udfff lone low", "x".repeat(300)};
    static final double[] NUMBERS = {Double.NaN, Double.longBitsToDouble(0x7ff8_0000_0000_0abcL), -0.0, 0.0,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE};
    static final long[] COUNTS = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, 1L << 62, Long.MAX_VALUE};

    static byte[] sample() {
        SummaryBytes.Writer w = new SummaryBytes.Writer(0).writeByte(FORMAT);
        for (long c : COUNTS) {
            w.count(c);
        }
        w.count(-1L); // as 64 bits: a slice's first key may be negative
        for (double d : NUMBERS) {
            w.number(d);
        }
        for (String t : TEXTS) {
            w.text(t);
        }
        w.bytes(new byte[0]).bytes(new byte[] {1, 2, 3}).fixedLong(Long.MIN_VALUE);
        return w.toByteArray();
    }

    @Test
    @DisplayName("counts, 64-bit varints, raw doubles, any Java text and byte arrays read back exactly")
    void roundTrip() {
        SummaryBytes.Reader r = new SummaryBytes.Reader(sample(), "test summary", FORMAT);
        for (long c : COUNTS) {
            assertThat(r.count("count")).isEqualTo(c);
        }
        assertThat(r.varint("key")).isEqualTo(-1L);
        for (double d : NUMBERS) {
            assertThat(Double.doubleToRawLongBits(r.number("number"))).isEqualTo(Double.doubleToRawLongBits(d));
        }
        for (String t : TEXTS) {
            assertThat(r.text("text")).isEqualTo(t);
        }
        assertThat(r.bytes("empty")).isEmpty();
        assertThat(r.bytes("three")).containsExactly(1, 2, 3);
        assertThat(r.fixedLong("last")).isEqualTo(Long.MIN_VALUE);
        r.end("field");
    }

    @Test
    @DisplayName("every truncation, a wrong or missing format and trailing bytes are refused by name")
    void refusesTruncated() {
        byte[] good = sample();
        assertThatThrownBy(() -> new SummaryBytes.Reader(new byte[0], "test summary", FORMAT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("test summary: no bytes, expected format 7");
        assertThatThrownBy(() -> new SummaryBytes.Reader(new byte[] {3}, "test summary", FORMAT))
                .hasMessage("test summary: format 3, expected 7");
        for (int n = 1; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> {
                SummaryBytes.Reader r = new SummaryBytes.Reader(cut, "test summary", FORMAT);
                for (long c : COUNTS) {
                    r.count("count");
                }
                r.varint("key");
                for (double d : NUMBERS) {
                    r.number("number");
                }
                for (String t : TEXTS) {
                    r.text("text");
                }
                r.bytes("empty");
                r.bytes("three");
                r.fixedLong("last");
            }).as("first %d of %d bytes", n, good.length).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("test summary: ");
        }
        SummaryBytes.Reader r = new SummaryBytes.Reader(new byte[] {FORMAT, 0, 0}, "test summary", FORMAT);
        r.count("one");
        assertThatThrownBy(() -> r.end("field")).hasMessage("test summary: 1 bytes after its last field");
    }

    @Test
    @DisplayName("hostile lengths, counts beyond a long, over-long varints and malformed text are refused")
    void refusesHostile() {
        byte[] huge = new SummaryBytes.Writer(0).writeByte(FORMAT).count(Integer.MAX_VALUE).toByteArray();
        assertThatThrownBy(() -> new SummaryBytes.Reader(huge, "s", FORMAT).length("items", 8))
                .hasMessage("s: items is 2147483647, but only 0 bytes remain (at least 8 each)");
        assertThatThrownBy(() -> new SummaryBytes.Reader(huge, "s", FORMAT).bytes("blob"))
                .hasMessageContaining("blob is 2147483647");
        byte[] two = new SummaryBytes.Writer(0).writeByte(FORMAT).count(2).writeByte(0).writeByte(0).toByteArray();
        assertThatThrownBy(() -> new SummaryBytes.Reader(two, "s", FORMAT).length("items", 1, 1))
                .hasMessage("s: items is 2, expected at most 1");
        byte[] manyChars = new SummaryBytes.Writer(0).writeByte(FORMAT).count(1L << 40).toByteArray();
        assertThatThrownBy(() -> new SummaryBytes.Reader(manyChars, "s", FORMAT).text("name"))
                .hasMessageContaining("name has " + ((1L << 40) - 1) + " chars, but only 0 bytes remain");
        byte[] negative = new SummaryBytes.Writer(0).writeByte(FORMAT).count(-5).toByteArray();
        assertThatThrownBy(() -> new SummaryBytes.Reader(negative, "s", FORMAT).count("rows"))
                .hasMessage("s: rows is 18446744073709551611, beyond 9223372036854775807");
        byte[] elevenBytes = new byte[12];
        Arrays.fill(elevenBytes, (byte) 0x80);
        elevenBytes[0] = FORMAT;
        assertThatThrownBy(() -> new SummaryBytes.Reader(elevenBytes, "s", FORMAT).count("rows"))
                .hasMessage("s: rows is a varint of more than 10 bytes");
        byte[] tenth = {FORMAT, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2};
        assertThatThrownBy(() -> new SummaryBytes.Reader(tenth, "s", FORMAT).varint("key"))
                .hasMessage("s: key overflows 64 bits");
        for (byte[] text : new byte[][] {{FORMAT, 2, (byte) 0x80}, {FORMAT, 2, (byte) 0xC1, 0x41},
            {FORMAT, 2, (byte) 0xC0, (byte) 0x80}, {FORMAT, 2, (byte) 0xE0, (byte) 0x80, (byte) 0x80},
            {FORMAT, 2, (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80}}) {
            assertThatThrownBy(() -> new SummaryBytes.Reader(text, "s", FORMAT).text("name"))
                    .as(Arrays.toString(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("s: name has ");
        }
    }

    @Test
    @DisplayName("each aggregation buffer's encoder is one binary column (our bytes), not a Java-serialized object")
    void buffersAreBytes() {
        for (Class<?> buffer : new Class<?>[] {FirstPass.Buffer.class, WindowCounting.Pending.class,
            ValidationCounting.Buffer.class}) {
            var schema = Encoders.bean(buffer).schema();
            assertThat(schema.fieldNames()).as(buffer.getName()).containsExactly("bytes");
            assertThat(schema.fields()[0].dataType()).isEqualTo(DataTypes.BinaryType);
        }
    }
}
