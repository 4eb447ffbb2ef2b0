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
import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.FleetDrift;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A store with something on every page: a dataset, a model with three versions (from runs, one
 * retrained), an alias moved, rolled back and moved again, gate decisions (one passed, one
 * refused), an experiment of runs with metric curves, fleet drift windows, and hostile
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
    /** The fleet drift monitor with two instances and a stored profile. */
    static final String FLEET = "rain-inputs";
    /** A fleet whose profile is not stored. */
    static final String FLEET_NO_PROFILE = "snow-inputs";
    /** The profile's second column: markup as a column name. */
    static final String HOSTILE_COLUMN = "<b>rain</b>" + SCRIPT;
    static final Duration WEEK = Duration.ofDays(7);
    static final int WINDOWS = 4;
    /** Index in {@link #fleetWindows} of the window with a damaged instance document. */
    static final int DAMAGED_WINDOW = 2;
    final InMemoryStore store;
    /** The fleet's window sequences, ascending. */
    List<Long> fleetWindows;

    UiFixture(Path dir) throws Exception {
        store = new InMemoryStore(clock);
        mlops = Mlops.builder().store(store).clock(clock).actor("tester").runHeartbeat(Duration.ZERO)
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
        fleets();
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

    /**
     * Fleet drift windows in the store, as {@code FleetDrift} publishes them: fleet {@link #FLEET}
     * (two instances, four weekly windows drifting more and more; a profile whose second column
     * has a hostile name; one window with a damaged instance document), fleet
     * {@link #FLEET_NO_PROFILE} (published without storing its profile), and a fleet document
     * whose monitor name is hostile markup (damaged: its key says another name).
     */
    private void fleets() {
        Random random = new Random(7);
        ReferenceProfile profile = ReferenceProfile.of(frame(random.doubles(300).map(x -> x * 10).toArray(),
                random.doubles(300).map(x -> x * 5).toArray()));
        List<DriftMonitor> monitors = new ArrayList<>();
        for (String instance : List.of("web-1", "web-2")) {
            FleetDrift fleet = FleetDrift.builder(store, FLEET, profile).instanceId(instance).clock(clock).build();
            monitors.add(fleet.monitor(DriftMonitor.builder(profile).timeWindow(WEEK).clock(clock)));
        }
        ReferenceProfile snowProfile = ReferenceProfile.of(frame(random.doubles(100).toArray(), random.doubles(100).toArray()));
        DriftMonitor snow = FleetDrift.builder(store, FLEET_NO_PROFILE, snowProfile).instanceId("edge-1").clock(clock)
                .storeProfile(false).build().monitor(DriftMonitor.builder(snowProfile).timeWindow(WEEK).clock(clock));
        for (int w = 1; w <= WINDOWS; w++) {
            double shift = (w - 1) * 1.5;
            for (DriftMonitor m : monitors) {
                for (int i = 0; i < 100; i++) {
                    m.observe(new double[] {random.nextDouble() * 10 + shift, random.nextDouble() * 5}, new String[0]);
                }
            }
            if (w <= 2) {
                for (int i = 0; i < 20 * w; i++) {
                    snow.observe(new double[] {random.nextDouble(), random.nextDouble()}, new String[0]);
                }
            }
            clock.advance(WEEK);
            monitors.forEach(DriftMonitor::tick);
            snow.tick();
        }
        fleetWindows = FleetDrift.windows(store, FLEET);
        // a third instance's document of window 3 that is not JSON at all
        store.create(DocumentKey.of("fleet", FLEET, "windows", String.format("%019d", fleetWindows.get(DAMAGED_WINDOW)),
                "web-9"), "{\"schema_version\": 1, \"kind\": ".getBytes(StandardCharsets.UTF_8));
        store.create(DocumentKey.of("fleet", "forged"), ("{\"schema_version\":1,\"kind\":\"mlops-fleet-drift\","
                + "\"monitor\":\"" + SCRIPT.replace("/", "\\/") + "\",\"profile_sha256\":\"" + "0".repeat(64)
                + "\",\"created_at\":\"2026-03-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static Frame frame(double[] temp, double[] rain) {
        return Frame.ofColumns(Schema.of(new Field("temp", FieldType.DOUBLE), new Field(HOSTILE_COLUMN,
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
                Map.entry("drift-windows", "/drift/fleets/" + FLEET),
                Map.entry("drift-no-profile", "/drift/fleets/" + FLEET_NO_PROFILE),
                Map.entry("drift-report", "/drift/fleets/" + FLEET + "/windows/" + fleetWindows.get(WINDOWS - 1)),
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
