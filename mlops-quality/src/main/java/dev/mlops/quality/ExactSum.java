package dev.mlops.quality;

import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * The exact sum of doubles, rounded once when read: a fixed-point accumulator wide enough for
 * every finite double (from 2^-1074 up to 2^1024, with room for 2^63 addends), so the result is
 * the correctly rounded sum whatever the order of the additions and however the values were
 * split into partial sums and {@link #merge merged}. That makes a mean computed on Spark
 * partitions equal, to the last bit, to the mean of the same values in process.
 *
 * <p>Infinities and NaN are counted apart and give the result plain summation gives: NaN if a
 * NaN was added or both infinities were, else the infinity added. Not thread-safe.
 */
public final class ExactSum {

    /** Bits per digit: a digit takes 2^31 additions of 32-bit parts before its long can overflow. */
    private static final int DIGIT_BITS = 32;
    private static final long DIGIT_MASK = (1L << DIGIT_BITS) - 1;
    /** 2098 bits of finite doubles (shifted by 1074), 3 digits for a mantissa's parts, 2 for carries. */
    private static final int DIGITS = (2098 + DIGIT_BITS - 1) / DIGIT_BITS + 3;
    /** Carries are propagated after this many additions, well before a digit can overflow. */
    private static final int NORMALIZE_EVERY = 1 << 30;
    /** The most bytes of the two's complement of a sum: 32 bits per digit below the top one, 64 for it. */
    /** The fewest bytes {@link #writeTo} writes: three counts and a one-byte finite part. */
    static final int MIN_BYTES = 3 * 8 + 4 + 1;
    private static final int MAX_SCALED_BYTES = (DIGITS - 1) * 4 + 8;

    private final long[] digits = new long[DIGITS];
    private int sinceNormalized;
    private long positiveInfinities;
    private long negativeInfinities;
    private long nans;

    /** An empty sum (zero). */
    public ExactSum() {
    }

    /**
     * @param v a value; NaN and infinities are counted apart
     */
    public void add(double v) {
        if (!Double.isFinite(v)) {
            if (Double.isNaN(v)) {
                nans++;
            } else if (v > 0) {
                positiveInfinities++;
            } else {
                negativeInfinities++;
            }
            return;
        }
        long bits = Double.doubleToRawLongBits(v);
        int biased = (int) ((bits >>> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (mantissa == 0 && biased == 0) {
            return; // ±0.0
        }
        // v = m * 2^(position - 1074) with m < 2^53
        long m = biased == 0 ? mantissa : mantissa | (1L << 52);
        int position = biased == 0 ? 0 : biased - 1;
        int at = position >>> 5;
        int offset = position & 31;
        long low = m << offset;
        long high = offset == 0 ? 0 : m >>> (64 - offset);
        long d0 = low & DIGIT_MASK;
        long d1 = low >>> DIGIT_BITS;
        if (bits < 0) {
            digits[at] -= d0;
            digits[at + 1] -= d1;
            digits[at + 2] -= high;
        } else {
            digits[at] += d0;
            digits[at + 1] += d1;
            digits[at + 2] += high;
        }
        if (++sinceNormalized == NORMALIZE_EVERY) {
            normalize();
        }
    }

    /**
     * Adds another sum into this one (the other is not changed).
     *
     * @param other a partial sum
     * @return this
     */
    public ExactSum merge(ExactSum other) {
        normalize();
        other.normalize();
        for (int i = 0; i < DIGITS; i++) {
            digits[i] += other.digits[i];
        }
        normalize();
        positiveInfinities += other.positiveInfinities;
        negativeInfinities += other.negativeInfinities;
        nans += other.nans;
        return this;
    }

    /** Propagates carries so that every digit but the top one is in [0, 2^32). */
    private void normalize() {
        for (int i = 0; i < DIGITS - 1; i++) {
            long carry = digits[i] >> DIGIT_BITS;
            digits[i] &= DIGIT_MASK;
            digits[i + 1] += carry;
        }
        sinceNormalized = 0;
    }

    /** @return the sum rounded to the nearest double (ties to even); +0.0 for an empty or zero sum */
    public double doubleValue() {
        if (nans > 0 || (positiveInfinities > 0 && negativeInfinities > 0)) {
            return Double.NaN;
        }
        if (positiveInfinities > 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (negativeInfinities > 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return times2PowMinus1074(scaled());
    }

    /** The finite part as the whole number {@code sum * 2^1074}. */
    private BigInteger scaled() {
        normalize();
        BigInteger scaled = BigInteger.valueOf(digits[DIGITS - 1]);
        for (int i = DIGITS - 2; i >= 0; i--) {
            scaled = scaled.shiftLeft(DIGIT_BITS).add(BigInteger.valueOf(digits[i]));
        }
        return scaled;
    }

    /**
     * Writes the sum as {@link ValidationState#toBytes} carries it: the counts of +Infinity,
     * -Infinity and NaN (long each), then the finite part {@code sum * 2^1074} as the length (int)
     * and bytes of its two's complement, a few bytes for most sums instead of all the digits.
     */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(positiveInfinities);
        out.writeLong(negativeInfinities);
        out.writeLong(nans);
        byte[] scaled = scaled().toByteArray();
        out.writeInt(scaled.length);
        out.write(scaled);
    }

    /**
     * Reads what {@link #writeTo} wrote.
     *
     * @throws IllegalArgumentException naming {@code what} if a count is negative or the finite
     *     part's length is out of range; the buffer's underflow if the bytes end early
     */
    static ExactSum readFrom(ByteBuffer in, String what) {
        ExactSum s = new ExactSum();
        s.positiveInfinities = nonNegative(in.getLong(), what, "+Infinity count");
        s.negativeInfinities = nonNegative(in.getLong(), what, "-Infinity count");
        s.nans = nonNegative(in.getLong(), what, "NaN count");
        int length = in.getInt();
        if (length < 1 || length > Math.min(MAX_SCALED_BYTES, in.remaining())) {
            throw new IllegalArgumentException(what + ": finite part of " + length + " bytes, expected 1 to "
                    + Math.min(MAX_SCALED_BYTES, in.remaining()));
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        BigInteger scaled = new BigInteger(bytes);
        for (int i = 0; i < DIGITS - 1; i++) {
            s.digits[i] = scaled.longValue() & DIGIT_MASK;
            scaled = scaled.shiftRight(DIGIT_BITS); // arithmetic: the sign stays in what is left
        }
        if (scaled.bitLength() > 63) {
            throw new IllegalArgumentException(what + ": finite part beyond the range of a sum");
        }
        s.digits[DIGITS - 1] = scaled.longValue();
        return s;
    }

    private static long nonNegative(long v, String what, String field) {
        if (v < 0) {
            throw new IllegalArgumentException(what + ": " + field + " is " + v + ", expected >= 0");
        }
        return v;
    }

    /** {@code scaled * 2^-1074}, correctly rounded. */
    static double times2PowMinus1074(BigInteger scaled) {
        int sign = scaled.signum();
        if (sign == 0) {
            return 0.0;
        }
        BigInteger magnitude = scaled.abs();
        int length = magnitude.bitLength();
        double rounded;
        if (length <= 53) {
            // below 2^53 * 2^-1074 every multiple of 2^-1074 is a double: exact
            rounded = Math.scalb((double) magnitude.longValue(), -1074);
        } else {
            // keep 62 bits, and a sticky bit for any dropped below them, so that the conversion of
            // the long rounds as the whole number would; the result is normal, so scaling is exact
            int shift = length - 62;
            long top = magnitude.shiftRight(shift).longValue();
            if (magnitude.getLowestSetBit() < shift) {
                top |= 1;
            }
            rounded = Math.scalb((double) top, shift - 1074);
        }
        return sign < 0 ? -rounded : rounded;
    }
}
