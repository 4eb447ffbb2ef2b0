package dev.mlops.quality;

import dev.mlops.quality.testing.QualityReference;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.ClassificationReport;
import dev.mlops.api.quality.MetricValue;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.quality.RegressionReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

@DisplayName("Metrics agree with scikit-learn on the stored reference cases")
class MetricsReferenceTest {
    /** Largest |java - sklearn| seen per metric family, printed for the report. */
    static final Map<String, Double> MAX_ERROR = new HashMap<>();

    static ClassificationData data(JsonNode c) {
        List<String> classes = QualityReference.strings(c.get("classes"));
        int[] actual = QualityReference.ints(c.get("actual"));
        ClassificationData d = c.has("probabilities")
                ? ClassificationData.withProbabilities(classes, actual, QualityReference.matrix(c.get("probabilities")))
                : ClassificationData.of(classes, actual, QualityReference.ints(c.get("predicted")));
        return d.withPositive(classes.get(c.get("positive").intValue()));
    }

    @TestFactory
    Stream<DynamicTest> classificationCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : QualityReference.ROOT.get("classification")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " (" + c.get("source").asText() + ")", () -> {
                ClassificationData d = data(c);
                ClassificationReport report = Metrics.report(d);
                Map<String, Double> got = new HashMap<>();
                for (MetricValue m : report.metrics()) {
                    got.put(m.name(), m.value());
                }
                JsonNode expected = c.get("expected");
                for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    double want = expected.get(name).doubleValue();
                    assertThat(got).as("metric %s present", name).containsKey(name);
                    check(name, got.get(name), want);
                    // the single Metric objects give the same numbers as the report
                    double single = Metrics.classification(name).orElseThrow().compute(d);
                    check(name, single, want);
                }
                long[][] cm = report.confusion().counts();
                JsonNode wantCm = c.get("confusion");
                for (int i = 0; i < cm.length; i++) {
                    for (int j = 0; j < cm.length; j++) {
                        assertThat(cm[i][j]).as("confusion[%d][%d]", i, j).isEqualTo(wantCm.get(i).get(j).longValue());
                    }
                }
                if (!c.has("probabilities")) {
                    assertThat(report.rocAuc()).isEmpty();
                    assertThat(report.logLoss()).isEmpty();
                    assertThat(report.notes()).anyMatch(n -> n.contains("needs predicted probabilities"));
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> regressionCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : QualityReference.ROOT.get("regression")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " (" + c.get("source").asText() + ")", () -> {
                RegressionData d = RegressionData.of(QualityReference.doubles(c.get("actual")),
                        QualityReference.doubles(c.get("predicted")));
                RegressionReport report = Metrics.report(d);
                JsonNode expected = c.get("expected");
                for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    double want = expected.get(name).doubleValue();
                    check(name, report.metric(name).orElseThrow().value(), want);
                    check(name, Metrics.regression(name).orElseThrow().compute(d), want);
                }
                if (!expected.has("r2")) {
                    assertThat(report.r2()).isNaN();
                    assertThat(report.metric("r2")).isEmpty();
                }
            }));
        }
        return tests.stream();
    }

    static void check(String name, double got, double want) {
        double err = Math.abs(got - want);
        String family = name.contains("[") ? name.substring(0, name.indexOf('[')) + "[class]" : name;
        synchronized (MAX_ERROR) {
            MAX_ERROR.merge(family, err / Math.max(1.0, Math.abs(want)), Math::max);
        }
        assertThat(got).as("%s: java %s vs sklearn %s", name, got, want)
                .isCloseTo(want, org.assertj.core.data.Offset.offset(QualityReference.allowed(want)));
    }

    @Test
    @DisplayName("the reference file records the versions that produced it")
    void versionsRecorded() {
        JsonNode v = QualityReference.ROOT.get("versions");
        assertThat(v.get("sklearn").asText()).isNotBlank();
        assertThat(v.get("statsmodels").asText()).isNotBlank();
    }

    @org.junit.jupiter.api.AfterAll
    static void printErrors() {
        System.out.println("max relative-or-absolute error per metric vs scikit-learn: " + new java.util.TreeMap<>(MAX_ERROR));
    }
}
