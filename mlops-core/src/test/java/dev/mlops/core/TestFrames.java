package dev.mlops.core;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test-only CSV to Frame: a column is INTEGER or DOUBLE when every non-empty value parses, else STRING; empty is missing. */
final class TestFrames {
    private TestFrames() {
    }

    static Frame germanCredit() {
        return csv("/datasets/german-credit.csv");
    }

    static Frame seattleWeather() {
        return csv("/datasets/seattle-weather.csv");
    }

    static Frame csv(String resource) {
        try (InputStream in = TestFrames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            CsvReader reader = new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8), ',', resource);
            List<String> header = reader.next();
            List<List<String>> rows = new ArrayList<>();
            for (List<String> r = reader.next(); r != null; r = reader.next()) {
                rows.add(r);
            }
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
    static Frame replace(Frame frame, String column, Object values) {
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
}
