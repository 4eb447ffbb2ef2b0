package dev.mlops.estimation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A test resource CSV (no quoting in these files), read by column name; lines starting with # are notes. */
final class TestCsv {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");
    private final Map<String, Integer> header = new HashMap<>();
    private final List<String[]> rows = new ArrayList<>();

    TestCsv(String resource) {
        try (InputStream in = TestCsv.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            String[] names = null;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (names == null) {
                    names = cells;
                    for (int i = 0; i < names.length; i++) {
                        header.put(names[i], i);
                    }
                } else {
                    if (cells.length != names.length) {
                        throw new IllegalStateException(resource + ": a row of " + cells.length + " cells, header has "
                                + names.length);
                    }
                    rows.add(cells);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() {
        return rows.size();
    }

    private int col(String name) {
        Integer c = header.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no column " + name + " in " + header.keySet());
        }
        return c;
    }

    List<String> strings(String name) {
        int c = col(name);
        List<String> out = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            out.add(row[c]);
        }
        return out;
    }

    double[] doubles(String name) {
        return strings(name).stream().mapToDouble(Double::parseDouble).toArray();
    }

    /** Integers, also when written as {@code 1.0}. */
    int[] ints(String name) {
        return Arrays.stream(doubles(name)).mapToInt(d -> {
            if (d != Math.rint(d)) {
                throw new IllegalStateException(name + " holds " + d + ", expected a whole number");
            }
            return (int) d;
        }).toArray();
    }

    /** Naive timestamps ({@code 2018-01-01 00:08:43.152}) read as UTC. */
    List<Instant> times(String name) {
        List<Instant> out = new ArrayList<>();
        for (String s : strings(name)) {
            out.add(LocalDateTime.parse(s, TIME).toInstant(ZoneOffset.UTC));
        }
        return out;
    }
}
