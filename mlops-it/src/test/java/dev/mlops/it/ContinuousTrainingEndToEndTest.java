package dev.mlops.it;

import dev.mlops.serving.ModelServiceBuilder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.Row;
import dev.mlops.api.serving.InputObserver;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.api.AttachmentNames;
import dev.mlops.training.ContinuousTraining;
import dev.mlops.quality.Evaluation;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import dev.mlops.training.RetrainPolicy;
import dev.mlops.training.Trainer;
import dev.mlops.training.TrainingEvent;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.api.testing.ManualTestClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 1 of issue 5, on real data: Seattle's daily weather (NOAA, public domain).
 *
 * <p>A small softmax regression predicts the day's {@code weather} label from precipitation,
 * temperatures and wind. Version 1 is trained on 2012 and served (alias {@code production}) with
 * a drift monitor built from its registered baseline profile; 2014 and 2015 are streamed through
 * the service day by day, each answer followed by the true label (feedback). The data really
 * drifts: inputs are seasonal (a four-week window differs from a whole year), and the label's
 * meaning shifted (most wet days are {@code rain} in 2012, {@code fog} in 2014-2015), so the 2012
 * model's live error is high. Two drifted windows in a row trigger retraining through a
 * {@link RetrainPolicy}; the trainer fits the latest dataset version (the trailing year, kept
 * current by the "pipeline" every four weeks) minus its last 56 days, which the
 * {@link PromotionGate} uses as holdout to compare candidate and champion. The first candidate
 * is promoted and the service follows; a year later (the cooldown) drift triggers again, and this
 * time the trainer is sabotaged (labels shuffled): the gate refuses it, naming the accuracy
 * checks. Finally {@code rollback} restores version 1, the service follows, and the audit trail
 * shows every step in order and verifies.
 *
 * <p>Deterministic: a manual clock set to each day, count windows, fixed training iterations
 * and seeds; runs wait in a queue until the driver releases them to the training thread at the
 * end of each day, so which dataset version a run reads does not depend on thread timing.
 */
class ContinuousTrainingEndToEndTest {
    static final String MODEL = "seattle-weather-label";
    static final String DATASET = "seattle-weather";
    static final String ALIAS = "production";
    static final String HEADER = "date,precipitation,temp_max,temp_min,wind,weather";
    static final List<String> CLASSES = List.of("drizzle", "fog", "rain", "snow", "sun");
    static final List<String> INPUTS = List.of("precipitation", "temp_max", "temp_min", "wind");
    static final int WINDOW_DAYS = 28;
    static final int HOLDOUT_DAYS = 56;
    static final String BASELINE = AttachmentNames.DRIFT_PROFILE;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ data

    record Day(String date, double precipitation, double tempMax, double tempMin, double wind, String weather) {
        LocalDate localDate() {
            return LocalDate.parse(date, DateTimeFormatter.ofPattern("yyyy/MM/dd"));
        }

        String csv() {
            return String.join(",", date, num(precipitation), num(tempMax), num(tempMin), num(wind), weather);
        }

        private static String num(double v) {
            return Double.toString(v);
        }
    }

    static List<Day> parse(InputStream in) throws IOException {
        List<Day> days = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo(HEADER);
            String line;
            while ((line = r.readLine()) != null) {
                String[] p = line.split(",");
                days.add(new Day(p[0], Double.parseDouble(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3]),
                        Double.parseDouble(p[4]), p[5]));
            }
        }
        return days;
    }

    static Frame frame(List<Day> days) {
        Frame.Builder b = Frame.builder(Schema.of(new Field("date", FieldType.STRING),
                new Field("precipitation", FieldType.DOUBLE), new Field("temp_max", FieldType.DOUBLE),
                new Field("temp_min", FieldType.DOUBLE), new Field("wind", FieldType.DOUBLE),
                new Field("weather", FieldType.STRING)));
        for (Day d : days) {
            b.addRow(d.date(), d.precipitation(), d.tempMax(), d.tempMin(), d.wind(), d.weather());
        }
        return b.build();
    }

    static Frame inputFrame(List<Day> days) {
        return frame(days).select(INPUTS);
    }

    static Day day(Row row) {
        return new Day(row.text("date"), row.number("precipitation"), row.number("temp_max"), row.number("temp_min"),
                row.number("wind"), row.text("weather"));
    }

    // ------------------------------------------------------------------ the model

    /**
     * Multinomial logistic regression on standardized log1p(precipitation), temp_max, temp_min
     * and wind; full-batch gradient descent, fixed iterations: the same data gives the same bits.
     */
    static final class WeatherModel {
        static final int ITERATIONS = 500;
        static final double RATE = 0.5;
        static final double L2 = 1e-3;
        final double[] mu;
        final double[] sd;
        final double[][] w; // [class][1 + feature]

        WeatherModel(double[] mu, double[] sd, double[][] w) {
            this.mu = mu;
            this.sd = sd;
            this.w = w;
        }

        static double[] features(Day d) {
            return new double[] {Math.log1p(d.precipitation()), d.tempMax(), d.tempMin(), d.wind()};
        }

        static WeatherModel train(List<Day> days, List<String> labels) {
            int n = days.size();
            int f = 4;
            double[] mu = new double[f];
            double[] sd = new double[f];
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                x[i] = features(days.get(i));
                for (int j = 0; j < f; j++) {
                    mu[j] += x[i][j] / n;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < f; j++) {
                    sd[j] += (x[i][j] - mu[j]) * (x[i][j] - mu[j]) / n;
                }
            }
            for (int j = 0; j < f; j++) {
                sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
            }
            double[][] z = new double[n][f + 1];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                z[i][0] = 1;
                for (int j = 0; j < f; j++) {
                    z[i][j + 1] = (x[i][j] - mu[j]) / sd[j];
                }
                y[i] = CLASSES.indexOf(labels.get(i));
                assertThat(y[i]).as("label %s", labels.get(i)).isNotNegative();
            }
            double[][] w = new double[CLASSES.size()][f + 1];
            WeatherModel m = new WeatherModel(mu, sd, w);
            double[][] grad = new double[CLASSES.size()][f + 1];
            for (int it = 0; it < ITERATIONS; it++) {
                for (double[] g : grad) {
                    Arrays.fill(g, 0);
                }
                for (int i = 0; i < n; i++) {
                    double[] p = m.softmax(z[i]);
                    for (int k = 0; k < p.length; k++) {
                        double g = p[k] - (k == y[i] ? 1 : 0);
                        for (int j = 0; j <= f; j++) {
                            grad[k][j] += g * z[i][j];
                        }
                    }
                }
                for (int k = 0; k < w.length; k++) {
                    for (int j = 0; j <= f; j++) {
                        w[k][j] -= RATE * (grad[k][j] / n + L2 * w[k][j]);
                    }
                }
            }
            return m;
        }

        double[] softmax(double[] z) {
            double[] s = new double[w.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < w.length; k++) {
                for (int j = 0; j < z.length; j++) {
                    s[k] += w[k][j] * z[j];
                }
                max = Math.max(max, s[k]);
            }
            double sum = 0;
            for (int k = 0; k < s.length; k++) {
                s[k] = Math.exp(s[k] - max);
                sum += s[k];
            }
            for (int k = 0; k < s.length; k++) {
                s[k] /= sum;
            }
            return s;
        }

        double[] probabilities(Day d) {
            double[] x = features(d);
            double[] z = new double[x.length + 1];
            z[0] = 1;
            for (int j = 0; j < x.length; j++) {
                z[j + 1] = (x[j] - mu[j]) / sd[j];
            }
            return softmax(z);
        }

        String predict(Day d) {
            double[] p = probabilities(d);
            int best = 0;
            for (int k = 1; k < p.length; k++) {
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            return CLASSES.get(best);
        }

        double accuracy(List<Day> days) {
            return days.stream().filter(d -> predict(d).equals(d.weather())).count() / (double) days.size();
        }

        byte[] toBytes() {
            StringBuilder sb = new StringBuilder("softmax-weather 1\n");
            sb.append(join(mu)).append('\n').append(join(sd)).append('\n');
            for (double[] row : w) {
                sb.append(join(row)).append('\n');
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        static WeatherModel parse(byte[] bytes) {
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
            assertThat(lines[0]).isEqualTo("softmax-weather 1");
            double[][] w = new double[CLASSES.size()][];
            for (int k = 0; k < w.length; k++) {
                w[k] = split(lines[3 + k]);
            }
            return new WeatherModel(split(lines[1]), split(lines[2]), w);
        }

        private static String join(double[] v) {
            return String.join(" ", Arrays.stream(v).mapToObj(Double::toString).toList());
        }

        private static double[] split(String line) {
            return Arrays.stream(line.split(" ")).mapToDouble(Double::parseDouble).toArray();
        }
    }

    // ------------------------------------------------------------------ plumbing

    /**
     * Holds submitted runs until the driver releases them, then runs them on its own training
     * thread and waits: runs never touch the request thread, and start at a known point.
     */
    static final class ReleasedExecutor implements Executor, AutoCloseable {
        final ArrayDeque<Runnable> held = new ArrayDeque<>();
        final ExecutorService trainingThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "training-1"));

        @Override
        public synchronized void execute(Runnable r) {
            held.add(r);
        }

        /** @return how many tasks ran */
        int release() throws Exception {
            int ran = 0;
            for (int i = 0; i < 10; i++) { // a run may queue the pending run behind it
                Runnable next;
                synchronized (this) {
                    next = held.poll();
                }
                if (next == null) {
                    return ran;
                }
                trainingThread.submit(next).get(5, TimeUnit.MINUTES);
                ran++;
            }
            throw new AssertionError("more than 10 runs queued behind each other");
        }

        @Override
        public void close() {
            trainingThread.shutdownNow();
        }
    }

    record WindowLog(int monitorOf, long sequence, String firstDay, String lastDay, List<String> drifted, boolean datasetDrift,
                     boolean triggered) {
    }

    List<Day> read(Mlops mlops, DatasetVersion v) throws IOException {
        try (InputStream in = mlops.datasets().open(v.ref(), v.files().entries().get(0).path())) {
            return parse(in);
        }
    }

    DatasetVersion registerTrailingYear(Mlops mlops, List<Day> all, int lastIndex) throws IOException {
        List<Day> year = all.subList(lastIndex - 364, lastIndex + 1);
        Path csv = dir.resolve("seattle-weather.csv");
        Files.writeString(csv, HEADER + "\n" + String.join("\n", year.stream().map(Day::csv).toList()) + "\n");
        return mlops.datasets().register(DATASET, DatasetSource.csv(csv));
    }

    static FrameEvaluator<ClassificationData> evaluator(Mlops mlops, ModelVersion v) throws IOException {
        WeatherModel m;
        try (InputStream in = mlops.models().openArtifact(v.ref(), "model.txt")) {
            m = WeatherModel.parse(in.readAllBytes());
        }
        return Evaluation.classifier(Model.<Day, double[]>of(m::probabilities), "weather", CLASSES,
                ContinuousTrainingEndToEndTest::day, p -> p);
    }

    static Instant noon(Day d) {
        return d.localDate().atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    // ------------------------------------------------------------------ the story

    @Test
    void driftTriggersRetrainingTheGatePromotesAGoodCandidateAndRefusesABadOneAndRollbackRestores() throws Exception {
        List<Day> all = parse(getClass().getResourceAsStream("/seattle-weather.csv"));
        assertThat(all).hasSize(1461);
        List<Day> y2012 = all.stream().filter(d -> d.date().startsWith("2012")).toList();
        int first2014 = indexOf(all, "2014/01/01");
        List<Day> stream = all.subList(first2014, all.size());
        assertThat(stream).hasSize(730);

        ManualTestClock clock = new ManualTestClock(noon(y2012.get(y2012.size() - 1)));
        StringBuilder story = new StringBuilder();
        try (Mlops mlops = Mlops.builder().store(dev.mlops.api.store.Stores.open("fs", Map.of("path",
                dir.resolve("store").toString()))).clock(clock).actor("ct-e2e").build();
             ReleasedExecutor executor = new ReleasedExecutor()) {

            // -------- version 1: trained on 2012, registered with lineage and its baseline profile
            Path csv2012 = dir.resolve("seattle-weather.csv");
            Files.writeString(csv2012, HEADER + "\n" + String.join("\n", y2012.stream().map(Day::csv).toList()) + "\n");
            DatasetVersion d1 = mlops.datasets().register(DATASET, DatasetSource.csv(csv2012));
            WeatherModel m1 = WeatherModel.train(y2012, y2012.stream().map(Day::weather).toList());
            ModelVersion v1 = mlops.models().register(MODEL, NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.txt", m1.toBytes())).format("softmax-text")
                    .trainedOn(d1.ref()).param("trained_from", "2012/01/01").param("trained_to", "2012/12/31")
                    .metric("train_accuracy", m1.accuracy(y2012))
                    .attachment(BASELINE, ReferenceProfile.of(inputFrame(y2012)).toJsonBytes())
                    .description("weather label from precipitation, temperatures and wind; trained on 2012").build());
            mlops.models().setAlias(MODEL, ALIAS, v1.number());
            long auditStart = mlops.audit().size() + 1;

            // -------- the loop: drift policy, trainer, gate
            RetrainPolicy policy = RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(2)
                    .cooldown(Duration.ofDays(365)).clock(clock).build();
            PromotionPolicy rules = PromotionPolicy.builder("weather-label-production")
                    .minimum("accuracy", 0.5)                        // min:accuracy
                    .improvement("accuracy", true, 0.02)             // improvement:accuracy, +2 points over the champion
                    .mcnemar(0.05)                                   // mcnemar:accuracy, significantly more accurate
                    .build();
            AtomicBoolean sabotage = new AtomicBoolean();
            List<String> trainingThreads = Collections.synchronizedList(new ArrayList<>());
            Trainer trainer = request -> {
                trainingThreads.add(Thread.currentThread().getName());
                DatasetVersion data = request.dataset(DATASET);
                List<Day> rows = read(mlops, data);
                List<Day> train = rows.subList(0, rows.size() - HOLDOUT_DAYS);
                List<String> labels = new ArrayList<>(train.stream().map(Day::weather).toList());
                if (sabotage.get()) {
                    Collections.shuffle(labels, new Random(7)); // a broken pipeline: labels no longer match the days
                }
                WeatherModel m = WeatherModel.train(train, labels);
                return NewModelVersion.builder().artifact(Artifact.bytes("model.txt", m.toBytes())).format("softmax-text")
                        .validatedOn(data.ref())
                        .param("trained_from", train.get(0).date()).param("trained_to", train.get(train.size() - 1).date())
                        .param("labels", sabotage.get() ? "shuffled" : "as-recorded")
                        .metric("train_accuracy", m.accuracy(train))
                        .attachment(BASELINE, ReferenceProfile.of(inputFrame(train)).toJsonBytes())
                        .description("retrained: " + request.trigger().detail()).build();
            };
            List<TrainingEvent> events = Collections.synchronizedList(new ArrayList<>());
            ContinuousTraining ct = ContinuousTraining.builder(mlops, MODEL, ALIAS).policy(policy).datasets(DATASET)
                    .trainer(trainer)
                    .gate(PromotionGate.of(mlops, rules), (candidate, request) -> {
                        List<Day> rows = read(mlops, request.dataset(DATASET));
                        Frame holdout = frame(rows.subList(rows.size() - HOLDOUT_DAYS, rows.size()));
                        return PromotionGate.inputs().frame(holdout).classifier(v -> evaluator(mlops, v)).build();
                    })
                    .executor(executor).listener(events::add).build();

            // -------- serving with a drift monitor built from the serving version's baseline
            ModelLoader<Day, String> loader = ctx -> {
                WeatherModel m = WeatherModel.parse(Files.readAllBytes(ctx.singleFile()));
                return Model.of(m::predict);
            };
            List<WindowLog> windows = new ArrayList<>();
            List<CompletableFuture<TrainingEvent.Outcome>> runs = new ArrayList<>();
            AtomicReference<InputObserver<Day>> observer = new AtomicReference<>();
            AtomicReference<String> requestThread = new AtomicReference<>();
            java.util.function.IntFunction<InputObserver<Day>> monitorFor = version -> {
                ReferenceProfile profile = ReferenceProfile.fromJson(mlops.models().attachment(
                        new ModelRef.Version(MODEL, version), BASELINE));
                List<String> order = List.copyOf(profile.columns().stream().map(ReferenceProfile.Column::name).toList());
                assertThat(order).containsExactlyInAnyOrderElementsOf(INPUTS);
                List<Day> inWindow = new ArrayList<>();
                DriftMonitor monitor = DriftMonitor.builder(profile).countWindow(WINDOW_DAYS).clock(clock)
                        .listener((report, state) -> {
                            requestThread.set(Thread.currentThread().getName());
                            var run = ct.onDriftReport(report);    // a request thread: this only enqueues
                            run.ifPresent(runs::add);
                            windows.add(new WindowLog(version, report.window().orElseThrow().sequence(),
                                    inWindow.get(0).date(), inWindow.get(inWindow.size() - 1).date(),
                                    report.driftedColumns(), report.datasetDrift(), run.isPresent()));
                            inWindow.clear();
                        }).build();
                InputObserver<Day> o = monitor.observer((d, num, cat) -> {
                    inWindow.add(d);
                    List<String> cols = monitor.numericalColumns();
                    for (int i = 0; i < cols.size(); i++) {
                        num[i] = switch (cols.get(i)) {
                            case "precipitation" -> d.precipitation();
                            case "temp_max" -> d.tempMax();
                            case "temp_min" -> d.tempMin();
                            case "wind" -> d.wind();
                            default -> Double.NaN;
                        };
                    }
                });
                return o;
            };
            observer.set(monitorFor.apply(1));

            List<String> served = new ArrayList<>();
            Map<Integer, int[]> errors = new java.util.TreeMap<>(); // version -> {wrong, total}
            try (ModelService<Day, String> svc = ModelServiceBuilder.serve(mlops, ModelRef.alias(MODEL, ALIAS), loader)
                    .monitor(d -> observer.get().observe(d), 1.0).feedbackWindow(1000).clock(clock).build()) {
                assertThat(svc.currentVersion()).isEqualTo(v1.ref());
                int releasedRuns = 0;
                for (int i = 0; i < stream.size(); i++) {
                    Day d = stream.get(i);
                    clock.set(noon(d));
                    Prediction<String> p = svc.predictDetailed(d);
                    served.add(d.date() + " " + p.servedBy());
                    assertThat(svc.feedback(p.predictionId(), d.weather())).isTrue();
                    int[] e = errors.computeIfAbsent(p.servedBy().number(), k -> new int[2]);
                    e[0] += p.output().equals(d.weather()) ? 0 : 1;
                    e[1]++;
                    if ((i + 1) % WINDOW_DAYS == 0) {              // the data pipeline: trailing year, every 4 weeks
                        registerTrailingYear(mlops, all, first2014 + i);
                    }
                    if (!runs.isEmpty() && !runs.get(runs.size() - 1).isDone()) {
                        releasedRuns += executor.release();
                        TrainingEvent.Outcome outcome = runs.get(runs.size() - 1).get(1, TimeUnit.MINUTES);
                        story.append(String.format(Locale.ROOT, "%s run %d (%s): %s%n", d.date(), outcome.run(),
                                outcome.trigger().detail(), describe(outcome)));
                        if (outcome instanceof TrainingEvent.Promoted pr) {
                            assertThat(svc.refresh()).isEqualTo(pr.candidate().ref());     // the service follows
                            observer.set(monitorFor.apply(svc.currentVersion().number()));
                            sabotage.set(true); // the next run's training data is broken
                        }
                    }
                }
                assertThat(releasedRuns).isEqualTo(2);

                // -------- rollback: the service follows back to version 1
                ModelVersion back = mlops.models().rollback(MODEL, ALIAS);
                assertThat(back.number()).isEqualTo(1);
                assertThat(svc.refresh()).isEqualTo(v1.ref());
                Day last = stream.get(stream.size() - 1);
                assertThat(svc.predictDetailed(last).servedBy()).isEqualTo(v1.ref());

                // -------- live metrics per version
                for (VersionMetrics vm : svc.metrics().versions()) {
                    story.append(String.format(Locale.ROOT, "live %s: %d calls, %d feedback, mean live error %.3f%n",
                            vm.version(), vm.calls(), vm.feedbackCount(), vm.meanLiveError().orElse(Double.NaN)));
                }
                VersionMetrics live1 = svc.metrics().version(v1.ref()).orElseThrow();
                VersionMetrics live2 = svc.metrics().version(new ModelRef.Version(MODEL, 2)).orElseThrow();
                assertThat(live1.feedbackCount()).isEqualTo(errors.get(1)[1]);
                assertThat(live1.meanLiveError().orElseThrow()).isCloseTo((double) errors.get(1)[0] / errors.get(1)[1],
                        org.assertj.core.data.Offset.offset(1e-12));
                assertThat(live2.meanLiveError().orElseThrow()).isCloseTo((double) errors.get(2)[0] / errors.get(2)[1],
                        org.assertj.core.data.Offset.offset(1e-12));
                // the retrained model's live error is far below the 2012 model's
                assertThat(live2.meanLiveError().orElseThrow()).isLessThan(live1.meanLiveError().orElseThrow() - 0.2);
            }
            ct.close();

            for (WindowLog w : windows) {
                story.append(String.format(Locale.ROOT, "window v%d#%d %s..%s drift=%s %s%s%n", w.monitorOf(), w.sequence(),
                        w.firstDay(), w.lastDay(), w.datasetDrift(), w.drifted(), w.triggered() ? "  -> TRIGGER" : ""));
            }
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "continuous-training-story.txt"), story);
            String why = story.toString();

            // -------- drift windows and triggers
            assertThat(requestThread.get()).as(why).isEqualTo("main");
            assertThat(trainingThreads).as(why).containsExactly("training-1", "training-1");
            List<WindowLog> triggers = windows.stream().filter(WindowLog::triggered).toList();
            assertThat(triggers).as(why).hasSize(2);
            WindowLog t1 = triggers.get(0);
            WindowLog t2 = triggers.get(1);
            // hysteresis: the trigger's window and the one before it both drifted
            for (WindowLog t : triggers) {
                int at = windows.indexOf(t);
                assertThat(at).as(why).isPositive();
                assertThat(windows.get(at - 1).datasetDrift()).as(why).isTrue();
                assertThat(t.datasetDrift()).as(why).isTrue();
            }
            assertThat(t1.monitorOf()).isEqualTo(1);
            assertThat(t1.lastDay()).as(why).isEqualTo("2014/02/25");         // the 2nd window of 2014
            assertThat(t2.monitorOf()).isEqualTo(2);
            // cooldown: no trigger within 365 days of the first
            LocalDate first = LocalDate.parse(t1.lastDay(), DateTimeFormatter.ofPattern("yyyy/MM/dd"));
            LocalDate second = LocalDate.parse(t2.lastDay(), DateTimeFormatter.ofPattern("yyyy/MM/dd"));
            assertThat(second).as(why).isAfterOrEqualTo(first.plusDays(365));
            long driftedWhileCooling = windows.stream().filter(w -> w.datasetDrift() && !w.triggered()).count();
            assertThat(driftedWhileCooling).as("drifted windows that did not trigger: " + why).isGreaterThan(5);

            // -------- events: promoted, then refused with reasons
            assertThat(events).extracting(e -> e.getClass().getSimpleName() + " " + e.run()).as(why).containsExactly(
                    "Triggered 1", "Registered 1", "Promoted 1", "Triggered 2", "Registered 2", "Refused 2");
            TrainingEvent.Promoted promoted = (TrainingEvent.Promoted) events.get(2);
            TrainingEvent.Refused refused = (TrainingEvent.Refused) events.get(5);
            ModelVersion v2 = mlops.models().version(MODEL, 2);
            ModelVersion v3 = mlops.models().version(MODEL, 3);
            assertThat(promoted.candidate().ref()).isEqualTo(v2.ref());
            assertThat(refused.candidate().ref()).isEqualTo(v3.ref());

            PromotionDecision good = promoted.decision();
            assertThat(good.champion()).contains(v1.ref());
            assertThat(good.passed()).isTrue();
            double goodAcc = observed(good, "min:accuracy");
            double goodGain = observed(good, "improvement:accuracy");
            assertThat(goodAcc).as(why).isGreaterThan(0.7);
            assertThat(goodGain).as(why).isGreaterThan(0.5);                  // vs the 2012 model on the same 56 days

            PromotionDecision bad = refused.decision();
            assertThat(bad.champion()).contains(v2.ref());
            assertThat(bad.passed()).isFalse();
            assertThat(bad.failures()).extracting(CheckResult::name).as(why)
                    .containsExactlyInAnyOrder("min:accuracy", "improvement:accuracy", "mcnemar:accuracy");
            assertThat(bad.failures()).allSatisfy(c -> {
                assertThat(c.name()).endsWith(":accuracy");     // the reason names the metric
                assertThat(c.observed()).isPresent();
                assertThat(c.detail()).isNotBlank();
            });
            assertThat(observed(bad, "improvement:accuracy")).as(why).isNegative();

            // -------- lineage
            assertThat(v2.lineage().retrainedFrom()).contains(v1.ref());
            assertThat(v3.lineage().retrainedFrom()).contains(v2.ref());
            DatasetRef trainedOn2 = v2.lineage().trainedOn().get(0);
            assertThat(v2.lineage().trainedOn()).containsExactly(trainedOn2);
            assertThat(v2.lineage().validatedOn()).containsExactly(trainedOn2);
            assertThat(trainedOn2.version()).isEqualTo(3);       // 2012, then the pipeline's 1st and 2nd trailing years
            assertThat(v2.params()).containsEntry("trained_from", "2013/02/26").containsEntry("trained_to", "2013/12/31");
            assertThat(v3.params()).containsEntry("labels", "shuffled");
            assertThat(v2.tags()).containsEntry("retrain.trigger", "drift");
            assertThat(mlops.models().versionsUsing(trainedOn2)).extracting(ModelVersion::number).containsExactly(2);
            assertThat(PromotionGate.recordedDecisions(mlops.models(), v3.ref()).values()).containsExactly(bad);

            // -------- the audit trail: every step, in order, and intact
            List<String> trail = mlops.audit().entries(auditStart, 10_000).stream()
                    .filter(a -> !a.action().equals("dataset.register"))
                    .map(a -> a.action() + " " + a.target()).toList();
            assertThat(trail).as(why).containsExactly(
                    "training.triggered seattle-weather-label@production",
                    "version.register seattle-weather-label/2",
                    "version.attach seattle-weather-label/2",
                    "alias.promote seattle-weather-label@production",
                    "training.triggered seattle-weather-label@production",
                    "version.register seattle-weather-label/3",
                    "version.attach seattle-weather-label/3",
                    "promotion.refused seattle-weather-label/3",
                    "alias.rollback seattle-weather-label@production");
            AuditEntry trig1 = mlops.audit().entriesFor(MODEL + "@" + ALIAS).stream()
                    .filter(a -> a.action().equals("training.triggered")).findFirst().orElseThrow();
            assertThat(trig1.after()).containsEntry("kind", "drift").containsEntry("champion", v1.ref().toString())
                    .containsEntry("fact.consecutive", "2");
            assertThat(trig1.actor()).isEqualTo("ct-e2e");
            assertThat(trig1.time()).isEqualTo(noon(stream.get(55)));
            AuditEntry rollback = mlops.audit().entriesFor(MODEL + "@" + ALIAS).stream()
                    .filter(a -> a.action().equals("alias.rollback")).findFirst().orElseThrow();
            assertThat(rollback.before()).containsEntry("version", "2");
            assertThat(rollback.after()).containsEntry("version", "1");
            assertThat(mlops.audit().verify().ok()).isTrue();
            assertThat(mlops.verify(VerifyOptions.check()).problems()).isEmpty();

            story.append(String.format(Locale.ROOT, "promoted %s: holdout accuracy %.3f (+%.3f over %s)%n", v2.ref(), goodAcc,
                    goodGain, v1.ref()));
            story.append(String.format(Locale.ROOT, "refused %s: %s%n", v3.ref(), bad.failures().stream()
                    .map(c -> c.name() + " " + c.observed() + " (" + c.required() + ")").toList()));
            Files.writeString(Path.of("target", "continuous-training-story.txt"), story);
        }
    }

    static double observed(PromotionDecision d, String check) {
        return d.checks().stream().filter(c -> c.name().equals(check)).findFirst().orElseThrow().observed().orElseThrow();
    }

    static String describe(TrainingEvent.Outcome o) {
        if (o instanceof TrainingEvent.Promoted p) {
            return "promoted " + p.candidate().ref() + " " + checks(p.decision());
        }
        if (o instanceof TrainingEvent.Refused r) {
            return "refused " + r.candidate().ref() + " " + checks(r.decision());
        }
        TrainingEvent.TrainingFailed f = (TrainingEvent.TrainingFailed) o;
        return "failed at " + f.stage() + ": " + f.message();
    }

    static String checks(PromotionDecision d) {
        return d.checks().stream().map(c -> c.name() + "=" + (c.observed().isPresent()
                ? String.format(Locale.ROOT, "%.4f", c.observed().getAsDouble()) : "-") + " " + c.verdict() + " [" + c.detail() + "]")
                .toList().toString();
    }

    static int indexOf(List<Day> days, String date) {
        for (int i = 0; i < days.size(); i++) {
            if (days.get(i).date().equals(date)) {
                return i;
            }
        }
        throw new AssertionError("no day " + date);
    }
}
