package dev.mlops.examples;

import dev.mlops.api.AliasMove;
import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The README's demo: the registry life cycle on real NOAA weather data. It registers two
 * training periods as dataset versions, trains a small model on each (mean daily maximum
 * temperature per month, a seasonal baseline forecaster), registers both with lineage and their
 * error on the held-out year 2015, points {@code production} at the better one, rolls back,
 * prints lineage and the audit trail, and verifies the store.
 *
 * <p>Usage: {@code java -jar mlops-examples/target/mlops-demo.jar [OUTPUT_DIR]} (default
 * {@code demo-output}); everything it writes stays in OUTPUT_DIR.
 */
public final class Demo {
    private Demo() {
    }

    /**
     * @param args optional output directory
     * @throws IOException if the output directory cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "demo-output").toAbsolutePath();
        boolean ok = run(out, System.out);
        if (!ok) {
            System.exit(1);
        }
    }

    /**
     * Runs the demo into {@code out}, printing the story to {@code console}.
     *
     * @param out output directory (a fresh store is created in {@code out/store})
     * @param console where to print
     * @return true when the store and the audit chain verify
     * @throws IOException if files cannot be written
     */
    public static boolean run(Path out, PrintStream console) throws IOException {
        Path store = out.resolve("store");
        if (Files.exists(store)) {
            deleteTree(store);
        }
        Path data = Files.createDirectories(out.resolve("data"));
        List<Day> days = Day.load();
        Path train2012 = Day.write(days, "2012", data.resolve("weather-2012.csv"));
        Path train2013 = Day.write(days, "2012|2013", data.resolve("weather-2012-2013.csv"));
        List<Day> holdout = days.stream().filter(d -> d.date().startsWith("2015")).toList();

        try (Mlops mlops = Mlops.builder().store(FileSystemStore.open(store)).actor("demo").build()) {
            console.printf("Store: %s%n%n", store);

            console.println("1. Register the training data as dataset versions of 'seattle-weather'");
            DatasetVersion d1 = mlops.datasets().register("seattle-weather", NewDatasetVersion
                    .builder(DatasetSource.csv(train2012)).description("NOAA daily weather, Seattle, 2012")
                    .sourceUri("NOAA via vega-datasets").build());
            DatasetVersion d2 = mlops.datasets().register("seattle-weather", NewDatasetVersion
                    .builder(DatasetSource.csv(train2013)).description("NOAA daily weather, Seattle, 2012-2013")
                    .sourceUri("NOAA via vega-datasets").build());
            for (DatasetVersion d : List.of(d1, d2)) {
                console.printf("   %-18s %5d rows  %s  sha256 %s...%n", d.ref(), d.rowCount().orElse(0),
                        d.schema().orElseThrow().fields().stream().map(f -> f.name() + ":" + f.type().name().toLowerCase(Locale.ROOT)).toList(),
                        d.contentSha256().substring(0, 12));
            }
            DatasetVersion again = mlops.datasets().register("seattle-weather", DatasetSource.csv(train2012));
            console.printf("   registering the 2012 file again returns %s (same content, no duplicate)%n%n", again.ref());

            console.println("2. Train a seasonal model on each, evaluate on 2015, register both with lineage");
            ModelVersion v1 = train(mlops, days, "2012", d1.ref(), holdout, null);
            ModelVersion v2 = train(mlops, days, "2012|2013", d2.ref(), holdout, v1.ref());
            for (ModelVersion v : List.of(v1, v2)) {
                console.printf("   %-12s trained on %-18s MAE on 2015 = %.3f C  artifact sha256 %s...%n",
                        v.ref(), v.lineage().trainedOn(), v.metrics().get("mae_2015"),
                        v.artifact().digest().substring(0, 12));
            }
            console.println();

            console.println("3. Move the 'production' alias, then roll it back");
            mlops.models().setAlias("temp-max", "production", v1.version());
            ModelVersion best = v2.metrics().get("mae_2015") <= v1.metrics().get("mae_2015") ? v2 : v1;
            mlops.models().setAlias("temp-max", "production", best.version());
            console.printf("   temp-max@production -> %s (lower error)%n",
                    mlops.models().resolve(ModelRef.parse("temp-max@production")).ref());
            ModelVersion back = mlops.models().rollback("temp-max", "production");
            console.printf("   rollback            -> %s%n", back.ref());
            mlops.models().setAlias("temp-max", "production", best.version());
            for (AliasMove m : mlops.models().aliasHistory("temp-max", "production")) {
                console.printf("   history: %-8s %s -> %s by %s%n", m.kind(), m.from().map(String::valueOf).orElse("-"),
                        m.to().map(String::valueOf).orElse("-"), m.actor());
            }
            console.println();

            console.println("4. Lineage");
            ModelVersion prod = mlops.models().resolve(ModelRef.parse("temp-max@production"));
            console.printf("   %s was trained on %s, retrained from %s, code %s%n", prod.ref(),
                    prod.lineage().trainedOn(), prod.lineage().retrainedFrom().map(Object::toString).orElse("-"),
                    prod.lineage().codeRef().orElse("-"));
            for (DatasetRef ref : prod.lineage().trainedOn()) {
                DatasetVersion d = mlops.datasets().version(ref);
                console.printf("   %s: %d rows, sha256 %s%n", ref, d.rowCount().orElse(0), d.contentSha256());
            }
            console.printf("   models trained on %s: %s%n%n", d1.ref(),
                    mlops.models().versionsUsing(d1.ref()).stream().map(v -> v.ref().toString()).toList());

            console.println("5. Audit trail");
            for (AuditEntry e : mlops.audit().entries(1, 100)) {
                console.printf("   #%-3d %-17s %-24s %s -> %s%n", e.sequence(), e.action(), e.target(), e.before(), e.after());
            }
            console.println();

            console.println("6. Verify the store and the audit chain");
            IntegrityReport report = mlops.verify(false);
            AuditVerification chain = mlops.audit().verify();
            console.printf("   store: %s (%d problems)%n", report.ok() ? "ok" : "NOT OK", report.problems().size());
            report.problems().forEach(p -> console.println("   - " + p));
            console.printf("   audit chain: %s, %d entries%n", chain.ok() ? "ok" : "BROKEN: " + chain.detail(),
                    chain.entriesChecked());
            return report.ok() && chain.ok();
        }
    }

    private static ModelVersion train(Mlops mlops, List<Day> days, String years, DatasetRef data, List<Day> holdout,
                                      ModelRef.Version parent) {
        SeasonalModel model = SeasonalModel.fit(days.stream().filter(d -> d.date().matches("(" + years + ").*")).toList());
        NewModelVersion.Builder b = NewModelVersion.builder()
                .artifact(Artifact.bytes("seasonal-model.json", model.toJson().getBytes(StandardCharsets.UTF_8)))
                .format("java-function").description("mean daily maximum temperature per month")
                .param("years", years.replace('|', ',')).metric("mae_2015", model.meanAbsoluteError(holdout))
                .trainedOn(data).codeRef("dev.mlops.examples.SeasonalModel");
        if (parent != null) {
            b.retrainedFrom(parent);
        }
        return mlops.models().register("temp-max", b.build());
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One row of the weather data. */
    record Day(String date, double precipitation, double tempMax, double tempMin, double wind, String weather,
               String line) {
        static final String HEADER = "date,precipitation,temp_max,temp_min,wind,weather";

        int month() {
            return Integer.parseInt(date.substring(5, 7));
        }

        int dayOfYear() {
            return java.time.LocalDate.parse(date.replace('/', '-')).getDayOfYear();
        }

        static List<Day> load() throws IOException {
            try (InputStream in = Demo.class.getResourceAsStream("/data/seattle-weather.csv")) {
                List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                if (!lines.get(0).equals(HEADER)) {
                    throw new IllegalStateException("unexpected header " + lines.get(0));
                }
                List<Day> days = new ArrayList<>();
                for (String l : lines.subList(1, lines.size())) {
                    String[] f = l.split(",");
                    days.add(new Day(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]), f[5], l));
                }
                return days;
            }
        }

        static Path write(List<Day> days, String years, Path file) throws IOException {
            List<String> lines = new ArrayList<>();
            lines.add(HEADER);
            days.stream().filter(d -> d.date().matches("(" + years + ").*")).forEach(d -> lines.add(d.line()));
            return Files.write(file, lines, StandardCharsets.UTF_8);
        }
    }

    /** Predicts the day's maximum temperature as the training mean of its month. */
    record SeasonalModel(double[] monthlyMean) {
        static SeasonalModel fit(List<Day> days) {
            double[] sum = new double[13];
            int[] n = new int[13];
            for (Day d : days) {
                sum[d.month()] += d.tempMax();
                n[d.month()]++;
            }
            double[] mean = new double[13];
            for (int m = 1; m <= 12; m++) {
                mean[m] = n[m] == 0 ? Double.NaN : sum[m] / n[m];
            }
            return new SeasonalModel(mean);
        }

        double predict(Day d) {
            return monthlyMean[d.month()];
        }

        double meanAbsoluteError(List<Day> days) {
            return days.stream().mapToDouble(d -> Math.abs(predict(d) - d.tempMax())).average().orElseThrow();
        }

        String toJson() {
            StringBuilder sb = new StringBuilder("{\"monthly_mean_temp_max\":[");
            for (int m = 1; m <= 12; m++) {
                sb.append(m > 1 ? "," : "").append(String.format(Locale.ROOT, "%.4f", monthlyMean[m]));
            }
            return sb.append("]}").toString();
        }
    }
}
