package dev.mlops.quality.testing;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test-only CSV to Frame: a column is INTEGER or DOUBLE when every non-empty value parses, else STRING; empty is missing. */
public final class TestFrames {
    private TestFrames() {
    }

    public static Frame germanCredit() {
        return csv("/datasets/german-credit.csv");
    }

    public static Frame seattleWeather() {
        return csv("/datasets/seattle-weather.csv");
    }

    public static Frame csv(String resource) {
        try (InputStream in = TestFrames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            List<List<String>> all = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<String> header = all.get(0);
            List<List<String>> rows = all.subList(1, all.size());
            List<Field> fields = new ArrayList<>();
            List<Object> columns = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                boolean numeric = true;
                boolean integral = true;
                for (List<String> r : rows) {
                    String v = r.get(c);
                    if (v.isEmpty()) {
                        continue;
                    }
                    try {
                        double d = Double.parseDouble(v);
                        integral &= d == Math.rint(d) && !v.contains(".");
                    } catch (NumberFormatException e) {
                        numeric = false;
                        break;
                    }
                }
                if (numeric) {
                    double[] d = new double[rows.size()];
                    for (int i = 0; i < d.length; i++) {
                        String v = rows.get(i).get(c);
                        d[i] = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
                    }
                    fields.add(new Field(header.get(c), integral ? FieldType.INTEGER : FieldType.DOUBLE));
                    columns.add(d);
                } else {
                    String[] s = new String[rows.size()];
                    for (int i = 0; i < s.length; i++) {
                        String v = rows.get(i).get(c);
                        s[i] = v.isEmpty() ? null : v;
                    }
                    fields.add(new Field(header.get(c), FieldType.STRING));
                    columns.add(s);
                }
            }
            return Frame.ofColumns(new Schema(fields), columns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the frame with one column replaced. */
    public static Frame replace(Frame frame, String column, Object values) {
        List<Object> cols = new ArrayList<>();
        for (Field f : frame.schema().fields()) {
            if (f.name().equals(column)) {
                cols.add(values);
            } else {
                cols.add(f.type().isNumeric() ? frame.numeric(f.name()) : frame.strings(f.name()));
            }
        }
        return Frame.ofColumns(frame.schema(), cols);
    }

    /** RFC 4180 records, independent of the reader under test: quoted fields, doubled quotes, CRLF. */
    private static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                if (!(record.size() == 1 && record.get(0).isEmpty())) {
                    records.add(record);
                }
                record = new ArrayList<>();
            } else {
                field.append(ch);
            }
        }
        if (field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
