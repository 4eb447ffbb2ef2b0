package dev.mlops.examples;

import dev.mlops.api.Artifact;
import dev.mlops.api.Frame;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.store.Store;
import dev.mlops.quality.Frames;
import dev.mlops.core.Mlops;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.FleetDrift;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.api.testing.ManualTestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
     * @param dir where to write
     * @param from first row, inclusive
     * @param to last row, exclusive
     * @return {@code dir/german-credit-FROM-TO.csv}: those rows of the German credit data, with the header
     */
    public static Path germanCreditCsv(Path dir, int from, int to) {
        List<String> lines = new String(resource("/datasets/german-credit.csv"), StandardCharsets.UTF_8).lines().toList();
        List<String> kept = new ArrayList<>(lines.subList(1 + from, 1 + to));
        kept.add(0, lines.get(0));
        try {
            return Files.write(dir.resolve("german-credit-" + from + "-" + to + ".csv"), kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /**
     * Plays another instance of a fleet: a monitor named {@code monitorName} on instance
     * {@code instanceId} sees the temperatures and weather of July 2015 during the hour
     * 2015-07-01T11:00Z to 12:00Z and publishes that window to {@code store}.
     *
     * @param store the shared store
     * @param monitorName the fleet monitor's name
     * @param profile a profile with the columns {@code temp_max} and {@code weather}
     * @param instanceId the other instance's id
     */
    public static void publishFleetWindow(Store store, String monitorName, ReferenceProfile profile, String instanceId) {
        ManualTestClock clock = new ManualTestClock(Instant.parse("2015-07-01T11:00:00Z"));
        FleetDrift fleet = FleetDrift.builder(store, monitorName, profile).instanceId(instanceId).clock(clock).build();
        DriftMonitor monitor = fleet.monitor(DriftMonitor.builder(profile).timeWindow(Duration.ofHours(1)).clock(clock));
        Frame july = weather(2015, "temp_max", "weather").slice(181, 212);
        double[] temps = july.numeric("temp_max");
        String[] weather = july.strings("weather");
        for (int i = 0; i < temps.length; i++) {
            clock.set(Instant.parse("2015-07-01T11:00:00Z").plusSeconds(60L * i));
            monitor.observe(new double[] {temps[i]}, new String[] {weather[i]});
        }
        clock.set(Instant.parse("2015-07-01T12:00:00Z"));
        monitor.tick();
        if (fleet.published() != 1) {
            throw new IllegalStateException("the other instance published " + fleet.published() + " windows, expected 1");
        }
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
