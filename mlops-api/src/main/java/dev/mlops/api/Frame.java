package dev.mlops.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable table in columns. Numeric columns ({@link FieldType#INTEGER},
 * {@link FieldType#DOUBLE}) hold primitive {@code double}s with {@code NaN} for missing; every
 * other column is a {@link CategoryColumn}: each distinct value kept once in a dictionary and an
 * {@code int} code per row ({@link CategoryColumn#MISSING} for missing). So a frame takes eight
 * bytes per numeric cell and four per other cell, plus each distinct text once. Missing values
 * are kept and counted, never dropped silently. Accessors return copies or immutable views, so a
 * frame can be shared across threads.
 */
public final class Frame {
    private final Schema schema;
    /** Numbers or CategoryColumn per field. */
    private final Object[] columns;
    private final int rows;

    private Frame(Schema schema, Object[] columns, int rows) {
        this.schema = schema;
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Builds a frame from whole columns.
     *
     * @param schema the columns' names and types
     * @param columns one {@code double[]} (numeric types), or a {@code String[]} or a
     *     {@link CategoryColumn} (others) per field, in schema order, all of one length; arrays are
     *     copied (strings are encoded)
     * @return the frame
     * @throws ValidationException if a column has the wrong type or length
     */
    public static Frame ofColumns(Schema schema, List<?> columns) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(columns, "columns");
        if (columns.size() != schema.size()) {
            throw new ValidationException("schema has " + schema.size() + " columns, " + columns.size() + " were given");
        }
        Object[] cols = new Object[columns.size()];
        for (int i = 0; i < cols.length; i++) {
            Field f = schema.fields().get(i);
            Object c = columns.get(i);
            if (f.type().isNumeric()) {
                if (!(c instanceof double[] d)) {
                    throw new ValidationException("column " + Names.quote(f.name()) + " is " + f.type()
                            + " and needs a double[], got " + typeName(c));
                }
                cols[i] = new Numbers(new double[][] {d.clone()}, d.length);
            } else if (c instanceof String[] s) {
                cols[i] = CategoryColumn.of(s);
            } else if (c instanceof CategoryColumn cc) {
                cols[i] = cc;
            } else {
                throw new ValidationException("column " + Names.quote(f.name()) + " is " + f.type()
                        + " and needs a String[] or a CategoryColumn, got " + typeName(c));
            }
        }
        return new Frame(schema, cols, checkLengths(schema, cols));
    }

    private static String typeName(Object c) {
        return c == null ? "null" : c.getClass().getSimpleName();
    }

    /** @return the common length of the columns (0 without columns) */
    private static int checkLengths(Schema schema, Object[] cols) {
        int rows = -1;
        for (int i = 0; i < cols.length; i++) {
            int length = cols[i] instanceof Numbers d ? d.size : ((CategoryColumn) cols[i]).size();
            if (rows >= 0 && length != rows) {
                throw new ValidationException("column " + Names.quote(schema.fields().get(i).name()) + " has " + length
                        + " rows, the columns before it have " + rows);
            }
            rows = length;
        }
        return Math.max(rows, 0);
    }

    /**
     * @param schema the columns
     * @return a builder that takes rows, or values column by column
     */
    public static Builder builder(Schema schema) {
        return new Builder(schema);
    }

    /** @return the columns' names and types */
    public Schema schema() {
        return schema;
    }

    /** @return the number of rows */
    public int rowCount() {
        return rows;
    }

    /**
     * @param column a column name
     * @return true if it is numeric
     * @throws NotFoundException if there is no such column
     */
    public boolean isNumeric(String column) {
        return field(column).type().isNumeric();
    }

    /**
     * @param column a numeric column
     * @return a copy of its values, NaN for missing
     * @throws ValidationException if the column is not numeric
     */
    public double[] numeric(String column) {
        int i = index(column);
        if (!(columns[i] instanceof Numbers d)) {
            throw new ValidationException("column " + Names.quote(column) + " is " + schema.fields().get(i).type()
                    + ", not numeric");
        }
        return d.copy(0, d.size);
    }

    /**
     * @param column a non-numeric column
     * @return a copy of its values, null for missing
     * @throws ValidationException if the column is numeric, or incomplete (see {@link CategoryColumn})
     */
    public String[] strings(String column) {
        return categories(column).values();
    }

    /**
     * The dictionary-encoded column itself, without copying: what code reading a large frame
     * should use to count or group values.
     *
     * @param column a non-numeric column
     * @return the column
     * @throws ValidationException if the column is numeric
     */
    public CategoryColumn categories(String column) {
        int i = index(column);
        if (!(columns[i] instanceof CategoryColumn c)) {
            throw new ValidationException("column " + Names.quote(column) + " is numeric; use numeric(column)");
        }
        return c;
    }

    /**
     * @param column a column name
     * @return how many values are missing (NaN or null)
     */
    public int missing(String column) {
        Object c = columns[index(column)];
        if (c instanceof CategoryColumn cc) {
            return cc.missing();
        }
        Numbers d = (Numbers) c;
        int n = 0;
        int left = d.size;
        for (double[] block : d.blocks) {
            for (int i = 0; i < Math.min(block.length, left); i++) {
                if (Double.isNaN(block[i])) {
                    n++;
                }
            }
            left -= block.length;
        }
        return n;
    }

    /**
     * @param from first row, inclusive
     * @param to last row, exclusive
     * @return the rows in {@code [from, to)}
     */
    public Frame slice(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        Object[] cols = new Object[columns.length];
        for (int i = 0; i < cols.length; i++) {
            if (columns[i] instanceof Numbers d) {
                double[] range = d.copy(from, to);
                cols[i] = new Numbers(new double[][] {range}, range.length);
            } else {
                cols[i] = ((CategoryColumn) columns[i]).slice(from, to);
            }
        }
        return new Frame(schema, cols, to - from);
    }

    /**
     * @param names columns to keep, in this order
     * @return a frame with only those columns
     */
    public Frame select(List<String> names) {
        List<Field> fields = new ArrayList<>();
        Object[] cols = new Object[names.size()];
        for (int i = 0; i < cols.length; i++) {
            int idx = index(names.get(i));
            fields.add(schema.fields().get(idx));
            cols[i] = columns[idx];
        }
        return new Frame(new Schema(fields), cols, rows);
    }

    private Field field(String column) {
        return schema.fields().get(index(column));
    }

    private int index(String column) {
        Objects.requireNonNull(column, "column");
        List<Field> fields = schema.fields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new NotFoundException("no column " + Names.quote(column) + "; the columns are "
                + fields.stream().map(Field::name).toList());
    }

    @Override
    public String toString() {
        return "Frame[" + rows + " rows x " + schema.size() + " columns " + schema.fields().stream().map(Field::name).toList() + "]";
    }

    /**
     * A numeric column's values in blocks, joined only when copied out. Blocks grow from 4,096
     * values to 1,048,576 (8 MiB): large enough that a collector allocates them outside its young
     * space instead of copying them from space to space while a big file is read, and a frame is
     * never copied into one array just to be copied again by {@link #numeric}. The last block is
     * filled up to {@code size}.
     */
    private static final class Numbers {
        final double[][] blocks;
        final int size;

        Numbers(double[][] blocks, int size) {
            this.blocks = blocks;
            this.size = size;
        }

        /** Values {@code [from, to)} in a new array. */
        double[] copy(int from, int to) {
            double[] out = new double[to - from];
            int start = 0;
            for (double[] b : blocks) {
                int end = start + b.length;
                int lo = Math.max(from, start);
                int hi = Math.min(to, Math.min(end, size));
                if (lo < hi) {
                    System.arraycopy(b, lo - start, out, lo - from, hi - lo);
                }
                start = end;
            }
            return out;
        }
    }

    /**
     * Collects values into a {@link Frame}: a row at a time ({@link #addRow}), or a value at a time
     * into each column ({@link #addNumber}, {@link #addText}, for readers of large files: no
     * boxing). Values go straight into primitive storage (numbers) and dictionaries (the rest) in
     * blocks, so building takes about the frame's own size plus one column, never a copy of every
     * row. {@link #build()} may be called once. Not thread-safe.
     */
    public static final class Builder {
        /**
         * Values in the first storage block; each next block is twice as large, up to
         * {@link #MAX_BLOCK}. Two less than a power of two, so that with the array's 16-byte
         * header a large block fills whole G1 regions and wastes none.
         */
        private static final int FIRST_BLOCK = (1 << 12) - 2;
        /** Values in the largest storage block: 8 MiB of doubles with the header. */
        private static final int MAX_BLOCK = (1 << 20) - 2;
        /** Rows a frame holds at most (the largest Java array). */
        private static final int MAX_ROWS = Integer.MAX_VALUE - 8;

        private final Schema schema;
        private final Object[] columns;
        private int maxCategories = Integer.MAX_VALUE;
        private int expectedRows;
        private boolean started;
        private boolean built;
        private int rowsAdded;

        private Builder(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            this.columns = new Object[schema.size()];
        }

        /**
         * Keeps at most this many distinct values per non-numeric column; later new values are
         * not kept (the column becomes incomplete, see {@link CategoryColumn}). Bounds the memory a
         * column of identifiers or free text can take. Default: no limit.
         *
         * @param max at least 1
         * @return this
         * @throws IllegalArgumentException if {@code max < 1}
         * @throws IllegalStateException if values were already added
         */
        public Builder maxCategories(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCategories must be at least 1, got " + max);
            }
            if (started) {
                throw new IllegalStateException("maxCategories must be set before any value is added");
            }
            this.maxCategories = max;
            return this;
        }

        /**
         * How many rows are coming, when known (a reader that has counted them): every column then
         * gets one array of that length at once, which the frame keeps as it is. More rows still
         * work (in further blocks), fewer cost a copy of the codes. Default: unknown (blocks that
         * grow).
         *
         * @param rows at least 0
         * @return this
         * @throws IllegalArgumentException if {@code rows} is negative or more than a frame holds
         * @throws IllegalStateException if values were already added
         */
        public Builder expectedRows(long rows) {
            if (rows < 0 || rows > MAX_ROWS) {
                throw new IllegalArgumentException("expectedRows must be 0 to " + MAX_ROWS + ", got " + rows);
            }
            if (started) {
                throw new IllegalStateException("expectedRows must be set before any value is added");
            }
            this.expectedRows = (int) rows;
            return this;
        }

        /** @return the schema the frame will have */
        public Schema schema() {
            return schema;
        }

        /**
         * Adds a row. Numeric columns take any {@link Number} (null for missing); other columns
         * take any value, stored with {@code toString()} (null for missing).
         *
         * @param values one value per column, in schema order
         * @return this
         * @throws ValidationException if the count or a numeric value is wrong
         */
        public Builder addRow(Object... values) {
            if (values.length != schema.size()) {
                throw new ValidationException("row " + (rowsAdded + 1) + " has " + values.length + " values, the schema has "
                        + schema.size() + " columns");
            }
            for (int i = 0; i < values.length; i++) {
                if (schema.fields().get(i).type().isNumeric() && values[i] != null && !(values[i] instanceof Number)) {
                    throw new ValidationException("row " + (rowsAdded + 1) + " column "
                            + Names.quote(schema.fields().get(i).name()) + " needs a number, got "
                            + values[i].getClass().getSimpleName());
                }
            }
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (schema.fields().get(i).type().isNumeric()) {
                    addNumber(i, v == null ? Double.NaN : ((Number) v).doubleValue());
                } else {
                    addText(i, v == null ? null : v.toString());
                }
            }
            rowsAdded++;
            return this;
        }

        /**
         * Appends a value to a numeric column.
         *
         * @param column the column's index in the schema
         * @param value the value, NaN for missing
         * @return this
         * @throws IllegalArgumentException if the column is out of range or not numeric
         */
        public Builder addNumber(int column, double value) {
            numbers(column).add(value);
            return this;
        }

        /**
         * Appends a value to a non-numeric column.
         *
         * @param column the column's index in the schema
         * @param value the value, null for missing
         * @return this
         * @throws IllegalArgumentException if the column is out of range or numeric
         */
        public Builder addText(int column, String value) {
            texts(column).add(value);
            return this;
        }

        private DoubleBlocks numbers(int column) {
            Object c = column(column);
            if (c instanceof DoubleBlocks d) {
                return d;
            }
            throw new IllegalArgumentException("column " + column + " " + Names.quote(schema.fields().get(column).name())
                    + " is " + schema.fields().get(column).type() + ": use addText");
        }

        private TextBlocks texts(int column) {
            Object c = column(column);
            if (c instanceof TextBlocks t) {
                return t;
            }
            throw new IllegalArgumentException("column " + column + " " + Names.quote(schema.fields().get(column).name())
                    + " is " + schema.fields().get(column).type() + ": use addNumber");
        }

        private Object column(int column) {
            if (built) {
                throw new IllegalStateException("build() was already called");
            }
            Objects.checkIndex(column, columns.length);
            Object c = columns[column];
            if (c == null) {
                started = true;
                c = schema.fields().get(column).type().isNumeric() ? new DoubleBlocks(expectedRows)
                        : new TextBlocks(new CategoryColumn.Encoder(maxCategories), expectedRows);
                columns[column] = c;
            }
            return c;
        }

        /**
         * @return the frame; the builder's storage moves into it
         * @throws ValidationException if the columns have different lengths
         * @throws IllegalStateException if called twice
         */
        public Frame build() {
            if (built) {
                throw new IllegalStateException("build() was already called");
            }
            for (int i = 0; i < columns.length; i++) {
                column(i); // a column never given a value is empty
            }
            built = true;
            Object[] cols = new Object[columns.length];
            for (int i = 0; i < cols.length; i++) {
                // numbers keep their blocks; codes are joined one column at a time
                cols[i] = columns[i] instanceof DoubleBlocks d ? d.toNumbers() : ((TextBlocks) columns[i]).toColumn();
                columns[i] = null;
            }
            int rows = cols.length == 0 ? rowsAdded : checkLengths(schema, cols);
            return new Frame(schema, cols, rows);
        }

        private static ValidationException tooManyRows() {
            return new ValidationException("a frame holds at most " + MAX_ROWS + " rows");
        }

        private static int nextBlock(int previous, int expected) {
            if (previous == 0 && expected > 0) {
                return expected;
            }
            return previous == 0 ? FIRST_BLOCK : Math.min(MAX_BLOCK, previous * 2 + 2);
        }

        /** Doubles in growing blocks, kept as blocks by the frame. */
        private static final class DoubleBlocks {
            private final List<double[]> blocks = new ArrayList<>();
            private final int expected;
            private double[] block = new double[0];
            private int used;
            private int size;

            DoubleBlocks(int expected) {
                this.expected = expected;
            }

            void add(double v) {
                if (size == MAX_ROWS) {
                    throw tooManyRows();
                }
                if (used == block.length) {
                    block = new double[nextBlock(block.length, expected)];
                    blocks.add(block);
                    used = 0;
                }
                block[used++] = v;
                size++;
            }

            Numbers toNumbers() {
                double[][] out = blocks.toArray(double[][]::new);
                blocks.clear();
                block = null;
                return new Numbers(out, size);
            }
        }

        /** Codes in growing blocks, joined into one array for the column's dictionary. */
        private static final class TextBlocks {
            private final CategoryColumn.Encoder encoder;
            private final List<int[]> blocks = new ArrayList<>();
            private final int expected;
            private int[] block = new int[0];
            private int used;
            private int size;

            TextBlocks(CategoryColumn.Encoder encoder, int expected) {
                this.encoder = encoder;
                this.expected = expected;
            }

            void add(String v) {
                if (size == MAX_ROWS) {
                    throw tooManyRows();
                }
                if (used == block.length) {
                    block = new int[nextBlock(block.length, expected)];
                    blocks.add(block);
                    used = 0;
                }
                block[used++] = encoder.code(v);
                size++;
            }

            CategoryColumn toColumn() {
                if (blocks.size() == 1 && blocks.get(0).length == size) {
                    return encoder.column(blocks.get(0)); // exactly as many rows as expected: no copy
                }
                int[] out = new int[size];
                int at = 0;
                for (int b = 0; b < blocks.size(); b++) {
                    int[] part = blocks.get(b);
                    int n = Math.min(part.length, size - at);
                    System.arraycopy(part, 0, out, at, n);
                    blocks.set(b, null); // free as we go: the peak is the codes plus one block
                    at += n;
                }
                block = null;
                return encoder.column(out);
            }
        }
    }
}
