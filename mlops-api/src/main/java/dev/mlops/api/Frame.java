package dev.mlops.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable table in columns. Numeric columns ({@link FieldType#INTEGER},
 * {@link FieldType#DOUBLE}) hold {@code double}s with {@code NaN} for missing; every other
 * column holds strings with {@code null} for missing. Missing values are kept and counted,
 * never dropped silently. Accessors return copies, so a frame can be shared across threads.
 */
public final class Frame {
    private final Schema schema;
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
     * @param columns one {@code double[]} (numeric types) or {@code String[]} (others) per field, in
     *     schema order, all of one length; copied
     * @return the frame
     * @throws ValidationException if a column has the wrong array type or length
     */
    public static Frame ofColumns(Schema schema, List<?> columns) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(columns, "columns");
        if (columns.size() != schema.size()) {
            throw new ValidationException("schema has " + schema.size() + " columns, " + columns.size() + " were given");
        }
        Object[] cols = new Object[columns.size()];
        int rows = -1;
        for (int i = 0; i < cols.length; i++) {
            Field f = schema.fields().get(i);
            Object c = columns.get(i);
            int length;
            if (f.type().isNumeric()) {
                if (!(c instanceof double[] d)) {
                    throw new ValidationException("column " + Names.quote(f.name()) + " is " + f.type()
                            + " and needs a double[], got " + (c == null ? "null" : c.getClass().getSimpleName()));
                }
                cols[i] = d.clone();
                length = d.length;
            } else {
                if (!(c instanceof String[] s)) {
                    throw new ValidationException("column " + Names.quote(f.name()) + " is " + f.type()
                            + " and needs a String[], got " + (c == null ? "null" : c.getClass().getSimpleName()));
                }
                cols[i] = s.clone();
                length = s.length;
            }
            if (rows >= 0 && length != rows) {
                throw new ValidationException("column " + Names.quote(f.name()) + " has " + length
                        + " rows, the columns before it have " + rows);
            }
            rows = length;
        }
        return new Frame(schema, cols, Math.max(rows, 0));
    }

    /**
     * @param schema the columns
     * @return a builder that takes rows
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
        if (!(columns[i] instanceof double[] d)) {
            throw new ValidationException("column " + Names.quote(column) + " is " + schema.fields().get(i).type()
                    + ", not numeric");
        }
        return d.clone();
    }

    /**
     * @param column a non-numeric column
     * @return a copy of its values, null for missing
     * @throws ValidationException if the column is numeric
     */
    public String[] strings(String column) {
        int i = index(column);
        if (!(columns[i] instanceof String[] s)) {
            throw new ValidationException("column " + Names.quote(column) + " is numeric; use numeric(column)");
        }
        return s.clone();
    }

    /**
     * @param column a column name
     * @return how many values are missing (NaN or null)
     */
    public int missing(String column) {
        Object c = columns[index(column)];
        int n = 0;
        if (c instanceof double[] d) {
            for (double v : d) {
                if (Double.isNaN(v)) {
                    n++;
                }
            }
        } else {
            for (String v : (String[]) c) {
                if (v == null) {
                    n++;
                }
            }
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
            cols[i] = columns[i] instanceof double[] d ? Arrays.copyOfRange(d, from, to)
                    : Arrays.copyOfRange((String[]) columns[i], from, to);
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

    /** Collects rows into a {@link Frame}. Not thread-safe. */
    public static final class Builder {
        private final Schema schema;
        private final List<Object[]> rows = new ArrayList<>();

        private Builder(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
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
                throw new ValidationException("row " + (rows.size() + 1) + " has " + values.length + " values, the schema has "
                        + schema.size() + " columns");
            }
            for (int i = 0; i < values.length; i++) {
                if (schema.fields().get(i).type().isNumeric() && values[i] != null && !(values[i] instanceof Number)) {
                    throw new ValidationException("row " + (rows.size() + 1) + " column "
                            + Names.quote(schema.fields().get(i).name()) + " needs a number, got "
                            + values[i].getClass().getSimpleName());
                }
            }
            rows.add(values.clone());
            return this;
        }

        /** @return the frame */
        public Frame build() {
            List<Object> cols = new ArrayList<>();
            for (int c = 0; c < schema.size(); c++) {
                if (schema.fields().get(c).type().isNumeric()) {
                    double[] d = new double[rows.size()];
                    for (int r = 0; r < d.length; r++) {
                        Object v = rows.get(r)[c];
                        d[r] = v == null ? Double.NaN : ((Number) v).doubleValue();
                    }
                    cols.add(d);
                } else {
                    String[] s = new String[rows.size()];
                    for (int r = 0; r < s.length; r++) {
                        Object v = rows.get(r)[c];
                        s[r] = v == null ? null : v.toString();
                    }
                    cols.add(s);
                }
            }
            return ofColumns(schema, cols);
        }
    }
}
