package dev.mlops.examples;

import dev.mlops.serving.ModelServiceBuilder;
import dev.mlops.api.Artifact;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.api.AttachmentNames;
import dev.mlops.training.ContinuousTraining;
import dev.mlops.quality.Frames;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import dev.mlops.cards.ModelCard;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import dev.mlops.training.RetrainPolicy;
import dev.mlops.training.TrainingEvent;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.onnx.OnnxModelLoader;
import dev.mlops.onnx.OnnxSignature;
import dev.mlops.registry.fs.FileSystemStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The README's demo: the whole life cycle on real NOAA weather data, through the public API
 * only. It registers 2012 as the training dataset, trains tomorrow's maximum temperature with
 * Tribuo and exports it to ONNX, registers it with lineage, metrics and a drift profile, serves
 * {@code temp-max@production} through ONNX Runtime while streaming 2014-2015 with feedback, lets
 * the drift monitor trigger retraining on the latest year, gates the candidate (an error ceiling
 * and a non-inferiority margin against the champion) and promotes it, shows a deliberately bad
 * candidate refused with reasons, rolls back, writes the drift report
 * and a model card, and verifies the store and the audit chain.
 *
 * <p>Usage: {@code java -jar mlops-examples/target/mlops-demo.jar [OUTPUT_DIR]} (default
 * {@code demo-output}); everything it writes stays in OUTPUT_DIR.
 */
public final class Demo {
    private Demo() {
    }

    /**
     * @param args optional output directory
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING); // Tribuo reports every epoch at INFO
        Path out = Path.of(args.length > 0 ? args[0] : "demo-output").toAbsolutePath();
        OnnxRuntimeNatives.unpackTo(Files.createDirectories(out.resolve("onnxruntime")));
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
     * @return true when the story went as expected and the store and the audit chain verify
     * @throws Exception if a step fails
     */
    public static boolean run(Path out, PrintStream console) throws Exception {
        Path store = out.resolve("store");
        if (Files.exists(store)) {
            deleteTree(store);
        }
        Path data = Files.createDirectories(out.resolve("data"));
        List<Day> days = Day.load();
        List<Day> y2012 = days.stream().filter(d -> d.date().startsWith("2012")).toList();
        List<Day> stream = days.stream().filter(d -> d.date().startsWith("2014") || d.date().startsWith("2015")).toList();
        ExecutorService training = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "demo-training");
            t.setDaemon(true);
            return t;
        });
        try (Mlops mlops = Mlops.builder().store(FileSystemStore.open(store)).actor("demo").build()) {
            console.printf("Store: %s%n%n", store);

            console.println("1. Register the training data: NOAA daily weather, Seattle, 2012");
            DatasetVersion train = mlops.datasets().register("seattle-weather", NewDatasetVersion
                    .builder(DatasetSource.csv(Day.write(y2012, data.resolve("weather-2012.csv"))))
                    .description("NOAA daily weather, Seattle").sourceUri("NOAA via vega-datasets").build());
            console.printf("   %s: %d rows, columns %s, sha256 %s...%n%n", train.ref(), train.rowCount().orElse(0),
                    train.schema().orElseThrow().fields().stream().map(f -> f.name()).toList(),
                    train.contentSha256().substring(0, 12));

            console.println("2. Train tomorrow's maximum temperature with Tribuo, export ONNX, register with lineage");
            ReferenceProfile profile = ReferenceProfile.of(Frames.readCsv(data.resolve("weather-2012.csv"))
                    .select(MONITORED));
            ModelVersion v1 = register(mlops, y2012, train.ref(), Optional.empty(), profile, false);
            mlops.models().setAlias(MODEL, "production", v1.number());
            console.printf("   %s: linear SGD (Tribuo %s), MAE on held-out days %.2f C, profile of %d columns attached%n",
                    v1.ref(), "4.3", v1.metrics().get("mae_holdout"), profile.columns().size());
            console.printf("   %s@production -> %s%n%n", MODEL, v1.ref());

            console.println("3. Serve " + MODEL + "@production through ONNX Runtime; monitor inputs in " + WINDOW + "-day windows;"
                    + " retrain on drift");
            AtomicBoolean shuffleNext = new AtomicBoolean();
            List<DriftReport> windows = new CopyOnWriteArrayList<>();
            // held-out MAE of tomorrow's maximum temperature, in degrees C: a ceiling, and at most a tenth of
            // a degree worse than the champion on the same days (a retrained model is often a hair worse
            // there, and "no worse at all" would refuse it for noise)
            PromotionPolicy policy = PromotionPolicy.builder("demo-policy")
                    .maximum("mae", MAE_CEILING)
                    .nonInferiority("mae", false, MAE_MARGIN)
                    .build();
            try (ContinuousTraining loop = ContinuousTraining.builder(mlops, MODEL, "production")
                    .datasets("seattle-weather")
                    .policy(RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(2).cooldown(Duration.ofDays(1)).build())
                    .trainer(request -> {
                        List<Day> recent = Day.parse(mlops.datasets().open(request.dataset("seattle-weather").ref(),
                                request.dataset("seattle-weather").files().entries().get(0).path()));
                        return candidate(recent, shuffleNext.getAndSet(false));
                    })
                    .gate(PromotionGate.of(mlops, policy), (candidate, request) -> {
                        List<Day> recent = Day.parse(mlops.datasets().open(request.dataset("seattle-weather").ref(),
                                request.dataset("seattle-weather").files().entries().get(0).path()));
                        List<Day> holdout = recent.subList(recent.size() - HOLDOUT, recent.size());
                        double champion = meanAbsoluteError(mlops, request.champion().orElseThrow().ref(), holdout);
                        return PromotionGate.inputs().candidateMetrics(Map.of("mae", candidate.metrics().get("mae_holdout")))
                                .championMetrics(Map.of("mae", champion)).build();
                    })
                    .executor(training)
                    .build()) {
                List<CompletableFuture<TrainingEvent.Outcome>> runs = new ArrayList<>();
                DriftMonitor monitor = DriftMonitor.builder(profile).countWindow(WINDOW)
                        .listener((report, state) -> {
                            windows.add(report);
                            int n = windows.size();
                            console.printf("   window %2d, %s to %s: %s%n", n, stream.get((n - 1) * WINDOW).date(),
                                    stream.get(n * WINDOW - 1).date(), report.datasetDrift()
                                            ? "dataset drift, in " + report.driftedColumns()
                                            : "no dataset drift (" + report.driftedColumns().size() + " of "
                                                    + report.columns().size() + " columns drifted)");
                            loop.onDriftReport(report).ifPresent(runs::add);
                        }).build();
                try (ModelService<Day, Double> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse(MODEL + "@production"), LOADER)
                        .monitor(monitor.observer(Demo::features), 1.0).feedbackWindow(1_000).build()) {
                    List<Day> seen = new ArrayList<>(y2012);
                    for (int i = 0; i + 1 < stream.size(); i++) {
                        Day today = stream.get(i);
                        seen.add(today);
                        if ((i + 1) % WINDOW == 0) {
                            // the data seen so far is registered as it arrives, for retraining; before
                            // the prediction that closes the window, so a retraining run it triggers
                            // always trains on it
                            mlops.datasets().register("seattle-weather", DatasetSource.csv(
                                    Day.write(seen, data.resolve("weather-to-" + today.date().replace('/', '-') + ".csv"))));
                        }
                        Prediction<Double> p = svc.predictDetailed(today);
                        svc.feedback(p.predictionId(), stream.get(i + 1).tempMax());
                        for (CompletableFuture<TrainingEvent.Outcome> run : runs) {
                            TrainingEvent.Outcome o = run.get(60, TimeUnit.SECONDS);
                            report(console, o, windows);
                            svc.refresh();
                            console.printf("   the service now serves %s%n", svc.currentVersion());
                        }
                        runs.clear();
                    }
                    long drifted = windows.stream().filter(DriftReport::datasetDrift).count();
                    console.printf("   streamed %d days of 2014-2015: %d windows, %d with dataset drift%n", stream.size() - 1,
                            windows.size(), drifted);
                    for (VersionMetrics m : svc.metrics().versions()) {
                        console.printf("   %-12s %5d calls, live MAE %.2f C over %d days of feedback, p99 latency %d us%n",
                                m.version(), m.calls(), m.meanLiveError().orElse(Double.NaN), m.feedbackCount(),
                                m.latency().p99Nanos() / 1000);
                    }
                    DriftReport last = windows.stream().filter(DriftReport::datasetDrift).reduce((a, b) -> b).orElseThrow();
                    Path html = out.resolve("drift-report.html");
                    DriftReportHtml.write(last, html);
                    console.printf("   drift report of the last drifted window: %s (drifted: %s)%n%n", html,
                            last.driftedColumns());

                    console.println("4. A deliberately bad candidate (shuffled labels) meets the gate");
                    shuffleNext.set(true);
                    TrainingEvent.Outcome bad = loop.trigger("manual: demonstrate a refusal").get(60, TimeUnit.SECONDS);
                    report(console, bad, windows);
                    console.println();

                    console.println("5. Roll production back, and forward again");
                    ModelVersion promoted = mlops.models().resolve(ModelRef.parse(MODEL + "@production"));
                    ModelVersion back = mlops.models().rollback(MODEL, "production");
                    svc.refresh();
                    console.printf("   rollback -> %s, the service serves %s%n", back.ref(), svc.currentVersion());
                    mlops.models().setAlias(MODEL, "production", promoted.number());
                    svc.refresh();
                    console.printf("   production -> %s again, the service serves %s%n%n", promoted.ref(), svc.currentVersion());
                }
            }

            console.println("6. Lineage and audit trail");
            ModelVersion prod = mlops.models().resolve(ModelRef.parse(MODEL + "@production"));
            console.printf("   %s: trained on %s, retrained from %s%n", prod.ref(), prod.lineage().trainedOn(),
                    prod.lineage().retrainedFrom().map(Object::toString).orElse("-"));
            Map<String, Long> actions = new java.util.TreeMap<>();
            mlops.audit().entries(1, 10_000).forEach(e -> actions.merge(e.action(), 1L, Long::sum));
            console.printf("   audit entries by action: %s%n", actions);
            ModelCard card = ModelCard.of(mlops, prod.ref());
            Path cardHtml = out.resolve("model-card.html");
            card.writeHtml(cardHtml);
            card.writeMarkdown(out.resolve("model-card.md"));
            console.printf("   model card: %s (and .md)%n%n", cardHtml);

            console.println("7. Verify the store and the audit chain");
            IntegrityReport report = mlops.verify(VerifyOptions.check());
            AuditVerification chain = mlops.audit().verify();
            console.printf("   store: %s (%d problems)%n", report.ok() ? "ok" : "NOT OK", report.problems().size());
            report.problems().forEach(p -> console.println("   - " + p));
            console.printf("   audit chain: %s, %d entries%n", chain.ok() ? "ok" : "BROKEN: " + chain.detail(),
                    chain.entriesChecked());
            boolean story = actions.getOrDefault("alias.promote", 0L) >= 1 && actions.getOrDefault("promotion.refused", 0L) >= 1;
            return story && report.ok() && chain.ok();
        } finally {
            training.shutdownNow();
        }
    }

    /** Held so the level set in main sticks (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");
    static final String MODEL = "temp-max";
    static final int HOLDOUT = 56;
    /** Days per drift monitor window. */
    static final int WINDOW = 56;
    static final double MAE_CEILING = 2.5;
    static final double MAE_MARGIN = 0.1;
    /** The raw weather columns the monitor compares with the training profile. */
    static final List<String> MONITORED = List.of("precipitation", "temp_max", "temp_min", "wind", "weather");

    /** Serves the ONNX file of a version, mapping a day to the model's features and back. */
    static final ModelLoader<Day, Double> LOADER = ctx -> {
        Model<float[], float[]> onnx = OnnxModelLoader.floatVector("input", "output").load(ctx);
        return new Model<>() {
            @Override
            public Double predict(Day day) {
                return (double) onnx.predict(WeatherModel.features(day))[0];
            }

            @Override
            public void close() {
                onnx.close();
            }
        };
    };

    private static void features(Day d, double[] numerical, String[] categorical) {
        numerical[0] = d.precipitation();
        numerical[1] = d.tempMax();
        numerical[2] = d.tempMin();
        numerical[3] = d.wind();
        categorical[0] = d.weather();
    }

    /** Trains on all but the last {@link #HOLDOUT} days and measures MAE on those. */
    private static NewModelVersion candidate(List<Day> days, boolean shuffled) throws java.io.IOException {
        List<Day> fit = days.subList(0, days.size() - HOLDOUT);
        List<Day> holdout = days.subList(days.size() - HOLDOUT, days.size());
        byte[] onnx = WeatherModel.trainOnnx(fit, 1, shuffled);
        return NewModelVersion.builder().artifact(Artifact.bytes("model.onnx", onnx)).format("onnx")
                .signature(OnnxSignature.read(onnx)) // the tensors' names, types and shapes, for the model card
                .description(shuffled ? "trained on shuffled labels (deliberately bad)" : "linear SGD, Tribuo")
                .param("trainer", "tribuo LinearSGDTrainer(SquaredLoss, AdaGrad(0.1), 20 epochs, seed 1)")
                .param("shuffled_labels", Boolean.toString(shuffled))
                .metric("mae_holdout", WeatherModel.meanAbsoluteError(onnx, holdout))
                .codeRef("dev.mlops.examples.WeatherModel")
                .build();
    }

    private static ModelVersion register(Mlops mlops, List<Day> days, DatasetRef data, Optional<ModelRef.Version> parent,
                                         ReferenceProfile profile, boolean shuffled) throws java.io.IOException {
        NewModelVersion c = candidate(days, shuffled);
        NewModelVersion.Builder b = NewModelVersion.builder().artifact(c.artifact()).format(c.format())
                .signature(c.signature()).description(c.description()).trainedOn(data).codeRef("dev.mlops.examples.WeatherModel")
                .attachment(AttachmentNames.DRIFT_PROFILE, profile.toJsonBytes());
        c.params().forEach(b::param);
        c.metrics().forEach(b::metric);
        parent.ifPresent(b::retrainedFrom);
        return mlops.models().register(MODEL, b.build());
    }

    private static double meanAbsoluteError(Mlops mlops, ModelRef.Version version, List<Day> holdout) {
        try (ModelService<Day, Double> svc = ModelServiceBuilder.serve(mlops, version, LOADER).build()) {
            double sum = 0;
            for (int i = 0; i + 1 < holdout.size(); i++) {
                sum += Math.abs(svc.predict(holdout.get(i)) - holdout.get(i + 1).tempMax());
            }
            return sum / (holdout.size() - 1);
        }
    }

    private static void report(PrintStream console, TrainingEvent.Outcome o, List<DriftReport> windows) {
        if (o instanceof TrainingEvent.Promoted p) {
            double candidate = observed(p.decision(), "max:mae");
            // the margin's observed value is the change champion - candidate (smaller is better)
            double champion = candidate + observed(p.decision(), "non_inferiority:mae");
            console.printf("   drift in %d windows so far -> retrained %s on all data seen: held-out MAE %.3f C, the"
                    + " champion's %.3f C on the same days (gate: <= %s, at most %s worse) -> PROMOTED%n",
                    windows.stream().filter(DriftReport::datasetDrift).count(), p.candidate().ref(), candidate, champion,
                    MAE_CEILING, MAE_MARGIN);
        } else if (o instanceof TrainingEvent.Refused r) {
            console.printf("   candidate %s (%s) REFUSED by the gate:%n", r.candidate().ref(), r.candidate().description());
            for (CheckResult c : r.decision().failures()) {
                console.printf("     - %s: observed %s, required %s%n", c.name(),
                        c.observed().isPresent() ? String.format(Locale.ROOT, "%.2f", c.observed().getAsDouble()) : "-",
                        c.required());
            }
        } else if (o instanceof TrainingEvent.TrainingFailed f) {
            console.printf("   training FAILED at %s: %s%n", f.stage(), f.message());
        }
    }

    private static double observed(PromotionDecision d, String check) {
        return d.checks().stream().filter(c -> c.name().equals(check)).findFirst()
                .flatMap(c -> c.observed().isPresent() ? Optional.of(c.observed().getAsDouble()) : Optional.empty())
                .orElse(Double.NaN);
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
            return parse(Demo.class.getResourceAsStream("/data/seattle-weather.csv"));
        }

        static Path write(List<Day> days, Path file) throws IOException {
            List<String> lines = new ArrayList<>();
            lines.add(HEADER);
            days.forEach(d -> lines.add(d.line()));
            return Files.write(file, lines, StandardCharsets.UTF_8);
        }

        static List<Day> parse(InputStream in) throws IOException {
            try (in) {
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
    }
}
