package dev.mlops.ui;

import dev.mlops.api.Artifact;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.api.tracking.RunStatus;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.drift.DriftAnalysis;
import dev.mlops.drift.DriftReportJson;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A store with something on every page: a dataset, a model with three versions (from runs, one
 * retrained), an alias moved, rolled back and moved again, gate decisions (one passed, one
 * refused), an experiment of runs with metric curves, a drift monitor's windows, and hostile
 * text in every free-text field a page shows.
 */
final class UiFixture implements AutoCloseable {
    /** Markup and script that must show as text. */
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMG = "\"><img src=x onerror=alert(2)>";
    /**
     * Free text that must be shown inert: markup, a javascript: URL, a template, a bidirectional
     * override and control characters, and the hostile key segments of the registry's tests
     * (mlops-registry-fs HostileInputTest#hostileSegments), which the store refuses as names but
     * takes as descriptions, run names, param values, tag values and metric keys.
     */
    static final List<String> HOSTILE = List.of(SCRIPT, IMG, "javascript:alert(3)", "{{7*7}} ${7*7}", "abc\u202Edef",
            "a\u0000b", "a\nb", "..", "../outside", "..\\outside", "/etc", "%2e%2e", "x@doc", "CON", "\u0430",
            "file:x", "C:", "'; DROP TABLE runs; --", "</title><style>body{display:none}</style>");

    final ManualTestClock clock = new ManualTestClock(Instant.parse("2026-03-01T09:00:00Z"));
    final Mlops mlops;
    final DatasetVersion data;
    final ModelVersion v1;
    final ModelVersion v2;
    final ModelVersion v3;
    final String run1;
    final String run2;
    final String hostileRun;
    final String monitorRun;

    UiFixture(Path dir) throws Exception {
        mlops = Mlops.builder().store(new InMemoryStore(clock)).clock(clock).actor("tester").runHeartbeat(Duration.ZERO)
                .build();
        Path csv = Files.writeString(dir.resolve("weather.csv"), "temp,rain\n1.5,yes\n2.5,no\n3.5,yes\n");
        data = mlops.datasets().register("weather", DatasetSource.csv(csv));
        run1 = trainingRun("lr 0.1", "0.1", 200, 1.0);
        v1 = mlops.models().register("rain", version(run1, "first try").build());
        mlops.models().setAlias("rain", "production", 1);
        tick();
        run2 = trainingRun("lr 0.01", "0.01", 300, 0.8);
        v2 = mlops.models().register("rain", version(run2, "retrained").retrainedFrom(v1.ref()).build());
        PromotionPolicy policy = PromotionPolicy.builder("ui-policy").maximum("mae", 3.0).nonInferiority("mae", false, 0.1)
                .build();
        PromotionGate.of(mlops, policy).promote(v2.ref(), "production",
                PromotionGate.inputs().candidateMetrics(Map.of("mae", 2.0)).championMetrics(Map.of("mae", 2.05)).build());
        tick();
        // hostile text everywhere a page shows free text
        String joined = String.join(" | ", HOSTILE);
        NewRun.Builder spec = NewRun.builder().name(SCRIPT).param("note", joined).tag("comment", IMG).codeRef(IMG)
                .input(data.ref());
        try (ActiveRun r = mlops.tracking().startRun("rain", spec.build())) {
            hostileRun = r.id();
            for (int i = 0; i < HOSTILE.size(); i++) {
                try {
                    r.logMetric(HOSTILE.get(i), i, 0);
                    r.logMetric(HOSTILE.get(i), i + 1, 1);
                } catch (dev.mlops.api.InvalidNameException refused) {
                    // metric names must be printable: control and formatting characters are refused at the call
                }
            }
        }
        v3 = mlops.models().register("rain", version(hostileRun, joined).tag("comment", SCRIPT).retrainedFrom(v2.ref())
                .build());
        PromotionGate.of(mlops, policy).promote(v3.ref(), "production",
                PromotionGate.inputs().candidateMetrics(Map.of("mae", 6.9)).championMetrics(Map.of("mae", 2.0)).build());
        mlops.models().setModelDescription("rain", "Will it rain tomorrow? " + SCRIPT);
        tick();
        mlops.models().rollback("rain", "production");
        tick();
        mlops.models().setAlias("rain", "production", 2);
        mlops.models().setAlias("rain", "staging", 3);
        monitorRun = monitorRun();
    }

    private void tick() {
        clock.advance(Duration.ofHours(6));
    }

    private NewModelVersion.Builder version(String run, String description) {
        return NewModelVersion.builder().artifact(Artifact.bytes("model.bin", description.getBytes(StandardCharsets.UTF_8)))
                .fromRun(run).trainedOn(data.ref()).metric("mae", 2.0).description(description);
    }

    /** A run with a loss curve of {@code steps} points and an accuracy curve. */
    private String trainingRun(String name, String lr, int steps, double scale) {
        try (ActiveRun r = mlops.tracking().startRun("rain", NewRun.builder().name(name).param("lr", lr)
                .param("epochs", Integer.toString(steps)).tag("team", "weather").input(data.ref()).codeRef("git:4f2a9c1")
                .build())) {
            Random random = new Random(steps);
            for (int step = 0; step < steps; step++) {
                r.logMetric("loss", scale / (1 + step * 0.05) + random.nextDouble() * 0.02, step);
                r.logMetric("val_auc", 0.6 + 0.3 * (1 - Math.exp(-step / 60.0)) * scale, step);
            }
            clock.advance(Duration.ofMinutes(5));
            return r.id();
        }
    }

    /** A drift monitor's windows, logged as the demo logs them: one report artifact and one drift_share point each. */
    private String monitorRun() {
        Random random = new Random(7);
        try (ActiveRun r = mlops.tracking().startRun("rain-monitor", NewRun.builder().name("monitor of rain@production")
                .tag(Pages.DRIFT_MONITOR_TAG, "rain@production").build())) {
            double[] reference = random.doubles(300).map(x -> x * 10).toArray();
            for (int w = 1; w <= 4; w++) {
                double shift = w * 1.5;
                double[] current = random.doubles(200).map(x -> x * 10 + shift).toArray();
                double[] rain = random.doubles(200).map(x -> x * 5).toArray();
                double[] referenceRain = random.doubles(300).map(x -> x * 5).toArray();
                DriftReport report = DriftAnalysis.builder().build().compare(frame(reference, referenceRain), frame(current, rain));
                r.logArtifact(Pages.DRIFT_REPORT_PREFIX + w, Artifact.bytes("drift-report.json",
                        DriftReportJson.toJson(report).getBytes(StandardCharsets.UTF_8)));
                r.logMetric("drift_share", report.driftShare(), w);
                clock.advance(Duration.ofDays(7));
            }
            r.end(RunStatus.FINISHED);
            return r.id();
        }
    }

    private static Frame frame(double[] temp, double[] rain) {
        return Frame.ofColumns(Schema.of(new Field("temp", FieldType.DOUBLE), new Field("rain",
                FieldType.DOUBLE)), List.of(temp, rain));
    }

    /** A model with {@code n} versions, for paging. */
    void manyVersions(String model, int n) {
        for (int i = 1; i <= n; i++) {
            mlops.models().register(model, NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {(byte) i}))
                    .metric("auc", 0.5 + i / (2.0 * n)).build());
        }
    }

    /** The addresses of every page over this fixture, by a short name. */
    Map<String, String> pages() {
        return new java.util.LinkedHashMap<>(Map.ofEntries(
                Map.entry("models", "/"),
                Map.entry("model", "/models/rain"),
                Map.entry("version", "/models/rain/versions/2"),
                Map.entry("version-refused", "/models/rain/versions/3"),
                Map.entry("lineage", "/models/rain/lineage"),
                Map.entry("card", "/models/rain/versions/2/card"),
                Map.entry("experiments", "/experiments"),
                Map.entry("experiment", "/experiments/rain"),
                Map.entry("run", "/runs/" + run2),
                Map.entry("run-hostile", "/runs/" + hostileRun),
                Map.entry("compare", "/compare?run=" + run1 + "&run=" + run2 + "&run=" + hostileRun),
                Map.entry("drift", "/drift"),
                Map.entry("drift-windows", "/runs/" + monitorRun + "/drift"),
                Map.entry("drift-report", "/runs/" + monitorRun + "/drift/" + Pages.DRIFT_REPORT_PREFIX + "4"),
                Map.entry("audit", "/audit")));
    }

    ModelRef.Version ref(int n) {
        return ModelRef.version("rain", n);
    }

    @Override
    public void close() {
        mlops.close();
    }
}
