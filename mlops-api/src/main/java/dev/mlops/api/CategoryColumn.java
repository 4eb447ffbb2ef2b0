package dev.mlops.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A non-numeric column of a {@link Frame}, dictionary-encoded: every distinct value is kept once,
 * in a dictionary in the order the values first appear, and every row holds an {@code int} code,
 * its value's index in the dictionary or {@link #MISSING}. A million rows of five weather words
 * take four megabytes of codes and five strings, instead of a million strings.
 *
 * <p>A column built with a limit on distinct values ({@link Frame.Builder#maxCategories(int)})
 * is <em>incomplete</em> when it had more: its dictionary holds the first values up to the limit,
 * rows with a later new value hold {@link #NOT_KEPT}, and {@link #complete()} is false. Such a
 * column still knows its rows and its missing values, but not those values:
 * {@link #value(int)} of such a row and {@link #values()} throw. A column of identifiers or free
 * text is typically incomplete, and nothing that needs its values can use it.
 *
 * <p>Every dictionary value occurs in at least one row. Immutable, so it is shared freely between
 * frames and threads; {@link #codes()} and {@link #values()} return copies.
 */
public final class CategoryColumn {
    /** The code of a missing value. */
    public static final int MISSING = -1;
    /** The code of a value that came after the dictionary was full (an incomplete column). */
    public static final int NOT_KEPT = -2;

    private final String[] dictionary;
    private final int[] codes;
    private final int missing;
    private final int notKept;

    /** Trusted: the caller guarantees the invariants (codes in range, every entry used). */
    CategoryColumn(String[] dictionary, int[] codes, int missing, int notKept) {
        this.dictionary = dictionary;
        this.codes = codes;
        this.missing = missing;
        this.notKept = notKept;
    }

    /**
     * Encodes values.
     *
     * @param values one value per row, null for missing; copied
     * @return the complete column
     */
    public static CategoryColumn of(String... values) {
        Objects.requireNonNull(values, "values");
        Encoder e = new Encoder(Integer.MAX_VALUE);
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            codes[i] = e.code(values[i]);
        }
        return e.column(codes);
    }

    /** @return the number of rows */
    public int size() {
        return codes.length;
    }

    /**
     * @param row a row index
     * @return the row's index into {@link #dictionary()}, {@link #MISSING} or {@link #NOT_KEPT}
     */
    public int code(int row) {
        return codes[row];
    }

    /** @return the distinct values kept, in the order they first appear; unmodifiable */
    public List<String> dictionary() {
        return Collections.unmodifiableList(Arrays.asList(dictionary));
    }

    /**
     * @return true if every value is kept; false if more distinct values came than the limit the
     *     column was built with
     */
    public boolean complete() {
        return notKept == 0;
    }

    /** @return the number of missing rows */
    public int missing() {
        return missing;
    }

    /** @return the number of rows whose value was not kept (0 for a complete column) */
    public int notKept() {
        return notKept;
    }

    /**
     * @return how many rows hold each dictionary value, in dictionary order (rows whose value was
     *     not kept are in {@link #notKept()})
     */
    public int[] counts() {
        int[] counts = new int[dictionary.length];
        for (int c : codes) {
            if (c >= 0) {
                counts[c]++;
            }
        }
        return counts;
    }

    /**
     * @param row a row index
     * @return the row's value, null if missing
     * @throws ValidationException if the row's value was not kept
     */
    public String value(int row) {
        int c = codes[row];
        if (c == NOT_KEPT) {
            throw notKept("row " + row);
        }
        return c == MISSING ? null : dictionary[c];
    }

    /** @return a copy of the codes, one per row */
    public int[] codes() {
        return codes.clone();
    }

    /**
     * @return every row's value, null for missing (the strings are the dictionary's own)
     * @throws ValidationException if the column is incomplete
     */
    public String[] values() {
        if (notKept > 0) {
            throw notKept(notKept + " rows");
        }
        String[] out = new String[codes.length];
        for (int i = 0; i < out.length; i++) {
            int c = codes[i];
            out[i] = c == MISSING ? null : dictionary[c];
        }
        return out;
    }

    /** Rows {@code [from, to)}, with a dictionary of only the values they hold. */
    CategoryColumn slice(int from, int to) {
        Objects.checkFromToIndex(from, to, codes.length);
        int[] remap = new int[dictionary.length];
        Arrays.fill(remap, -1);
        int[] out = new int[to - from];
        String[] kept = new String[Math.min(dictionary.length, out.length)];
        int size = 0;
        int miss = 0;
        int lost = 0;
        for (int i = from; i < to; i++) {
            int c = codes[i];
            if (c < 0) {
                out[i - from] = c;
                if (c == MISSING) {
                    miss++;
                } else {
                    lost++;
                }
                continue;
            }
            if (remap[c] < 0) {
                remap[c] = size;
                kept[size++] = dictionary[c];
            }
            out[i - from] = remap[c];
        }
        return new CategoryColumn(Arrays.copyOf(kept, size), out, miss, lost);
    }

    private ValidationException notKept(String what) {
        return new ValidationException(what + " of this column hold values that were not kept: the column was read "
                + "keeping at most " + dictionary.length + " distinct values, and it has more (identifiers or free text?)");
    }

    @Override
    public String toString() {
        return "CategoryColumn[" + codes.length + " rows, " + dictionary.length + " distinct"
                + (notKept > 0 ? " kept, " + notKept + " rows not kept" : "") + ", " + missing + " missing]";
    }

    /** Assigns codes to values as they come, keeping at most {@code limit} distinct values. */
    static final class Encoder {
        private final int limit;
        private final Map<String, Integer> index = new HashMap<>();
        private String[] dictionary = new String[16];
        private int size;
        private int missing;
        private int notKept;

        Encoder(int limit) {
            this.limit = limit;
        }

        int code(String value) {
            if (value == null) {
                missing++;
                return MISSING;
            }
            Integer c = index.get(value);
            if (c != null) {
                return c;
            }
            if (size >= limit) {
                notKept++;
                return NOT_KEPT;
            }
            if (size == dictionary.length) {
                dictionary = Arrays.copyOf(dictionary, size * 2);
            }
            dictionary[size] = value;
            index.put(value, size);
            return size++;
        }

        CategoryColumn column(int[] codes) {
            return new CategoryColumn(Arrays.copyOf(dictionary, size), codes, missing, notKept);
        }
    }
}
