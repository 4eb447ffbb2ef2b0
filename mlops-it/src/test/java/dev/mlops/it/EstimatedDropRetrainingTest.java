package dev.mlops.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.estimation.EstimatedMetric;
import dev.mlops.api.estimation.PerformanceWindow;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.core.Mlops;
import dev.mlops.estimation.Cbpe;
import dev.mlops.estimation.CbpeMetric;
import dev.mlops.estimation.CbpeMonitor;
import dev.mlops.estimation.Chunking;
import dev.mlops.estimation.FittedCbpe;
import dev.mlops.estimation.ModelOutputs;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import dev.mlops.registry.fs.FileSystemStore;
import dev.mlops.serving.ModelServiceBuilder;
import dev.mlops.training.ContinuousTraining;
import dev.mlops.training.RetrainDecision;
import dev.mlops.training.RetrainPolicy;
import dev.mlops.training.TrainingEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining on an estimated drop, wired the way a user would: NannyML's car loan classifier (its
 * recorded answers replayed by a served model) behind a {@link ModelService} whose outputs feed a
 * {@link CbpeMonitor} ({@code monitorOutputs}); each closed window goes to a
 * {@link ContinuousTraining} loop whose {@link RetrainPolicy} fires on two windows in a row with
 * the ROC AUC estimated below the reference's threshold. No label is known while the windows
 * close; they arrive afterwards and show the drop was real.
 */
class EstimatedDropRetrainingTest {
    static final Path DATA = Path.of("..", "mlops-estimation", "src", "test", "resources", "nannyml");
    static final int WINDOW = 5000;

    @TempDir
    Path dir;

    /** One served request: the loan application (its id) and what the classifier answered for it. */
    record Application(int row) {
    }

    record Answer(double probability, int predicted) {
    }

    /** The columns of a NannyML CSV file (no field there holds a comma). */
    static Map<String, List<String>> csv(String name) throws IOException {
        List<String> lines = Files.readAllLines(DATA.resolve(name), StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",");
        Map<String, List<String>> cols = new java.util.LinkedHashMap<>();
        for (String h : header) {
            cols.put(h, new ArrayList<>());
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            for (int i = 0; i < header.length; i++) {
                cols.get(header[i]).add(f[i]);
            }
        }
        return cols;
    }

    static double[] doubles(List<String> s) {
        return s.stream().mapToDouble(Double::parseDouble).toArray();
    }

    static int[] ints(List<String> s) {
        return s.stream().mapToInt(v -> (int) Double.parseDouble(v)).toArray();
    }

    @Test
    void twoWindowsEstimatedBelowTheThresholdRetrainBeforeAnyLabelArrives() throws Exception {
        Map<String, List<String>> ref = csv("synthetic_car_loan_reference.csv");
        Map<String, List<String>> ana = csv("synthetic_car_loan_analysis.csv");
        int[] targets = ints(csv("synthetic_car_loan_analysis_target.csv").get("repaid"));
        FittedCbpe cbpe = Cbpe.builder().metrics(CbpeMetric.ROC_AUC, CbpeMetric.F1).chunking(Chunking.bySize(WINDOW))
                .fit(ModelOutputs.binary(doubles(ref.get("y_pred_proba")), ints(ref.get("y_pred")))
                        .withTargets(ints(ref.get("repaid"))));
        double[] proba = doubles(ana.get("y_pred_proba"));
        int[] predicted = ints(ana.get("y_pred"));

        ManualTestClock clock = new ManualTestClock(Instant.parse("2018-10-30T18:00:00Z"));
        FileSystemStore store = FileSystemStore.open(dir.resolve("store"), clock);
        ArrayDeque<Runnable> trainingQueue = new ArrayDeque<>();
        List<TrainingEvent> events = Collections.synchronizedList(new ArrayList<>());
        List<ContinuousTraining.Signal> signals = Collections.synchronizedList(new ArrayList<>());
        try (Mlops mlops = Mlops.builder().store(store).clock(clock).actor("it").build()) {
            mlops.models().register("car-loan", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.bin", new byte[] {1})).build());
            mlops.models().setAlias("car-loan", "production", 1);
            RetrainPolicy policy = RetrainPolicy.builder().onEstimatedDrop("roc_auc").consecutiveSignals(2)
                    .cooldown(Duration.ofDays(30)).clock(clock).build();
            try (ContinuousTraining loop = ContinuousTraining.builder(mlops, "car-loan", "production").policy(policy)
                    .trainer(request -> NewModelVersion.builder().artifact(Artifact.bytes("model.bin", new byte[] {2}))
                            .metric("error_rate", 0.05).build())
                    .gate(PromotionGate.of(mlops, PromotionPolicy.builder("car-loan-gate").maximum("error_rate", 0.1)
                            .build()), (candidate, request) -> PromotionGate.inputs()
                                    .candidateMetrics(Map.of("error_rate", 0.05)).build())
                    .executor(trainingQueue::add).listener(events::add).build()) {
                CbpeMonitor monitor = CbpeMonitor.builder(cbpe).countWindow(WINDOW).clock(clock)
                        .listener(window -> signals.add(loop.decide(window))).build();
                try (ModelService<Application, Answer> service = ModelServiceBuilder.serve(mlops,
                                ModelRef.parse("car-loan@production"), ctx -> Model.<Application, Answer>of(
                                        a -> new Answer(proba[a.row()], predicted[a.row()])))
                        .monitorOutputs(monitor.binaryObserver(Answer::probability, Answer::predicted), 1.0)
                        .pollInterval(Duration.ofDays(1)).build()) {
                    Instant[] answeredAt = new Instant[proba.length];
                    Answer[] answers = new Answer[proba.length];
                    for (int i = 0; i < proba.length; i++) {
                        answeredAt[i] = clock.instant();
                        answers[i] = service.predict(new Application(i));
                        clock.advance(Duration.ofMillis(1));
                    }
                    assertThat(service.metrics().observerErrors()).isZero();
                    assertThat(monitor.observed()).isEqualTo(proba.length);

                    // the decisions, window by window, with no label known yet
                    assertThat(signals).extracting(s -> s.decision().verdict()).containsExactly(
                            RetrainDecision.Verdict.NO_SIGNAL, RetrainDecision.Verdict.NO_SIGNAL,
                            RetrainDecision.Verdict.NO_SIGNAL, RetrainDecision.Verdict.NO_SIGNAL,
                            RetrainDecision.Verdict.NO_SIGNAL, RetrainDecision.Verdict.HYSTERESIS,
                            RetrainDecision.Verdict.TRIGGERED, RetrainDecision.Verdict.HYSTERESIS,
                            RetrainDecision.Verdict.COOLDOWN, RetrainDecision.Verdict.COOLDOWN);
                    ContinuousTraining.Signal fired = signals.get(6);
                    Map<String, String> facts = fired.decision().trigger().orElseThrow().facts();
                    assertThat(facts).containsEntry("window", "7").containsEntry("rows", "5000")
                            .containsEntry("labelled_rows", "0").containsEntry("consecutive", "2")
                            .containsKey("roc_auc.estimate").doesNotContainKey("roc_auc.realized");

                    // the run trains, registers and promotes; the service follows the alias
                    assertThat(trainingQueue).hasSize(1);
                    trainingQueue.poll().run();
                    CompletableFuture<TrainingEvent.Outcome> run = fired.run().orElseThrow();
                    assertThat(run.get()).isInstanceOf(TrainingEvent.Promoted.class);
                    assertThat(service.refresh().number()).isEqualTo(2);
                    List<String> actions = mlops.audit().entries(1, 1000).stream().map(AuditEntry::action).toList();
                    assertThat(actions).contains("training.triggered", "alias.promote");
                    AuditEntry triggered = mlops.audit().entries(1, 1000).stream()
                            .filter(a -> a.action().equals("training.triggered")).findFirst().orElseThrow();
                    assertThat(triggered.after()).containsEntry("kind", RetrainPolicy.ESTIMATED_DROP)
                            .containsEntry("fact.window", "7");

                    // the labels arrive later; joined by the time of each answer, they show the drop was real
                    for (int i = 0; i < proba.length; i++) {
                        assertThat(monitor.feedback(answeredAt[i], answers[i].probability(), answers[i].predicted(),
                                targets[i])).isTrue();
                    }
                    List<PerformanceWindow> windows = monitor.windows();
                    for (int w = 0; w < 10; w++) {
                        EstimatedMetric auc = windows.get(w).metric("roc_auc").orElseThrow();
                        assertThat(windows.get(w).labelledRows()).isEqualTo(WINDOW);
                        boolean fell = auc.realized().orElseThrow() < auc.lowerThreshold().orElseThrow();
                        assertThat(auc.estimatedDrop()).as("window %d", w + 1).isEqualTo(fell);
                    }
                }
            }
        }
    }
}
