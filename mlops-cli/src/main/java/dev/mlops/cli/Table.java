package dev.mlops.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A short text table: columns padded to their widest cell, two spaces apart. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** @param headers column titles, printed as the first row */
    Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers.clone());
    }

    /** A table without a header row, such as {@code label  value} lines. */
    static Table plain(int columns) {
        Table t = new Table(new String[columns]);
        t.rows.clear();
        return t;
    }

    /** Adds a row; {@code null} cells print as {@code -}, text is made printable. */
    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + columns + " columns");
        }
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = cells[i] == null ? "-" : Text.printable(String.valueOf(cells[i]));
        }
        rows.add(r);
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                sb.append(r[i]);
                if (i < columns - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }
}
