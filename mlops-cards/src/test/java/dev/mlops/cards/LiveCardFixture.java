package dev.mlops.cards;

import dev.mlops.api.AttachmentNames;
import dev.mlops.api.Artifact;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import dev.mlops.api.serving.LatencySnapshot;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.FleetDrift;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.quality.testing.TestFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@link CardFixture}'s registry plus what a live card shows: version 3 of {@code credit} is the
 * ONNX export of version 2 (a tensor signature, as {@code OnnxSignature} in mlops-onnx reads it,
 * and version 2's metric intervals, fairness, importance and a drift profile of four
 * columns), a fleet drift monitor {@code credit-v3-inputs} that published twelve daily windows to
 * the registry's store (the last five with applicants' durations and amounts shifted, so they
 * drift), and the counters of a service that served it.
 */
final class LiveCardFixture {
    static final String MONITOR = "credit-v3-inputs";
    static final List<String> PROFILED = List.of("duration", "credit_amount", "checking_status", "age");
    static final int WINDOWS = 12;
    static final int DRIFTING_FROM = 7;
    static final int ROWS_PER_WINDOW = 25;

    final InMemoryStore store;
    final Mlops mlops;
    final CardFixture base;
    final ModelVersion v3;
    final Signature signature;
    final VersionMetrics serving;
    final String runId;

    LiveCardFixture(Path dir) throws IOException {
        CardFixture.TickingClock clock = new CardFixture.TickingClock(CardFixture.START);
        store = new InMemoryStore(clock);
        mlops = Mlops.builder().store(store).clock(clock).actor("trainer").build();
        base = new CardFixture(dir, mlops);
        Frame all = TestFrames.germanCredit();
        ReferenceProfile profile = ReferenceProfile.of(all.slice(0, 700).select(PROFILED));
        signature = Signature.ofTensors(List.of(new TensorSpec("features", "float", List.of("batch", "4"))),
                List.of(new TensorSpec("label", "int64", List.of("batch")),
                        new TensorSpec("probabilities", "float", List.of("batch", "2"))));
        ModelRef.Version v2 = base.v2.ref();
        runId = mlops.tracking().startRun("credit-export", dev.mlops.api.tracking.NewRun.builder().build()).id();
        NewModelVersion.Builder b = NewModelVersion.builder()
                .artifact(Artifact.bytes("model.onnx", CardFixture.utf8("onnx export of credit/2")))
                .format("onnx").signature(signature).retrainedFrom(v2).trainedOn(base.train.ref())
                .testedOn(base.test.ref()).fromRun(runId).description("ONNX export of version 2, served by ONNX Runtime.")
                .attachment(AttachmentNames.DRIFT_PROFILE, profile.toJsonBytes());
        base.v2.metrics().forEach(b::metric);
        for (String name : List.of(AttachmentNames.METRIC_ESTIMATES, AttachmentNames.IMPORTANCE,
                AttachmentNames.of(AttachmentNames.FAIRNESS, "personal_status"))) {
            b.attachment(name, mlops.models().attachment(v2, name));
        }
        v3 = mlops.models().register("credit", b.build());
        publishWindows(all.slice(700, 1000), profile);
        serving = new VersionMetrics(v3.ref(), 48_213, 17, 17,
                new LatencySnapshot(48_196, 412_000, 905_000, 2_310_000, 9_870_000), 5_000, 4_871, 3, 1_204,
                OptionalDouble.of(0.231));
    }

    /** Twelve daily windows of applicants from the test split; from window 8 on, durations and amounts grow. */
    private void publishWindows(Frame rows, ReferenceProfile profile) {
        ManualTestClock clock = new ManualTestClock(Instant.parse("2026-03-02T00:00:00Z"));
        FleetDrift fleet = FleetDrift.builder(store, MONITOR, profile).instanceId("web-1").clock(clock).build();
        DriftMonitor monitor = fleet.monitor(DriftMonitor.builder(profile).timeWindow(Duration.ofDays(1)).clock(clock));
        double[] duration = rows.numeric("duration");
        double[] amount = rows.numeric("credit_amount");
        double[] age = rows.numeric("age");
        String[] checking = rows.strings("checking_status");
        List<String> numerical = monitor.numericalColumns();
        List<String> categorical = monitor.categoricalColumns();
        for (int w = 0; w < WINDOWS; w++) {
            boolean shifted = w >= DRIFTING_FROM;
            for (int i = 0; i < ROWS_PER_WINDOW; i++) {
                int r = w * ROWS_PER_WINDOW + i;
                double[] num = new double[numerical.size()];
                for (int c = 0; c < num.length; c++) {
                    num[c] = switch (numerical.get(c)) {
                        case "duration" -> shifted ? duration[r] * 2.5 : duration[r];
                        case "credit_amount" -> shifted ? amount[r] * 3 : amount[r];
                        case "age" -> age[r];
                        default -> throw new IllegalStateException("unexpected column " + numerical.get(c));
                    };
                }
                String[] cat = new String[categorical.size()];
                for (int c = 0; c < cat.length; c++) {
                    cat[c] = shifted ? "<0" : checking[r];
                }
                monitor.observe(num, cat);
            }
            clock.advance(Duration.ofDays(1));
            monitor.tick();
        }
        if (fleet.published() != WINDOWS) {
            throw new IllegalStateException("the fixture expects " + WINDOWS + " published windows, got "
                    + fleet.published() + ": " + fleet.lastPublishFailure());
        }
    }

    /** The card of version 3 with the service's counters and the fleet monitor's windows. */
    ModelCard card() {
        return ModelCard.builder(mlops, v3.ref()).servingMetrics(serving).fleetDrift(store, MONITOR).build();
    }
}
