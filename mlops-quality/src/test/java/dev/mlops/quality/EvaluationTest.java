package dev.mlops.quality;

import dev.mlops.quality.testing.TestFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Frame;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.ClassificationReport;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.LatencyMeasurement;
import dev.mlops.api.quality.Row;
import dev.mlops.api.serving.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Evaluating a Model on a labeled frame")
class EvaluationTest {
    static final Frame CREDIT = TestFrames.germanCredit();
    static final List<String> CLASSES = List.of("bad", "good");

    /** A rule: refuse applicants with a negative checking balance and a long loan. */
    static String rule(Row r) {
        return "<0".equals(r.text("checking_status")) && r.number("duration") > 24 ? "bad" : "good";
    }

    @Test
    @DisplayName("a label classifier gives the same data as labels built by hand, batch-predicted once")
    void labelClassifier() {
        AtomicInteger batches = new AtomicInteger();
        Model<String, String> model = new Model<>() {
            @Override
            public String predict(String input) {
                return input;
            }

            @Override
            public List<String> predictAll(List<String> inputs) {
                batches.incrementAndGet();
                return new ArrayList<>(inputs);
            }
        };
        FrameEvaluator<ClassificationData> ev = Evaluation.labelClassifier(model, "class", CLASSES, EvaluationTest::rule,
                s -> s);
        ClassificationData d = ev.evaluate(CREDIT);
        assertThat(batches).hasValue(1);
        String[] checking = CREDIT.strings("checking_status");
        double[] duration = CREDIT.numeric("duration");
        String[] expected = new String[CREDIT.rowCount()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = "<0".equals(checking[i]) && duration[i] > 24 ? "bad" : "good";
        }
        assertThat(d).isEqualTo(ClassificationData.ofLabels(CLASSES, CREDIT.strings("class"), expected));
        ClassificationReport report = Metrics.report(d);
        assertThat(report.count()).isEqualTo(1000);
        assertThat(report.accuracy()).isBetween(0.0, 1.0);
    }

    @Test
    @DisplayName("a probabilistic classifier's outputs become per-class probabilities; NaN output is refused naming the row")
    void probabilities() {
        Model<Double, double[]> model = Model.of(d -> new double[] {d / 100.0, 1 - d / 100.0});
        FrameEvaluator<ClassificationData> ev = Evaluation.classifier(model, "class", CLASSES,
                r -> r.number("duration"), p -> p);
        ClassificationData d = ev.evaluate(CREDIT);
        assertThat(d.hasProbabilities()).isTrue();
        assertThat(Metrics.ROC_AUC.compute(d)).isBetween(0.5, 1.0); // longer loans are riskier in this data

        Model<Double, double[]> broken = Model.of(x -> x == 48 ? new double[] {Double.NaN, 1} : new double[] {0.5, 0.5});
        FrameEvaluator<ClassificationData> bad = Evaluation.classifier(broken, "class", CLASSES, r -> r.number("duration"),
                p -> p);
        assertThatThrownBy(() -> bad.evaluate(CREDIT)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("probabilities[1][0] is NaN");
    }

    @Test
    @DisplayName("empty frames, missing labels, unknown labels and wrong output counts are refused with the value named")
    void refused() {
        FrameEvaluator<ClassificationData> ev = Evaluation.labelClassifier(Model.of(s -> "good"), "class", CLASSES,
                EvaluationTest::rule, (String s) -> s);
        assertThatThrownBy(() -> ev.evaluate(CREDIT.slice(0, 0))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no rows");
        String[] labels = CREDIT.strings("class");
        labels[3] = null;
        assertThatThrownBy(() -> ev.evaluate(TestFrames.replace(CREDIT, "class", labels)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("row 3 has no value in label column 'class'");
        labels[3] = "maybe";
        assertThatThrownBy(() -> ev.evaluate(TestFrames.replace(CREDIT, "class", labels)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("row 3 has label 'maybe'");
        Model<String, String> shortModel = new Model<>() {
            @Override
            public String predict(String input) {
                return "good";
            }

            @Override
            public List<String> predictAll(List<String> inputs) {
                return List.of("good");
            }
        };
        assertThatThrownBy(() -> Evaluation.labelClassifier(shortModel, "class", CLASSES, EvaluationTest::rule, s -> s)
                .evaluate(CREDIT)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("returned 1 outputs for 1000 inputs");
        assertThatThrownBy(() -> Evaluation.regressor(Model.of(x -> 1.0), "temp_max", r -> 0, Double::doubleValue)
                .evaluate(TestFrames.seattleWeather().slice(0, 3).select(List.of("date")))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no column 'temp_max'");
        assertThatThrownBy(() -> Evaluation.labelClassifier(Model.of(s -> "neutral"), "class", CLASSES, EvaluationTest::rule,
                (String s) -> s).evaluate(CREDIT)).isInstanceOf(ValidationException.class)
                .hasMessage("the model predicted 'neutral' for row 0, not one of the classes [bad, good]");
    }

    @Test
    @DisplayName("latency: warm-up calls are made but not measured; one timed call per input; nearest-rank percentiles")
    void latency() {
        AtomicInteger calls = new AtomicInteger();
        Frame holdout = CREDIT.slice(0, 50);
        LatencyMeasurement m = Evaluation.latency(Model.<Double, Double>of(x -> {
            calls.incrementAndGet();
            return x * 2;
        }), holdout, r -> r.number("age"), 20);
        assertThat(calls).hasValue(70);
        assertThat(m.warmup()).isEqualTo(20);
        assertThat(m.count()).isEqualTo(50);
        assertThat(m.p50Nanos()).isLessThanOrEqualTo(m.p99Nanos());
        assertThat(m.p99Nanos()).isLessThanOrEqualTo(m.maxNanos());
        LatencyMeasurement fixed = Evaluation.latencyOf(3, new long[] {50, 10, 40, 20, 30});
        assertThat(fixed.p50Nanos()).isEqualTo(30);
        assertThat(fixed.p99Nanos()).isEqualTo(50);
        assertThat(fixed.meanNanos()).isEqualTo(30.0);
        assertThat(fixed.maxNanos()).isEqualTo(50);
        long[] hundred = new long[200];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = i + 1;
        }
        assertThat(Evaluation.latencyOf(0, hundred).p99Nanos()).isEqualTo(198);
        assertThat(Evaluation.latencyOf(0, hundred).p50Nanos()).isEqualTo(100);
        assertThatThrownBy(() -> Evaluation.latency(Model.of(x -> x), List.of(), 0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Evaluation.latency(Model.of(x -> x), List.of(1), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
