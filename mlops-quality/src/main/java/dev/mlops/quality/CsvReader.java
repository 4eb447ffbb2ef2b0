package dev.mlops.quality;

import dev.mlops.api.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV records: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF,
 * an optional UTF-8 byte order mark. A malformed file fails with the line number.
 */
final class CsvReader {
    private static final int MAX_FIELD = 1 << 20;

    private final Reader in;
    private final char delimiter;
    private final String source;
    private long line = 1;
    private int peeked = -2;
    private boolean first = true;
    private long rowLine;

    CsvReader(Reader in, char delimiter, String source) {
        this.in = in;
        this.delimiter = delimiter;
        this.source = source;
    }

    /** A reader of UTF-8 text that fails on malformed bytes instead of replacing them. */
    static CsvReader utf8(InputStream in, char delimiter, String source) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new CsvReader(new BufferedReader(new InputStreamReader(in, utf8), 1 << 16), delimiter, source);
    }

    long line() {
        return line;
    }

    /** @return the line on which the row {@link #nextRow} returned last begins, for messages */
    long rowLine() {
        return rowLine;
    }

    /**
     * The next data row of a file whose header has {@code width} fields: blank lines (typically
     * the last one) are skipped, and a row of another width is refused naming its line.
     *
     * @param width the header's number of fields
     * @return the row's fields, or null at end of input
     */
    List<String> nextRow(int width) throws IOException {
        while (true) {
            long at = line;
            List<String> record = next();
            if (record == null) {
                return null;
            }
            if (record.size() == 1 && record.get(0).isEmpty()) {
                continue;
            }
            if (record.size() != width) {
                throw new ValidationException(source + " line " + at + " has " + record.size()
                        + " fields, the header has " + width);
            }
            rowLine = at;
            return record;
        }
    }

    /** @return the next record's fields, or null at end of input */
    List<String> next() throws IOException {
        int c = read();
        if (first) {
            first = false;
            if (c == '\uFEFF') {
                c = read();
            }
        }
        if (c == -1) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        long startLine = line;
        while (true) {
            if (c == '"' && field.length() == 0) {
                readQuoted(field, startLine);
                c = read();
                if (c != delimiter && c != '\n' && c != '\r' && c != -1) {
                    throw new ValidationException(source + " line " + line
                            + ": unexpected character after a closing quote (expected the delimiter or end of line)");
                }
                continue;
            }
            if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r' || c == -1) {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                if (c != -1) {
                    line++;
                }
                fields.add(field.toString());
                return fields;
            } else {
                append(field, (char) c);
            }
            c = read();
        }
    }

    private void readQuoted(StringBuilder field, long startLine) throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw new ValidationException(source + " line " + startLine + ": a quoted field is never closed");
            }
            if (c == '"') {
                if (peek() == '"') {
                    read();
                    append(field, '"');
                } else {
                    return;
                }
            } else {
                if (c == '\n') {
                    line++;
                }
                append(field, (char) c);
            }
        }
    }

    private void append(StringBuilder field, char c) {
        if (field.length() >= MAX_FIELD) {
            throw new ValidationException(source + " line " + line + ": a field is longer than " + MAX_FIELD + " characters");
        }
        field.append(c);
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return in.read();
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }
}
