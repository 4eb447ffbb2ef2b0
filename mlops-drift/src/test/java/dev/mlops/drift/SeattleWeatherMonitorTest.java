package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.DriftReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Real seasonal drift: a profile of Seattle's 2012 weather, a monitor fed 2015 day by day with
 * 28-day tumbling windows (time from a manual clock set to each day). Temperatures are seasonal,
 * so a four-week window differs from a whole year in winter and summer; summer is dry, so
 * precipitation drifts then; wind barely has a season.
 */
class SeattleWeatherMonitorTest {

    record Day(LocalDate date, double[] numerical, String weather) {
    }

    static List<Day> load() throws IOException {
        List<Day> days = new ArrayList<>();
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy/MM/dd");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SeattleWeatherMonitorTest.class.getResourceAsStream("/seattle-weather.csv"), StandardCharsets.UTF_8))) {
            String header = r.readLine();
            assertThat(header).isEqualTo("date,precipitation,temp_max,temp_min,wind,weather");
            String line;
            while ((line = r.readLine()) != null) {
                String[] p = line.split(",");
                days.add(new Day(LocalDate.parse(p[0], f), new double[] {Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                        Double.parseDouble(p[3]), Double.parseDouble(p[4])}, p[5]));
            }
        }
        return days;
    }

    static Frame frame(List<Day> days) {
        double[][] cols = new double[4][days.size()];
        String[] weather = new String[days.size()];
        for (int i = 0; i < days.size(); i++) {
            for (int c = 0; c < 4; c++) {
                cols[c][i] = days.get(i).numerical()[c];
            }
            weather[i] = days.get(i).weather();
        }
        return Frame.ofColumns(Schema.of(new Field("precipitation", FieldType.DOUBLE), new Field("temp_max", FieldType.DOUBLE),
                new Field("temp_min", FieldType.DOUBLE), new Field("wind", FieldType.DOUBLE), new Field("weather", FieldType.STRING)),
                List.of(cols[0], cols[1], cols[2], cols[3], weather));
    }

    @Test
    void profileOf2012FlagsTheSeasonalColumnsOf2015() throws IOException {
        List<Day> days = load();
        assertThat(days).hasSize(1461);
        List<Day> y2012 = days.stream().filter(d -> d.date().getYear() == 2012).toList();
        List<Day> y2015 = days.stream().filter(d -> d.date().getYear() == 2015).toList();
        ReferenceProfile profile = ReferenceProfile.fromJson(ReferenceProfile.of(frame(y2012)).toJsonBytes());
        assertThat(profile.rows()).isEqualTo(366);

        DriftMonitorTest.ManualClock clock = new DriftMonitorTest.ManualClock(y2015.get(0).date().atStartOfDay(ZoneOffset.UTC)
                .toInstant().toEpochMilli());
        List<DriftReport> reports = new ArrayList<>();
        DriftMonitor monitor = DriftMonitor.builder(profile).timeWindow(Duration.ofDays(28)).clock(clock)
                .listener((r, s) -> reports.add(r)).build();
        assertThat(monitor.numericalColumns()).containsExactly("precipitation", "temp_max", "temp_min", "wind");
        for (Day d : y2015) {
            clock.set(d.date().atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli());
            monitor.observe(d.numerical(), new String[] {d.weather()});
        }
        clock.set(LocalDate.of(2016, 2, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        monitor.tick();

        assertThat(reports).hasSizeBetween(13, 15);
        assertThat(reports.stream().mapToLong(DriftReport::currentRows).sum()).isEqualTo(365);
        Map<String, Integer> driftedWindows = new TreeMap<>();
        StringBuilder table = new StringBuilder();
        for (DriftReport r : reports) {
            table.append(r.window().orElseThrow().start()).append(' ').append(r.currentRows()).append(' ').append(r.driftedColumns()).append('\n');
            for (String c : r.driftedColumns()) {
                driftedWindows.merge(c, 1, Integer::sum);
            }
            assertThat(r.column("temp_max").orElseThrow().method()).isEqualTo("ks");
            assertThat(r.column("weather").orElseThrow().method()).isEqualTo("chisquare");
            assertThat(r.column("temp_max").orElseThrow().errorBound().orElseThrow()).isLessThan(0.1);
        }
        String why = table.toString();
        // winter and summer windows: temperatures drift
        assertThat(windowContaining(reports, LocalDate.of(2015, 1, 20)).driftedColumns()).as(why).contains("temp_max", "temp_min");
        assertThat(windowContaining(reports, LocalDate.of(2015, 7, 20)).driftedColumns()).as(why).contains("temp_max", "temp_min");
        // summer is dry
        assertThat(windowContaining(reports, LocalDate.of(2015, 7, 20)).driftedColumns()).as(why).contains("precipitation");
        // temperatures drift in most windows, wind in fewer
        int windows = reports.size();
        assertThat(driftedWindows.getOrDefault("temp_max", 0)).as(why).isGreaterThanOrEqualTo(windows * 2 / 3);
        assertThat(driftedWindows.getOrDefault("wind", 0)).as(why).isLessThan(driftedWindows.get("temp_max"));
    }

    private static DriftReport windowContaining(List<DriftReport> reports, LocalDate day) {
        long t = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return reports.stream().filter(r -> r.window().orElseThrow().start().toEpochMilli() <= t
                && t < r.window().orElseThrow().end().toEpochMilli()).findFirst().orElseThrow();
    }
}
