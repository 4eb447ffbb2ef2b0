package dev.mlops.quality;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a {@link ValidationPlan} counts from some rows: the row count, per column its non-missing
 * count and (numeric columns) smallest and largest value and {@link ExactSum}, per pattern and
 * per category constraint the values checked and those failing, with the few smallest failing
 * categories as examples. States of disjoint parts of the data {@link #merge merge} exactly:
 * counts add, extremes combine, sums are exact, so a merged state does not depend on how the
 * rows were split or in which order the parts merged. A second-pass state (from
 * {@link ValidationCounter#secondPass}) sums squared deviations from the first pass's means instead.
 *
 * <p>Fill it with {@link ValidationCounter#acceptNumber} and {@link ValidationCounter#acceptText};
 * read it with {@link ValidationPlan#result}. A batch engine ships it between workers as
 * {@link #toBytes} (plain numbers and text; reading them back instantiates nothing it names).
 * Not thread-safe.
 */
public final class ValidationState {
    /** The first byte of {@link #toBytes}: the version of the format. */
    static final byte FORMAT = 1;
    /** Bytes a column takes at the least: count, min, max, and a sum of one byte. */
    private static final int MIN_COLUMN_BYTES = 8 + 8 + 8 + ExactSum.MIN_BYTES;

    /** How many failing categories a state keeps as examples: the smallest ones. */
    static final int EXAMPLES = 5;

    final boolean secondPass;
    long rows;
    final long[] nonMissing;
    final double[] min;
    final double[] max;
    final ExactSum[] sums;
    /** Per pattern constraint: values checked and values matched. */
    final long[] patternTotal;
    final long[] patternMatched;
    /** Per category constraint: values outside the set, and the smallest of them. */
    final long[] outside;
    final ArrayList<TreeSet<String>> outsideExamples;
    /** Second pass only: per column, the first pass's mean. */
    final double[] means;

    ValidationState(int columns, int patterns, int categories, double[] means) {
        this.secondPass = means != null;
        this.means = means;
        this.nonMissing = new long[columns];
        this.min = new double[columns];
        this.max = new double[columns];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        this.sums = new ExactSum[columns];
        for (int i = 0; i < columns; i++) {
            sums[i] = new ExactSum();
        }
        this.patternTotal = new long[patterns];
        this.patternMatched = new long[patterns];
        this.outside = new long[categories];
        this.outsideExamples = new ArrayList<>(categories);
        for (int i = 0; i < categories; i++) {
            outsideExamples.add(new TreeSet<>());
        }
    }

    /**
     * Counts rows (their cells are given one by one to the plan).
     *
     * @param count rows to add
     */
    public void addRows(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("row count to add is " + count + ", expected >= 0");
        }
        rows += count;
    }

    /** @return the rows counted */
    public long rows() {
        return rows;
    }

    /** @return true if this state sums squared deviations (a second pass) */
    public boolean isSecondPass() {
        return secondPass;
    }

    /**
     * Adds the counts of a state of other rows of the same plan and pass into this one.
     *
     * @param other a state from the same plan and pass (not changed)
     * @return this
     * @throws IllegalArgumentException if the other state is of another shape or pass
     */
    public ValidationState merge(ValidationState other) {
        if (other.secondPass != secondPass || other.nonMissing.length != nonMissing.length
                || other.patternTotal.length != patternTotal.length || other.outside.length != outside.length
                || (secondPass && !Arrays.equals(other.means, means))) {
            throw new IllegalArgumentException("the states to merge come from different plans or passes");
        }
        rows += other.rows;
        for (int i = 0; i < nonMissing.length; i++) {
            nonMissing[i] += other.nonMissing[i];
            min[i] = Math.min(min[i], other.min[i]);
            max[i] = Math.max(max[i], other.max[i]);
            sums[i].merge(other.sums[i]);
        }
        for (int i = 0; i < patternTotal.length; i++) {
            patternTotal[i] += other.patternTotal[i];
            patternMatched[i] += other.patternMatched[i];
        }
        for (int i = 0; i < outside.length; i++) {
            outside[i] += other.outside[i];
            for (String s : other.outsideExamples.get(i)) {
                addExample(outsideExamples.get(i), s);
            }
        }
        return this;
    }

    /**
     * The state as bytes (big-endian), to ship between workers: format byte ({@value #FORMAT}),
     * pass (0 first, 1 second), rows (long), the numbers of columns, pattern and category
     * constraints (int each); per column its non-missing count (long), min and max (double) and
     * exact sum; a second pass's means (double each); per pattern constraint the values checked
     * and matched (long each); per category constraint the values outside (long) and its
     * examples (int count, then each as an int length and its UTF-16 chars).
     *
     * @return the bytes; {@link #fromBytes} reads an equal state back
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 64 * nonMissing.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(secondPass ? 1 : 0);
            out.writeLong(rows);
            out.writeInt(nonMissing.length);
            out.writeInt(patternTotal.length);
            out.writeInt(outside.length);
            for (int i = 0; i < nonMissing.length; i++) {
                out.writeLong(nonMissing[i]);
                writeDouble(out, min[i]);
                writeDouble(out, max[i]);
                sums[i].writeTo(out);
            }
            if (secondPass) {
                for (double m : means) {
                    writeDouble(out, m);
                }
            }
            for (int i = 0; i < patternTotal.length; i++) {
                out.writeLong(patternTotal[i]);
                out.writeLong(patternMatched[i]);
            }
            for (int i = 0; i < outside.length; i++) {
                out.writeLong(outside[i]);
                out.writeInt(outsideExamples.get(i).size());
                for (String e : outsideExamples.get(i)) {
                    out.writeInt(e.length());
                    out.writeChars(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a state written by {@link #toBytes}.
     *
     * @param bytes the bytes
     * @return the state, equal to the one written
     * @throws IllegalArgumentException naming what is wrong if the bytes are empty, truncated,
     *     of another format, or hold a negative count, an impossible length, or examples out of order
     */
    public static ValidationState fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException("validation state: no bytes, expected format " + FORMAT);
            }
            byte format = in.get();
            if (format != FORMAT) {
                throw new IllegalArgumentException("validation state: format " + format + ", expected " + FORMAT);
            }
            byte pass = in.get();
            if (pass != 0 && pass != 1) {
                throw new IllegalArgumentException("validation state: pass " + pass + ", expected 0 or 1");
            }
            long rows = count(in.getLong(), "row count");
            int columns = length(in.getInt(), "columns", in, MIN_COLUMN_BYTES);
            int patterns = length(in.getInt(), "pattern constraints", in, 16);
            int categories = length(in.getInt(), "category constraints", in, 12);
            ValidationState s = new ValidationState(columns, patterns, categories, pass == 1 ? new double[columns] : null);
            s.rows = rows;
            for (int i = 0; i < columns; i++) {
                s.nonMissing[i] = count(in.getLong(), "non-missing count of column " + i);
                s.min[i] = in.getDouble();
                s.max[i] = in.getDouble();
                s.sums[i] = ExactSum.readFrom(in, "validation state: sum of column " + i);
            }
            if (s.secondPass) {
                for (int i = 0; i < columns; i++) {
                    s.means[i] = in.getDouble();
                }
            }
            for (int i = 0; i < patterns; i++) {
                s.patternTotal[i] = count(in.getLong(), "values checked by pattern " + i);
                s.patternMatched[i] = count(in.getLong(), "values matched by pattern " + i);
                if (s.patternMatched[i] > s.patternTotal[i]) {
                    throw new IllegalArgumentException("validation state: pattern " + i + " matched "
                            + s.patternMatched[i] + " of " + s.patternTotal[i] + " values");
                }
            }
            for (int i = 0; i < categories; i++) {
                s.outside[i] = count(in.getLong(), "values outside category set " + i);
                int examples = in.getInt();
                if (examples < 0 || examples > EXAMPLES) {
                    throw new IllegalArgumentException("validation state: " + examples + " examples of category set " + i
                            + ", expected 0 to " + EXAMPLES);
                }
                TreeSet<String> kept = s.outsideExamples.get(i);
                for (int e = 0; e < examples; e++) {
                    char[] chars = new char[length(in.getInt(), "chars of an example", in, 2)];
                    in.asCharBuffer().get(chars);
                    in.position(in.position() + 2 * chars.length);
                    String example = new String(chars);
                    if (!kept.isEmpty() && example.compareTo(kept.last()) <= 0) {
                        throw new IllegalArgumentException("validation state: examples of category set " + i
                                + " are not in ascending order");
                    }
                    kept.add(example);
                }
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("validation state: " + in.remaining() + " bytes after its end");
            }
            return s;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("validation state: truncated at byte " + in.position() + " of "
                    + bytes.length, e);
        }
    }

    /** Its bits as they are (DataOutput's writeDouble would make every NaN the same one). */
    private static void writeDouble(DataOutputStream out, double v) throws IOException {
        out.writeLong(Double.doubleToRawLongBits(v));
    }

    private static long count(long v, String what) {
        if (v < 0) {
            throw new IllegalArgumentException("validation state: " + what + " is " + v + ", expected >= 0");
        }
        return v;
    }

    /** A length read from the bytes, refused if negative or longer than the bytes left could hold. */
    private static int length(int n, String what, ByteBuffer in, int minBytesEach) {
        if (n < 0 || n > in.remaining() / minBytesEach) {
            throw new IllegalArgumentException("validation state: " + n + " " + what + ", but only " + in.remaining()
                    + " bytes remain (at least " + minBytesEach + " each)");
        }
        return n;
    }

    static void addExample(TreeSet<String> examples, String s) {
        if (examples.size() < EXAMPLES) {
            examples.add(s);
        } else if (s.compareTo(examples.last()) < 0 && examples.add(s)) {
            examples.pollLast();
        }
    }
}
