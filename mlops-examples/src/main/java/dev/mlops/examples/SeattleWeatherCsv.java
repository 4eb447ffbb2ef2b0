package dev.mlops.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The NOAA Seattle weather bundled with the examples ({@code data/seattle-weather.csv}, 2012 to
 * 2015, see {@code data/README.md}), split by year into CSV files: the examples' stand-in for
 * "last year's data" and "this year's data" that a real job would find on disk.
 */
final class SeattleWeatherCsv {
    /** The header of the bundled file. */
    static final String HEADER = "date,precipitation,temp_max,temp_min,wind,weather";

    private SeattleWeatherCsv() {
    }

    /**
     * @param year a year from 2012 to 2015
     * @return the data rows of that year, in date order, as written in the bundled file
     */
    static List<String> rows(int year) {
        try (InputStream in = SeattleWeatherCsv.class.getResourceAsStream("/data/seattle-weather.csv")) {
            if (in == null) {
                throw new IllegalStateException("data/seattle-weather.csv is missing from the classpath");
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (!lines.get(0).equals(HEADER)) {
                throw new IllegalStateException("data/seattle-weather.csv has the header '" + lines.get(0)
                        + "', expected '" + HEADER + "'");
            }
            List<String> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith(year + "/")) {
                    rows.add(line);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one year as a CSV file with the bundled file's header.
     *
     * @param file the file to write
     * @param year the year
     * @return {@code file}
     */
    static Path write(Path file, int year) {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.addAll(rows(year));
        try {
            return Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
