package dev.mlops.it;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.drift.DriftMonitor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet drift stream: Seattle's daily weather (NOAA, public domain; the file is mlops-drift's
 * test resource), 2012 as the reference, 2013 to 2015 as live traffic, one row per day at noon
 * UTC. Which of the fleet's instances receives a day is drawn from a seeded generator, the same
 * in every JVM, so the instances see disjoint parts that together are the whole stream.
 */
final class SeattleStream {
    static final long ROUTE_SEED = 20240501L;

    record Day(LocalDate date, double[] numerical, String weather) {
        long noonMillis() {
            return date.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }

    private SeattleStream() {
    }

    static List<Day> days() {
        List<Day> days = new ArrayList<>();
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy/MM/dd");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SeattleStream.class.getResourceAsStream("/seattle-weather.csv"), StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (!"date,precipitation,temp_max,temp_min,wind,weather".equals(header)) {
                throw new IllegalStateException("unexpected header " + header);
            }
            String line;
            while ((line = r.readLine()) != null) {
                String[] p = line.split(",");
                days.add(new Day(LocalDate.parse(p[0], f), new double[] {Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                        Double.parseDouble(p[3]), Double.parseDouble(p[4])}, p[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return days;
    }

    static List<Day> reference(List<Day> days) {
        return days.stream().filter(d -> d.date().getYear() == 2012).toList();
    }

    static List<Day> live(List<Day> days) {
        return days.stream().filter(d -> d.date().getYear() > 2012).toList();
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

    /** @return for every live day, the instance (0 to instances - 1) that receives it */
    static int[] routes(int days, int instances) {
        Random r = new Random(ROUTE_SEED);
        int[] out = new int[days];
        for (int i = 0; i < days; i++) {
            out[i] = r.nextInt(instances);
        }
        return out;
    }

    /** Feeds a day to a monitor at noon of that day by the manual clock. */
    static void observe(DriftMonitor monitor, ManualClock clock, Day d) {
        clock.set(d.noonMillis());
        monitor.observe(d.numerical(), new String[] {d.weather()});
    }

    /** A clock set by hand to each day. */
    static final class ManualClock extends java.time.Clock {
        final AtomicLong millis;

        ManualClock(long start) {
            millis = new AtomicLong(start);
        }

        void set(long m) {
            millis.set(m);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis.get());
        }
    }
}
