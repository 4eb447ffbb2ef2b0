package dev.mlops.examples;

import dev.mlops.api.Artifact;
import dev.mlops.api.Frame;
import dev.mlops.api.NewModelVersion;
import dev.mlops.core.Frames;
import dev.mlops.core.Mlops;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Real data and real files for the context of the docs' Java blocks ({@link DocsSnippetsTest}):
 * Seattle weather by year, German credit, the linear ONNX model, a registry with versions.
 */
public final class DocFixtures {
    private DocFixtures() {
    }

    /**
     * @param dir where to write
     * @param year 2012 to 2015
     * @return {@code dir/weather-YEAR.csv}: one year of Seattle weather, with the header
     */
    public static Path weatherCsv(Path dir, int year) {
        return SeattleWeatherCsv.write(dir.resolve("weather-" + year + ".csv"), year);
    }

    /**
     * @param year 2012 to 2015
     * @param columns the columns to keep, none for all
     * @return one year of Seattle weather as a frame (types inferred as {@link Frames#readCsv} does)
     */
    public static Frame weather(int year, String... columns) {
        String csv = SeattleWeatherCsv.HEADER + "\n" + String.join("\n", SeattleWeatherCsv.rows(year)) + "\n";
        Frame f = Frames.readCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ',',
                "seattle-weather-" + year);
        return columns.length == 0 ? f : f.select(List.of(columns));
    }

    /**
     * @param dir where to write
     * @return {@code dir/rain.onnx}: the linear ONNX model (x float [batch, 3], y float [batch, 2])
     */
    public static Path linearOnnx(Path dir) {
        try {
            return Files.write(dir.resolve("rain.onnx"), resource("/models/linear.onnx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param from first row, inclusive
     * @param to last row, exclusive
     * @return rows of the German credit data (1,000 applicants) as a frame
     */
    public static Frame germanCredit(int from, int to) {
        return Frames.readCsv(new ByteArrayInputStream(resource("/datasets/german-credit.csv")), ',', "german-credit.csv")
                .slice(from, to);
    }

    /**
     * A registry over {@code dir} holding {@code rain/1} to {@code rain/7}, each artifact a file
     * {@code model.txt} with one number (the model's weight, 0.1 to 0.7), with
     * {@code rain@production} at version 5 and {@code rain@candidate} at version 6.
     *
     * @param dir the store directory
     * @return the open registry (the caller closes it)
     */
    public static Mlops rainRegistry(Path dir) {
        Mlops mlops = Mlops.open(dir);
        for (int v = 1; v <= 7; v++) {
            String weight = String.format(Locale.ROOT, "%.1f", v / 10.0);
            mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.txt", weight.getBytes(StandardCharsets.UTF_8)))
                    .format("java-function").param("weight", weight).build());
        }
        mlops.models().setAlias("rain", "production", 5);
        mlops.models().setAlias("rain", "candidate", 6);
        return mlops;
    }

    private static byte[] resource(String name) {
        try (InputStream in = DocFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
