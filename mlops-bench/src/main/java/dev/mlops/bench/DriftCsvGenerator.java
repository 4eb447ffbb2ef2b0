package dev.mlops.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the CSV files of the big-file drift measurement (issue 11, part 7), the same bytes on
 * every run: a current file of 4.8 million rows (about 197 MB) and a reference of 480,000 rows
 * (about 20 MB), each with six columns: {@code ts} (epoch seconds, INTEGER), four DOUBLE columns
 * ({@code temp}, {@code humidity}, {@code wind}, {@code price}; {@code temp} and {@code price}
 * shifted in the current data) and a five-value category {@code weather}. With {@code --id},
 * a seventh column {@code id} of unique text identifiers comes first (the high-cardinality case).
 *
 * <p>Needs only the JDK, so it also runs as a single source file:
 * <pre>{@code
 * java mlops-bench/src/main/java/dev/mlops/bench/DriftCsvGenerator.java target/drift-csv
 * java mlops-bench/src/main/java/dev/mlops/bench/DriftCsvGenerator.java --id target/drift-csv-id
 * java mlops-bench/src/main/java/dev/mlops/bench/DriftCsvGenerator.java --rows 100000 target/small
 * }</pre>
 * It writes {@code reference.csv} and {@code current.csv} into the directory (created if
 * needed). The files are for measuring, never committed.
 */
public final class DriftCsvGenerator {
    /** Rows of the current file by default; the reference has a tenth. */
    static final int CURRENT_ROWS = 4_800_000;

    private static final String[] WEATHER = {"sun", "rain", "fog", "snow", "drizzle"};
    private static final double[] WEATHER_REFERENCE = {0.45, 0.30, 0.10, 0.05, 0.10};
    private static final double[] WEATHER_CURRENT = {0.40, 0.32, 0.12, 0.06, 0.10};

    private DriftCsvGenerator() {
    }

    /**
     * @param args {@code [--id] [--rows N] DIR}: with {@code --id} an {@code id} column of unique
     *     text; {@code --rows} the current file's rows (default 4,800,000), the reference a tenth
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        boolean id = false;
        int rows = CURRENT_ROWS;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--id" -> id = true;
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                default -> {
                    if (dir != null || args[i].startsWith("-")) {
                        throw new IllegalArgumentException("usage: DriftCsvGenerator [--id] [--rows N] DIR, got " + args[i]);
                    }
                    dir = Path.of(args[i]);
                }
            }
        }
        if (dir == null || rows < 10) {
            throw new IllegalArgumentException("usage: DriftCsvGenerator [--id] [--rows N>=10] DIR");
        }
        Files.createDirectories(dir);
        write(dir.resolve("reference.csv"), rows / 10, false, id, 1L);
        write(dir.resolve("current.csv"), rows, true, id, 2L);
        System.out.println("wrote " + dir.resolve("reference.csv") + " (" + Files.size(dir.resolve("reference.csv"))
                + " bytes) and " + dir.resolve("current.csv") + " (" + Files.size(dir.resolve("current.csv")) + " bytes)");
    }

    /**
     * Writes one file.
     *
     * @param file the file
     * @param rows data rows
     * @param shifted whether {@code temp}, {@code price} and the weather shares drift
     * @param id whether to write the {@code id} column
     * @param seed the random seed
     * @throws IOException if it cannot be written
     */
    static void write(Path file, int rows, boolean shifted, boolean id, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        double[] weather = shifted ? WEATHER_CURRENT : WEATHER_REFERENCE;
        long start = shifted ? 1_720_000_000_000L : 1_700_000_000_000L;
        StringBuilder line = new StringBuilder(96);
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            out.write(id ? "id,ts,temp,humidity,wind,price,weather\n" : "ts,temp,humidity,wind,price,weather\n");
            for (int i = 0; i < rows; i++) {
                line.setLength(0);
                if (id) {
                    // unique per file and across the two files: the seed is part of the text
                    line.append('u').append(seed).append('-').append(Long.toHexString(0x1000_0000_0000L + i * 7919L)).append(',');
                }
                line.append(start + i * 3_000L).append(',');
                decimal(line, gaussian(r) * 8.0 + (shifted ? 16.5 : 15.0), 1).append(',');
                decimal(line, Math.min(1.0, Math.max(0.0, 0.6 + gaussian(r) * 0.15)), 3).append(',');
                decimal(line, -Math.log(1.0 - r.nextDouble()) * 3.0, 2).append(',');
                decimal(line, 100.0 * Math.exp(gaussian(r) * (shifted ? 0.25 : 0.2)), 2).append(',');
                line.append(pick(r, weather)).append('\n');
                out.append(line);
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller, so the values depend only on the seed, not on a JDK's nextGaussian
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    private static String pick(SplittableRandom r, double[] shares) {
        double u = r.nextDouble();
        for (int k = 0; k < shares.length; k++) {
            u -= shares[k];
            if (u < 0) {
                return WEATHER[k];
            }
        }
        return WEATHER[shares.length - 1];
    }

    /** Fixed-point text with {@code digits} decimals, without String.format's cost per value. */
    private static StringBuilder decimal(StringBuilder sb, double v, int digits) {
        long scale = digits == 1 ? 10 : digits == 2 ? 100 : 1000;
        long n = Math.round(v * scale);
        if (n < 0) {
            sb.append('-');
            n = -n;
        }
        sb.append(n / scale).append('.');
        long frac = n % scale;
        for (long pad = scale / 10; pad > 1 && frac < pad; pad /= 10) {
            sb.append('0');
        }
        return sb.append(frac);
    }
}
