package dev.mlops.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * CSV files of the drift memory tests, the same bytes for a seed: {@code id} (unique text),
 * {@code ts} (INTEGER), four DOUBLE columns and a five-value {@code weather}, the shape of
 * mlops-bench's {@code DriftCsvGenerator} at a size a test can afford.
 */
final class BigCsv {
    /** Numeric columns: ts, temp, humidity, wind, price. */
    static final int NUMERIC_COLUMNS = 5;

    private static final String[] WEATHER = {"sun", "rain", "fog", "snow", "drizzle"};

    private BigCsv() {
    }

    static Path write(Path file, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("id,ts,temp,humidity,wind,price,weather\n");
            for (int i = 0; i < rows; i++) {
                out.write(String.format(Locale.ROOT, "u%d-%x,%d,%.1f,%.3f,%.2f,%.2f,%s\n", seed, 0x10000000L + i,
                        1_700_000_000_000L + i * 3000L, r.nextDouble(-5, 35), r.nextDouble(), r.nextDouble(0, 12),
                        r.nextDouble(50, 200), WEATHER[r.nextInt(WEATHER.length)]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
