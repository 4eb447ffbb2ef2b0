package dev.mlops.cli;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a CSV file (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into a {@link Frame}
 * for {@code promote --data}. The first line names the columns. A column is INTEGER when every
 * non-empty value is a whole number written without a point, DOUBLE when every non-empty value
 * is a finite decimal number, else STRING; an empty cell is a missing value.
 */
final class CsvFrames {
    private CsvFrames() {
    }

    static Frame read(Path file) {
        char delimiter = file.getFileName().toString().endsWith(".tsv") ? '\t' : ',';
        List<List<String>> rows;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            rows = parse(in, delimiter, file);
        } catch (CharacterCodingException e) {
            throw new BadInputException("--data " + Names.quote(file.toString()) + " is not UTF-8 text");
        } catch (IOException e) {
            throw new BadInputException("--data " + Names.quote(file.toString()) + " cannot be read: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new BadInputException("--data " + Names.quote(file.toString()) + " is empty: expected a header line");
        }
        List<String> header = rows.get(0);
        Set<String> seen = new HashSet<>();
        for (String h : header) {
            if (h.isBlank() || !seen.add(h)) {
                throw new BadInputException("--data " + Names.quote(file.toString()) + " has " + (h.isBlank()
                        ? "an empty column name" : "column " + Names.quote(h) + " twice") + " in its header");
            }
        }
        List<List<String>> body = rows.subList(1, rows.size());
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i).size() != header.size()) {
                throw new BadInputException("--data " + Names.quote(file.toString()) + " line " + (i + 2) + " has "
                        + body.get(i).size() + " fields, the header has " + header.size());
            }
        }
        List<Field> fields = new ArrayList<>();
        List<Object> columns = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            FieldType type = infer(body, c);
            fields.add(new Field(header.get(c), type));
            if (type.isNumeric()) {
                double[] d = new double[body.size()];
                for (int i = 0; i < d.length; i++) {
                    String v = body.get(i).get(c);
                    d[i] = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
                }
                columns.add(d);
            } else {
                String[] s = new String[body.size()];
                for (int i = 0; i < s.length; i++) {
                    String v = body.get(i).get(c);
                    s[i] = v.isEmpty() ? null : v;
                }
                columns.add(s);
            }
        }
        return Frame.ofColumns(Schema.of(fields.toArray(Field[]::new)), columns);
    }

    private static FieldType infer(List<List<String>> body, int c) {
        boolean integral = true;
        boolean any = false;
        for (List<String> r : body) {
            String v = r.get(c);
            if (v.isEmpty()) {
                continue;
            }
            any = true;
            if (!v.matches("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?")) {
                return FieldType.STRING;
            }
            integral &= v.matches("[+-]?\\d{1,15}");
        }
        return !any ? FieldType.STRING : integral ? FieldType.INTEGER : FieldType.DOUBLE;
    }

    private static List<List<String>> parse(Reader in, char delimiter, Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean afterQuote = false;
        boolean rowStarted = false;
        int line = 1;
        int ch;
        while ((ch = in.read()) != -1) {
            char c = (char) ch;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        cell.append('"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        if (next != -1) {
                            in.reset();
                        }
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
                continue;
            }
            if (c == '"' && cell.length() == 0 && !afterQuote) {
                quoted = true;
                rowStarted = true;
            } else if (c == delimiter) {
                row.add(cell.toString());
                cell.setLength(0);
                afterQuote = false;
                rowStarted = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                if (rowStarted || cell.length() > 0) {
                    row.add(cell.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                cell.setLength(0);
                afterQuote = false;
                rowStarted = false;
                line++;
            } else {
                if (afterQuote) {
                    throw new BadInputException("--data " + Names.quote(file.toString()) + " line " + line
                            + " has text after a closing quote");
                }
                cell.append(c);
                rowStarted = true;
            }
        }
        if (quoted) {
            throw new BadInputException("--data " + Names.quote(file.toString()) + " ends inside a quoted field");
        }
        if (rowStarted || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }
}
