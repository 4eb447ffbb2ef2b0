package dev.mlops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The NOAA Seattle weather data split into two years, the drift tests' reference (2012) and
 * current data (2015): 3 of 5 columns drift.
 */
record WeatherYears(Path y2012, Path y2015) {
    static WeatherYears writeTo(Path dir) {
        List<String> lines;
        try (InputStream in = WeatherYears.class.getResourceAsStream("/datasets/seattle-weather.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            return new WeatherYears(write(dir.resolve("weather-2012.csv"), lines, l -> l.startsWith("2012/")),
                    write(dir.resolve("weather-2015.csv"), lines, l -> l.startsWith("2015/")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, List<String> lines, Predicate<String> keep) throws IOException {
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        lines.stream().skip(1).filter(keep).forEach(out::add);
        return Files.write(file, out, StandardCharsets.UTF_8);
    }
}
