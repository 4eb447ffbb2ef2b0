package dev.mlops.examples;

import dev.mlops.serving.ModelServiceBuilder;
import dev.mlops.api.Artifact;
import dev.mlops.api.AuditVerification;
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
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.AttachmentNames;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.PageRequest;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.api.tracking.RunQuery;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.FleetDrift;
import dev.mlops.api.store.Store;
import dev.mlops.training.ContinuousTraining;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import dev.mlops.cards.ModelCard;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import dev.mlops.training.RetrainPolicy;
import dev.mlops.training.TrainingEvent;
import dev.mlops.drift.AliasDriftMonitor;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
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
        // the data's time: cooldowns and window times are measured in days of weather, not in seconds of the run
        DataClock dataClock = new DataClock(y2012.get(y2012.size() - 1));
        ExecutorService training = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "demo-training");
            t.setDaemon(true);
            return t;
        });
        // the store itself, besides the registry on it: the fleet drift windows are its documents
        Store rawStore = FileSystemStore.open(store);
        try (Mlops mlops = Mlops.builder().store(rawStore).actor("demo").build()) {
            console.printf("Store: %s%n%n", shown(store));

            console.println("1. Register the training data: NOAA daily weather, Seattle, 2012");
            DatasetVersion train = mlops.datasets().register("seattle-weather", NewDatasetVersion
                    .builder(DatasetSource.csv(Day.write(y2012, data.resolve("weather-2012.csv"))))
                    .description("NOAA daily weather, Seattle").sourceUri("NOAA via vega-datasets").build());
            console.printf("   %s: %d rows, columns %s, sha256 %s...%n%n", train.ref(), train.rowCount().orElse(0),
                    train.schema().orElseThrow().fields().stream().map(f -> f.name()).toList(),
                    train.contentSha256().substring(0, 12));

            console.println("2. Train tomorrow's maximum temperature with Tribuo, export ONNX, register with lineage");
            ModelVersion v1 = mlops.models().register(MODEL, candidate(mlops, y2012, false, train.ref()).trainedOn(train.ref())
                    .build());
            mlops.models().setAlias(MODEL, "production", v1.number());
            console.printf("   %s: linear SGD (Tribuo %s), MAE on held-out days %.2f C, drift profile of its training data"
                    + " (%d columns) attached%n", v1.ref(), "4.3", v1.metrics().get("mae_holdout"), MONITORED.size());
            console.printf("   %s@production -> %s%n%n", MODEL, v1.ref());

            console.println("3. Serve " + MODEL + "@production through ONNX Runtime; monitor its inputs in " + WINDOW
                    + "-day windows against the drift profile of the version in production; retrain on drift");
            console.printf("   retrain policy: dataset drift in %d windows in a row, then no retraining for %d days of data"
                    + " (cooldown)%n", CONSECUTIVE, COOLDOWN_DAYS);
            AtomicBoolean shuffleNext = new AtomicBoolean();
            List<DriftReport> windows = new CopyOnWriteArrayList<>();
            // each window by the version whose profile it was compared with, for that version's card
            Map<ModelRef.Version, List<DriftReport>> windowsByVersion = new java.util.concurrent.ConcurrentHashMap<>();
            ServiceMetrics served = null;
            List<CompletableFuture<TrainingEvent.Outcome>> runs = new CopyOnWriteArrayList<>();
            // the monitor hears an alias move on its own thread, possibly before this thread has
            // printed the run that made it: its messages wait here and are printed in story order
            java.util.Queue<String> changes = new java.util.concurrent.ConcurrentLinkedQueue<>();
            // held-out MAE of tomorrow's maximum temperature, in degrees C: a ceiling, and at most a tenth of
            // a degree worse than the champion on the same days (a retrained model is often a hair worse
            // there, and "no worse at all" would refuse it for noise)
            PromotionPolicy policy = PromotionPolicy.builder("demo-policy")
                    .maximum("mae", MAE_CEILING)
                    .nonInferiority("mae", false, MAE_MARGIN)
                    .build();
            // the inputs are also published, in 28-day windows of the data's time, as a fleet drift monitor per
            // profile the alias monitor compares with: the store keeps every window (what the web UI's drift pages show)
            FleetWindows fleetWindows = new FleetWindows(rawStore, dataClock);
            try (ContinuousTraining loop = ContinuousTraining.builder(mlops, MODEL, "production")
                    .datasets("seattle-weather")
                    .policy(RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(CONSECUTIVE)
                            .cooldown(Duration.ofDays(COOLDOWN_DAYS)).clock(dataClock).build())
                    // every version the loop registers carries the profile of its own training data, so the
                    // monitor can follow the alias to it
                    .requireAttachments(AttachmentNames.DRIFT_PROFILE)
                    .trainer(request -> candidate(mlops, recent(mlops, request), shuffleNext.getAndSet(false),
                            request.dataset("seattle-weather").ref()).build())
                    .gate(PromotionGate.of(mlops, policy), (candidate, request) -> {
                        List<Day> recent = recent(mlops, request);
                        List<Day> holdout = recent.subList(recent.size() - HOLDOUT, recent.size());
                        double champion = meanAbsoluteError(mlops, request.champion().orElseThrow().ref(), pairs(holdout));
                        return PromotionGate.inputs().candidateMetrics(Map.of("mae", candidate.metrics().get("mae_holdout")))
                                .championMetrics(Map.of("mae", champion)).build();
                    })
                    .executor(training)
                    .build();
                 AliasDriftMonitor monitor = AliasDriftMonitor.builder(mlops.models(), ModelRef.alias(MODEL, "production"))
                         .monitor(b -> b.countWindow(WINDOW).clock(dataClock))
                         .listener(w -> {
                             // on the request thread that closed the window: print, and pass it to the loop
                             windows.add(w.report());
                             windowsByVersion.computeIfAbsent(w.profileVersion(), v -> new CopyOnWriteArrayList<>()).add(w.report());
                             int n = windows.size();
                             DriftReport report = w.report();
                             console.printf("   window %2d, %s to %s, against the profile of %s: %s%n", n,
                                     stream.get((n - 1) * WINDOW).date(), stream.get(n * WINDOW - 1).date(),
                                     w.profileVersion(), verdict(report));
                             ContinuousTraining.Signal signal = loop.decide(report);
                             console.printf("      -> %s%n", signal.decision().reason());
                             signal.run().ifPresent(runs::add);
                         })
                         .onChange(c -> changes.add("   " + c.message()))
                         .build()) {
                List<ModelRef.Version> servedBy = new ArrayList<>();
                try (ModelService<Day, Double> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse(MODEL + "@production"), LOADER)
                        .monitor(monitor.observer(Demo::features, Day::time), 1.0).feedbackWindow(1_000).build()) {
                    List<Day> seen = new ArrayList<>(y2012);
                    for (int i = 0; i + 1 < stream.size(); i++) {
                        Day today = stream.get(i);
                        dataClock.set(today);
                        seen.add(today);
                        if ((i + 1) % WINDOW == 0) {
                            // the data seen so far is registered as it arrives, for retraining; before
                            // the prediction that closes the window, so a retraining run it triggers
                            // always trains on it
                            mlops.datasets().register("seattle-weather", DatasetSource.csv(
                                    Day.write(seen, data.resolve("weather-to-" + today.date().replace('/', '-') + ".csv"))));
                        }
                        Prediction<Double> p = svc.predictDetailed(today);
                        fleetWindows.observe(monitor.profileVersion(), monitor.monitor().profile(), today);
                        servedBy.add(p.servedBy());
                        svc.feedback(p.predictionId(), stream.get(i + 1).tempMax());
                        for (CompletableFuture<TrainingEvent.Outcome> run : runs) {
                            TrainingEvent.Outcome o = run.get(60, TimeUnit.SECONDS);
                            report(console, o);
                            svc.refresh();
                            monitor.refresh(); // the move was heard at once; this waits until it is handled
                            printChanges(console, changes);
                            console.printf("   the service now serves %s%n", svc.currentVersion());
                        }
                        runs.clear();
                    }
                    printChanges(console, changes);
                    fleetWindows.close();
                    long drifted = windows.stream().filter(DriftReport::datasetDrift).count();
                    console.printf("   streamed %d days of 2014-2015: %d windows, %d with dataset drift%n", stream.size() - 1,
                            windows.size(), drifted);
                    compareOnTheSameDays(console, mlops, svc, stream, servedBy);
                    DriftReport last = windows.stream().filter(DriftReport::datasetDrift).reduce((a, b) -> b).orElseThrow();
                    Path html = out.resolve("drift-report.html");
                    DriftReportHtml.write(last, html);
                    console.printf("   drift report of the last drifted window: %s (drifted: %s)%n%n", shown(html),
                            last.driftedColumns());

                    console.println("4. A deliberately bad candidate (shuffled labels) meets the gate");
                    shuffleNext.set(true);
                    TrainingEvent.Outcome bad = loop.trigger("manual: demonstrate a refusal").get(60, TimeUnit.SECONDS);
                    report(console, bad);
                    console.println();

                    console.println("5. Roll production back, and forward again");
                    ModelVersion promoted = mlops.models().resolve(ModelRef.parse(MODEL + "@production"));
                    ModelVersion back = mlops.models().rollback(MODEL, "production");
                    svc.refresh();
                    monitor.refresh();
                    printChanges(console, changes);
                    console.printf("   rollback -> %s, the service serves %s%n", back.ref(), svc.currentVersion());
                    mlops.models().setAlias(MODEL, "production", promoted.number());
                    svc.refresh();
                    monitor.refresh();
                    printChanges(console, changes);
                    console.printf("   production -> %s again, the service serves %s%n%n", promoted.ref(), svc.currentVersion());
                    served = svc.metrics();
                }
            }

            console.println("6. Lineage and audit trail");
            ModelVersion prod = mlops.models().resolve(ModelRef.parse(MODEL + "@production"));
            console.printf("   %s: trained on %s, retrained from %s%n", prod.ref(), prod.lineage().trainedOn(),
                    prod.lineage().retrainedFrom().map(Object::toString).orElse("-"));
            Map<String, Long> actions = new java.util.TreeMap<>();
            mlops.audit().entries(1, 10_000).forEach(e -> actions.merge(e.action(), 1L, Long::sum));
            console.printf("   audit entries by action: %s%n", actions);
            long trainings = mlops.tracking().searchRuns(RunQuery.builder().experiment(MODEL)
                    .page(PageRequest.first(PageRequest.MAX_SIZE)).build()).items().size();
            List<String> fleets = FleetDrift.fleets(rawStore, Optional.empty(), 100).items();
            long monitored = fleets.stream().mapToLong(f -> FleetDrift.windows(rawStore, f).size()).sum();
            console.printf("   runs: %d trainings in experiment %s (training MAE by epoch), %d drift windows in %d fleet"
                    + " monitors; browse them: mlops --store %s ui%n", trainings, MODEL, monitored, fleets.size(), shown(store));
            // the live card: what the service counted and what the monitor saw for this version
            ModelCard card = ModelCard.builder(mlops, prod.ref()).servingMetrics(served)
                    .driftReports(windowsByVersion.getOrDefault(prod.ref(), List.of()), "the demo's monitor of " + MODEL + "@production")
                    .build();
            Path cardHtml = out.resolve("model-card.html");
            card.writeHtml(cardHtml);
            card.writeMarkdown(out.resolve("model-card.md"));
            console.printf("   model card: %s (and .md)%n%n", shown(cardHtml));

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
    /** Hysteresis: drifted windows in a row before retraining. */
    static final int CONSECUTIVE = 2;
    /** Cooldown after a retraining, in days of data. */
    static final int COOLDOWN_DAYS = 365;
    static final double MAE_CEILING = 3.0;
    static final double MAE_MARGIN = 0.1;
    /** The raw weather columns the monitor compares with the training profile. */
    static final List<String> MONITORED = List.of("precipitation", "temp_max", "temp_min", "wind", "weather");

    /** Days per window of the fleet drift monitors the demo publishes (windows of the data's time, on the epoch grid). */
    static final int FLEET_WINDOW_DAYS = 28;

    /** The fleet drift monitor's name for the inputs compared with the drift profile of a version. */
    static String fleetName(ModelRef.Version profileVersion) {
        return MODEL + "-v" + profileVersion.number() + "-inputs";
    }

    /**
     * Publishes the served inputs through {@link FleetDrift}: one fleet monitor per drift profile
     * (one per version whose profile the alias monitor compares with, as FleetDrift asks), on the
     * demo's only instance. When the profile changes, the previous monitor is shut down: its
     * open window is published cut short.
     */
    static final class FleetWindows {
        private final Store store;
        private final java.time.Clock clock;
        private ModelRef.Version version;
        private DriftMonitor monitor;
        private dev.mlops.api.serving.InputObserver<Day> observer;

        FleetWindows(Store store, java.time.Clock clock) {
            this.store = store;
            this.clock = clock;
        }

        void observe(ModelRef.Version profileVersion, ReferenceProfile profile, Day day) {
            if (!profileVersion.equals(version)) {
                close();
                FleetDrift fleet = FleetDrift.builder(store, fleetName(profileVersion), profile).instanceId("demo").clock(clock)
                        .build();
                monitor = fleet.monitor(DriftMonitor.builder(profile).timeWindow(Duration.ofDays(FLEET_WINDOW_DAYS))
                        .clock(clock));
                observer = monitor.observer(Demo::features, Day::time);
                version = profileVersion;
            }
            observer.observe(day);
        }

        /** Publishes the open window of the current monitor, cut short. */
        void close() {
            if (monitor != null) {
                monitor.closeWindow();
                monitor = null;
                version = null;
            }
        }
    }

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

    /** A window's dataset verdict in words; an uncertain one says between which shares. */
    private static String verdict(DriftReport report) {
        return switch (report.datasetVerdict()) {
            case DRIFT -> "dataset drift, in " + report.driftedColumns();
            case NO_DRIFT -> "no dataset drift (" + report.driftedColumns().size() + " of " + report.columns().size()
                    + " columns drifted)";
            case UNCERTAIN -> String.format(Locale.ROOT, "dataset drift uncertain (drift share between %.2f and %.2f, threshold %.2f)",
                    report.driftShareInterval().low(), report.driftShareInterval().high(), report.driftShareThreshold());
            case NOT_COMPARED -> "no column could be compared";
        };
    }

    /** The date of the day being streamed, as the time of the retrain policy and the monitor. */
    static final class DataClock extends java.time.Clock {
        private volatile java.time.Instant now;

        DataClock(Day day) {
            set(day);
        }

        void set(Day day) {
            now = day.time();
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    private static void features(Day d, double[] numerical, String[] categorical) {
        numerical[0] = d.precipitation();
        numerical[1] = d.tempMax();
        numerical[2] = d.tempMin();
        numerical[3] = d.wind();
        categorical[0] = d.weather();
    }

    /** The days of the latest dataset version a run was given. */
    private static List<Day> recent(Mlops mlops, dev.mlops.training.TrainingRequest request) throws IOException {
        DatasetVersion v = request.dataset("seattle-weather");
        return Day.parse(mlops.datasets().open(v.ref(), v.files().entries().get(0).path()));
    }

    /**
     * Trains on all but the last {@link #HOLDOUT} days, measures MAE on those, and attaches the
     * drift profile of all the days (the data the version stands for).
     */
    private static NewModelVersion.Builder candidate(Mlops mlops, List<Day> days, boolean shuffled, DatasetRef data)
            throws IOException {
        List<Day> fit = days.subList(0, days.size() - HOLDOUT);
        List<Day> holdout = days.subList(days.size() - HOLDOUT, days.size());
        String trainer = "tribuo LinearSGDTrainer(SquaredLoss, AdaGrad(0.1), " + WeatherModel.EPOCHS + " epochs, seed 1)";
        // each training is a tracked run: its params, its data, its training curve and its held-out error
        byte[] onnx;
        double mae;
        String runId;
        try (ActiveRun run = mlops.tracking().startRun(MODEL, NewRun.builder()
                .name(shuffled ? "shuffled labels" : "linear SGD on " + data).param("trainer", trainer)
                .param("shuffled_labels", Boolean.toString(shuffled)).param("epochs", Integer.toString(WeatherModel.EPOCHS))
                .param("train_days", Integer.toString(fit.size())).param("holdout_days", Integer.toString(HOLDOUT))
                .input(data).codeRef("dev.mlops.examples.WeatherModel").build())) {
            onnx = WeatherModel.trainOnnx(fit, 1, shuffled, (epoch, trainMae) -> run.logMetric("train_mae", trainMae, epoch));
            mae = WeatherModel.meanAbsoluteError(onnx, holdout);
            run.logMetric("mae_holdout", mae, WeatherModel.EPOCHS);
            runId = run.id();
        }
        return NewModelVersion.builder().artifact(Artifact.bytes("model.onnx", onnx)).format("onnx").fromRun(runId)
                .signature(OnnxSignature.read(onnx)) // the tensors' names, types and shapes, for the model card
                .description(shuffled ? "trained on shuffled labels (deliberately bad)" : "linear SGD, Tribuo")
                .param("trainer", trainer)
                .param("shuffled_labels", Boolean.toString(shuffled))
                .metric("mae_holdout", mae)
                .codeRef("dev.mlops.examples.WeatherModel")
                .attachment(AttachmentNames.DRIFT_PROFILE, profile(days).toJsonBytes());
    }

    /** The drift profile of the monitored columns of some days. */
    static ReferenceProfile profile(List<Day> days) {
        int n = days.size();
        double[] precipitation = new double[n];
        double[] tempMax = new double[n];
        double[] tempMin = new double[n];
        double[] wind = new double[n];
        String[] weather = new String[n];
        for (int i = 0; i < n; i++) {
            Day d = days.get(i);
            precipitation[i] = d.precipitation();
            tempMax[i] = d.tempMax();
            tempMin[i] = d.tempMin();
            wind[i] = d.wind();
            weather[i] = d.weather();
        }
        return ReferenceProfile.of(Frame.ofColumns(Schema.of(new Field("precipitation", FieldType.DOUBLE),
                new Field("temp_max", FieldType.DOUBLE), new Field("temp_min", FieldType.DOUBLE),
                new Field("wind", FieldType.DOUBLE), new Field("weather", FieldType.STRING)),
                List.of(precipitation, tempMax, tempMin, wind, weather)));
    }

    /** Each day with the next day's maximum temperature, what the model predicts. */
    private static List<Day[]> pairs(List<Day> consecutive) {
        List<Day[]> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < consecutive.size(); i++) {
            pairs.add(new Day[] {consecutive.get(i), consecutive.get(i + 1)});
        }
        return pairs;
    }

    private static double meanAbsoluteError(Mlops mlops, ModelRef.Version version, List<Day[]> pairs) {
        try (ModelService<Day, Double> svc = ModelServiceBuilder.serve(mlops, version, LOADER).build()) {
            double sum = 0;
            for (Day[] p : pairs) {
                sum += Math.abs(svc.predict(p[0]) - p[1].tempMax());
            }
            return sum / pairs.size();
        }
    }

    /**
     * Live error is only comparable on the same days: for each stretch of days one version
     * served, its live MAE (the service's joined feedback) and the MAE of each version that
     * served before it, replayed on the same days.
     */
    private static void compareOnTheSameDays(PrintStream console, Mlops mlops, ModelService<Day, Double> svc, List<Day> stream,
                                             List<ModelRef.Version> servedBy) {
        console.println("   live MAE, each version on the same days (the serving one from feedback, earlier ones replayed):");
        List<ModelRef.Version> earlier = new ArrayList<>();
        int from = 0;
        while (from < servedBy.size()) {
            ModelRef.Version v = servedBy.get(from);
            int to = from;
            while (to + 1 < servedBy.size() && servedBy.get(to + 1).equals(v)) {
                to++;
            }
            List<Day[]> stretch = new ArrayList<>();
            for (int i = from; i <= to; i++) {
                stretch.add(new Day[] {stream.get(i), stream.get(i + 1)});
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "     %s to %s, %3d days: %s %.2f C (live)",
                    stream.get(from).date(), stream.get(to).date(), stretch.size(), v,
                    svc.metrics().version(v).orElseThrow().meanLiveError().orElse(Double.NaN)));
            for (ModelRef.Version e : earlier) {
                line.append(String.format(Locale.ROOT, ", %s %.2f C", e, meanAbsoluteError(mlops, e, stretch)));
            }
            console.println(line);
            if (!earlier.contains(v)) {
                earlier.add(v);
            }
            from = to + 1;
        }
    }

    private static void report(PrintStream console, TrainingEvent.Outcome o) {
        PromotionDecision d;
        ModelVersion candidate;
        if (o instanceof TrainingEvent.Promoted p) {
            d = p.decision();
            candidate = p.candidate();
        } else if (o instanceof TrainingEvent.Refused r) {
            d = r.decision();
            candidate = r.candidate();
        } else {
            TrainingEvent.TrainingFailed f = (TrainingEvent.TrainingFailed) o;
            console.printf("   run %d: training FAILED at %s: %s%n", f.run(), f.stage(), f.message());
            return;
        }
        double mae = observed(d, "max:mae");
        // the margin's observed value is the change champion - candidate (smaller is better)
        double champion = mae + observed(d, "non_inferiority:mae");
        console.printf("   run %d: %s (%s; data %s): held-out MAE %.3f C, the champion %s's %.3f C on the same days"
                + " (gate: <= %s, at most %s worse) -> %s%n", o.run(), candidate.ref(), candidate.description(),
                candidate.lineage().trainedOn(), mae, d.champion().map(Object::toString).orElse("-"), champion, MAE_CEILING,
                MAE_MARGIN, d.passed() ? "PROMOTED" : "REFUSED:");
        for (CheckResult c : d.failures()) {
            console.printf("     - %s: observed %s, required %s%n", c.name(),
                    c.observed().isPresent() ? String.format(Locale.ROOT, "%.2f", c.observed().getAsDouble()) : "-",
                    c.required());
        }
    }

    /** A path relative to the working directory when it is inside it (as {@code demo-output/...}), else absolute. */
    static String shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
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

        /** The start of the day, UTC: the event time of its row. */
        java.time.Instant time() {
            return java.time.LocalDate.parse(date.replace('/', '-')).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
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

    /** Prints the drift monitor's change messages heard so far, in the order it made them. */
    private static void printChanges(PrintStream console, java.util.Queue<String> changes) {
        for (String line = changes.poll(); line != null; line = changes.poll()) {
            console.println(line);
        }
    }
}
