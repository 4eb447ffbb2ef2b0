package dev.mlops.drift;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The NOAA Seattle weather data (test resource seattle-weather.csv, public domain, see
 * DATASETS.md there) as frames. The file has no quoting, so a split on commas reads it; the drift
 * module does not depend on core's CSV reader.
 */
final class SeattleWeather {
    static final Schema SCHEMA = Schema.of(new Field("date", FieldType.DATE), new Field("precipitation", FieldType.DOUBLE),
            new Field("temp_max", FieldType.DOUBLE), new Field("temp_min", FieldType.DOUBLE),
            new Field("wind", FieldType.DOUBLE), new Field("weather", FieldType.STRING));

    private static final List<String[]> ROWS = load();

    private SeattleWeather() {
    }

    private static List<String[]> load() {
        try (InputStream in = SeattleWeather.class.getResourceAsStream("/seattle-weather.csv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String[]> rows = new ArrayList<>();
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    rows.add(line.split(",", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows whose date (yyyy/MM/dd) matches. */
    static Frame rows(Predicate<String> date) {
        Frame.Builder b = Frame.builder(SCHEMA);
        for (String[] row : ROWS) {
            if (date.test(row[0])) {
                b.addRow(row[0].replace('/', '-'), Double.parseDouble(row[1]), Double.parseDouble(row[2]),
                        Double.parseDouble(row[3]), Double.parseDouble(row[4]), row[5]);
            }
        }
        return b.build();
    }

    /** One calendar year. */
    static Frame year(int year) {
        return rows(d -> d.startsWith(year + "/"));
    }
}
