package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ConflictException;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.core.InMemoryStore;
import dev.mlops.drift.DriftMonitorTest.Closed;
import dev.mlops.drift.DriftMonitorTest.ManualClock;
import dev.mlops.drift.DriftMonitorTest.Rows;
import dev.mlops.registry.fs.FileSystemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleet drift: instances publish window states to a store, any process merges them. */
class FleetDriftTest {

    static final ReferenceProfile PROFILE = DriftMonitorTest.PROFILE;
    static final long T0 = Instant.parse("2024-05-01T00:10:00Z").toEpochMilli(); // instances start mid-window
    static final Duration HOUR = Duration.ofHours(1);

    /** A profile with the same columns as {@link #PROFILE} but other reference data. */
    static ReferenceProfile otherProfile() {
        Random r = new Random(6);
        int n = 500;
        double[] x = new double[n];
        double[] y = new double[n];
        String[] c = new String[n];
        String[] f = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * 2;
            y[i] = r.nextDouble();
            c[i] = "abc".substring(i % 3, i % 3 + 1);
            f[i] = r.nextBoolean() ? "yes" : "no";
        }
        return ReferenceProfile.of(Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE), new Field("y", FieldType.DOUBLE),
                new Field("c", FieldType.STRING), new Field("flag", FieldType.STRING)), List.of(x, y, c, f)));
    }

    /**
     * The single-process report with the fleet's window sequence and the merge's time: what a
     * merged report must equal.
     */
    static DriftReport asMerged(DriftReport r, long sequence, Instant createdAt) {
        DriftReport.Window w = r.window().orElseThrow();
        return new DriftReport(createdAt, r.referenceRows(), r.currentRows(), r.columns(), r.driftShare(),
                r.driftShareThreshold(), r.datasetDrift(), r.correction(),
                Optional.of(new DriftReport.Window(w.start(), w.end(), sequence)), r.inputs(), r.datasetVerdict(),
                r.driftShareInterval());
    }

    /**
     * Feeds one stream to one monitor and, split at random, to four fleet instances on the stores
     * {@code storeOf} gives; then checks every window of the single monitor against the merge.
     */
    void fourInstancesMergeToTheSingleReport(Function<Integer, Store> storeOf, int subWindows) {
        ManualClock clock = new ManualClock(T0);
        DriftMonitor.Builder ob = DriftMonitor.builder(PROFILE).timeWindow(HOUR).slidingSubWindows(subWindows).clock(clock);
        List<Closed> whole = DriftMonitorTest.collector(ob);
        DriftMonitor one = ob.build();
        List<DriftMonitor> four = new ArrayList<>();
        List<FleetDrift> fleets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FleetDrift f = FleetDrift.builder(storeOf.apply(i), "rain-inputs", PROFILE).instanceId("web-" + i).clock(clock).build();
            fleets.add(f);
            four.add(f.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).slidingSubWindows(subWindows).clock(clock)));
        }
        Rows rows = new Rows(42, 0);
        Rows shifted = new Rows(43, 0.5);
        Random route = new Random(7);
        double[] num = new double[2];
        String[] cat = new String[2];
        for (int i = 0; i < 12_000; i++) {
            clock.advance(Duration.ofMillis(1_000)); // 12,000 s: windows 0:00, 1:00, 2:00, 3:00 (partly)
            (i > 7_000 ? shifted : rows).next(num, cat);
            if (i % 89 == 0) {
                num[1] = Double.NaN;
            }
            one.observe(num, cat);
            four.get(route.nextInt(4)).observe(num, cat);
        }
        clock.advance(HOUR);
        one.tick();
        four.forEach(DriftMonitor::tick);

        FleetDrift reader = fleets.get(0);
        assertThat(whole).hasSizeGreaterThanOrEqualTo(4);
        assertThat(reader.windows()).hasSameSizeAs(whole);
        boolean drifted = false;
        int allFour = 0;
        long documents = 0;
        for (Closed c : whole) {
            long seq = FleetDrift.windowSequence(one, c.report().window().orElseThrow());
            List<String> instances = reader.instances(seq);
            // an instance publishes the windows in which it saw rows (the last row may reach one only)
            assertThat(instances).isNotEmpty().isSubsetOf("web-0", "web-1", "web-2", "web-3");
            allFour += instances.size() == 4 ? 1 : 0;
            documents += instances.size();
            assertThat(reader.mergedState(seq).rows()).isEqualTo(c.state().rows());
            DriftReport merged = reader.merge(seq);
            assertThat(merged).isEqualTo(asMerged(c.report(), seq, clock.instant())); // columns, statistics, bounds, verdicts: bit for bit
            drifted |= merged.datasetDrift();
        }
        assertThat(drifted).as("the shifted part of the stream drifts").isTrue();
        assertThat(whole.get(0).report().datasetDrift()).isFalse();
        assertThat(allFour).as("windows every instance saw rows of").isGreaterThanOrEqualTo(whole.size() - 1);
        for (FleetDrift f : fleets) {
            assertThat(f.publishFailures()).as("%s", f.lastPublishFailure()).isZero();
        }
        assertThat(fleets.stream().mapToLong(FleetDrift::published).sum()).isEqualTo(documents);
    }

    @Test
    void fourInstancesOnOneFileSystemStoreMergeToTheSingleProcessReport(@TempDir Path dir) {
        List<Store> opened = new ArrayList<>();
        try {
            fourInstancesMergeToTheSingleReport(i -> {
                Store s = FileSystemStore.open(dir); // one store object per instance, as separate processes have
                opened.add(s);
                return s;
            }, 1);
        } finally {
            opened.forEach(Store::close);
        }
    }

    @Test
    void slidingWindowsMergeToo() {
        InMemoryStore store = new InMemoryStore();
        fourInstancesMergeToTheSingleReport(i -> store, 4);
    }

    @Test
    void documentsLiveUnderFleetMonitorWindowsSequenceInstance() {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(T0);
        FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("web-7").clock(clock).build();
        DriftMonitor m = fleet.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitorTest.feed(m, new Rows(1, 0), 10);
        clock.advance(HOUR);
        m.tick();
        long seq = T0 / HOUR.toMillis();
        assertThat(fleet.windows()).containsExactly(seq);
        String segment = String.format("%019d", seq);
        assertThat(store.list(DocumentKey.of("fleet", "rain-inputs", "windows"), Optional.empty(), 10).items())
                .extracting(d -> d.key().toString()).containsExactly("fleet/rain-inputs/windows/" + segment);
        Document doc = store.read(DocumentKey.of("fleet", "rain-inputs", "windows", segment, "web-7")).orElseThrow();
        String json = new String(doc.content(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"schema_version\":1", "\"kind\":\"mlops-fleet-drift-window\"", "\"instance\":\"web-7\"",
                "\"window_millis\":3600000", "\"sub_windows\":1", "\"kind\":\"mlops-drift-window\"");
        String marker = new String(store.read(DocumentKey.of("fleet", "rain-inputs", "windows", segment)).orElseThrow().content(),
                StandardCharsets.UTF_8);
        assertThat(marker).contains("\"start\":\"2024-05-01T00:00:00Z\"", "\"end\":\"2024-05-01T01:00:00Z\"");
        // the static one-call form used by a CI job
        assertThat(FleetDrift.merge(store, "rain-inputs", seq, PROFILE).currentRows()).isEqualTo(10);
    }

    @Test
    void theWindowSequenceIsThePositionOnTheEpochGrid() {
        ManualClock clock = new ManualClock(T0);
        DriftMonitor tumbling = DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock).build();
        DriftMonitor sliding = DriftMonitor.builder(PROFILE).timeWindow(HOUR).slidingSubWindows(4).clock(clock).build();
        Instant start = Instant.parse("2024-05-01T00:00:00Z");
        long hours = start.toEpochMilli() / HOUR.toMillis();
        DriftReport.Window w = new DriftReport.Window(start, start.plus(HOUR), 1);
        assertThat(FleetDrift.windowSequence(tumbling, w)).isEqualTo(hours);
        assertThat(FleetDrift.windowSequence(sliding, w)).isEqualTo(4 * hours + 3); // index of the last 15-minute sub-window
        // a window cut short by closeWindow() belongs to the grid window it was cut from
        assertThat(FleetDrift.windowSequence(tumbling, new DriftReport.Window(start, start.plusSeconds(60), 1))).isEqualTo(hours);
        assertThat(FleetDrift.windowSequence(tumbling, new DriftReport.Window(start, start, 1))).isEqualTo(hours);
        assertThatThrownBy(() -> FleetDrift.windowSequence(tumbling, new DriftReport.Window(Instant.EPOCH.minus(HOUR),
                Instant.EPOCH.minusSeconds(1), 1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before the epoch");
    }

    @Test
    void countWindowsAreRefusedWithTheReason() {
        FleetDrift fleet = FleetDrift.builder(new InMemoryStore(), "rain-inputs", PROFILE).build();
        DriftMonitor.Builder count = DriftMonitor.builder(PROFILE).countWindow(100);
        assertThatThrownBy(() -> fleet.monitor(count)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count windows cannot be merged across instances").hasMessageContaining("timeWindow");
        // nothing was added to the builder: its monitor still works on its own
        DriftMonitor m = count.build();
        assertThat(m.countWindow()).hasValue(100);
        DriftMonitorTest.feed(m, new Rows(1, 0), 100);
        WindowState s = m.snapshot();
        assertThatThrownBy(() -> fleet.publish(m, s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count windows cannot be merged");
        assertThatThrownBy(() -> FleetDrift.windowSequence(m, s.window())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count windows cannot be merged");
    }

    @Test
    void publishingAWindowAgainIsANoOpAndOtherCountsForItAConflict() {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(T0);
        FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("web-1").clock(clock).build();
        DriftMonitor.Builder b = DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock);
        List<Closed> closed = DriftMonitorTest.collector(b);
        DriftMonitor m = fleet.monitor(b);
        DriftMonitorTest.feed(m, new Rows(1, 0), 50);
        m.closeWindow(); // shutdown-style: the window is cut short, and published
        assertThat(closed).hasSize(1);
        assertThat(fleet.published()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(fleet.publish(m, closed.get(0).state())).as("the same window again").isFalse();
        // observing on in the same grid window makes a second, different window of the same slot
        DriftMonitorTest.feed(m, new Rows(2, 0), 5);
        m.closeWindow();
        assertThat(fleet.publishFailures()).isEqualTo(1);
        assertThat(fleet.lastPublishFailure().orElseThrow()).isInstanceOf(ConflictException.class)
                .hasMessageContaining("'web-1' already published window").hasMessageContaining("'rain-inputs'");
        assertThatThrownBy(() -> fleet.publish(m, closed.get(1).state())).isInstanceOf(ConflictException.class);
        long seq = fleet.windows().get(0);
        assertThat(fleet.mergedState(seq).rows()).as("the first publication stands").isEqualTo(50);
    }

    @Test
    void namesAreCheckedAndTheDefaultInstanceIdIsStableAndValid() {
        InMemoryStore store = new InMemoryStore();
        assertThatThrownBy(() -> FleetDrift.builder(store, "Rain/Inputs", PROFILE)).isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("'Rain/Inputs'");
        assertThatThrownBy(() -> FleetDrift.builder(store, "rain", PROFILE).instanceId("../web")).isInstanceOf(InvalidNameException.class);
        String id = FleetDrift.processInstanceId();
        assertThat(id).isEqualTo(FleetDrift.processInstanceId()).startsWith(ProcessHandle.current().pid() + "-");
        assertThat(FleetDrift.builder(store, "rain", PROFILE).build().instanceId()).isEqualTo(id);
        assertThat(new DocumentKey(List.of("fleet", "rain", "windows", "0", id))).isNotNull();
    }

    @Test
    void aWindowOfAnotherProfileOrWindowLengthIsRefusedNamingTheInstance() {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(T0);
        ReferenceProfile other = otherProfile();
        FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("web-1").clock(clock).build();
        assertThatThrownBy(() -> fleet.monitor(DriftMonitor.builder(other).timeWindow(HOUR)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the fleet's profile");

        FleetDrift stranger = FleetDrift.builder(store, "rain-inputs", other).instanceId("web-2").clock(clock).build();
        DriftMonitor a = fleet.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitor b = stranger.monitor(DriftMonitor.builder(other).timeWindow(HOUR).clock(clock));
        // a library from before fleet documents wrote windows of another profile under the name: here, another store's
        InMemoryStore elsewhere = new InMemoryStore();
        FleetDrift old = FleetDrift.builder(elsewhere, "rain-inputs", other).instanceId("web-3").clock(clock).build();
        DriftMonitor c = old.monitor(DriftMonitor.builder(other).timeWindow(HOUR).clock(clock));
        DriftMonitorTest.feed(a, new Rows(1, 0), 10);
        DriftMonitorTest.feed(b, new Rows(1, 0), 10);
        DriftMonitorTest.feed(c, new Rows(1, 0), 10);
        clock.advance(HOUR);
        a.tick();
        b.tick();
        c.tick();
        long seq = fleet.windows().get(0);
        // the fleet document names the first publisher's profile: another profile is refused before it writes a window
        assertThat(stranger.publishFailures()).isEqualTo(1);
        assertThat(stranger.lastPublishFailure().orElseThrow()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("belongs to profile " + PROFILE.sha256()).hasMessageContaining(other.sha256());
        assertThat(fleet.instances(seq)).containsExactly("web-1");
        DocumentKey oldKey = DocumentKey.of("fleet", "rain-inputs", "windows", FleetDrift.segment(seq), "web-3");
        store.create(oldKey, elsewhere.read(oldKey).orElseThrow().content());
        assertThatThrownBy(() -> fleet.merge(seq)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'web-3'").hasMessageContaining("profile");

        InMemoryStore store2 = new InMemoryStore();
        FleetDrift hourly = FleetDrift.builder(store2, "m", PROFILE).instanceId("a").clock(clock).build();
        FleetDrift twoHours = FleetDrift.builder(store2, "m", PROFILE).instanceId("b").clock(clock).build();
        DriftMonitor h = hourly.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitor t = twoHours.monitor(DriftMonitor.builder(PROFILE).timeWindow(Duration.ofHours(2)).slidingSubWindows(2).clock(clock));
        for (int hour = 0; hour < 2; hour++) {
            DriftMonitorTest.feed(h, new Rows(hour, 0), 10);
            DriftMonitorTest.feed(t, new Rows(hour, 0), 10);
            clock.advance(HOUR);
            h.tick();
            t.tick();
        }
        // the second hour is window 1 h of one and the last sub-window of a 2 h window of the other
        long second = hourly.windows().get(1);
        assertThat(hourly.instances(second)).containsExactly("a", "b");
        assertThatThrownBy(() -> hourly.merge(second)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("different windows").hasMessageContaining("'a' 3600000 ms in 1 sub-windows")
                .hasMessageContaining("'b' 7200000 ms in 2 sub-windows");
    }

    @Test
    void aMissingWindowIsNotFoundAndDamagedDocumentsAreNamed() {
        InMemoryStore store = new InMemoryStore();
        FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", PROFILE).build();
        assertThatThrownBy(() -> fleet.merge(5)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("window 5").hasMessageContaining("'rain-inputs'");
        store.create(DocumentKey.of("fleet", "rain-inputs", "windows", FleetDrift.segment(5)), "{}".getBytes(StandardCharsets.UTF_8));
        store.create(DocumentKey.of("fleet", "rain-inputs", "windows", FleetDrift.segment(5), "web-9"),
                "{\"schema_version\":1,\"kind\":\"something-else\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> fleet.merge(5)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("fleet/rain-inputs/windows/0000000000000000005/web-9").hasMessageContaining("kind");
        assertThatThrownBy(() -> fleet.merge(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void pruneRemovesWindowsThatEndedBeforeTheCutOff() {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(T0);
        FleetDrift a = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("a").clock(clock).build();
        FleetDrift b = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("b").clock(clock).build();
        DriftMonitor ma = a.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitor mb = b.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        Rows rows = new Rows(3, 0);
        for (int hour = 0; hour < 5; hour++) {
            DriftMonitorTest.feed(ma, rows, 20);
            DriftMonitorTest.feed(mb, rows, 20);
            clock.advance(HOUR);
            ma.tick();
            mb.tick();
        }
        List<Long> windows = a.windows();
        assertThat(windows).hasSize(5);
        // windows 0:00-1:00 and 1:00-2:00 ended at or before 2:00
        int removed = b.prune(Instant.parse("2024-05-01T02:00:00Z"));
        assertThat(removed).isEqualTo(2);
        assertThat(a.windows()).containsExactlyElementsOf(windows.subList(2, 5));
        assertThat(a.instances(windows.get(0))).isEmpty();
        assertThat(a.instances(windows.get(2))).containsExactly("a", "b");
        assertThat(a.prune(Instant.parse("2024-05-01T02:00:00Z"))).isZero();
        assertThatThrownBy(() -> a.merge(windows.get(1))).isInstanceOf(NotFoundException.class);
        assertThat(a.merge(windows.get(2)).currentRows()).isEqualTo(40);
    }

    @Test
    void anExecutorTakesTheStoreWritesOffTheClosingThreadAndFailuresAreCounted() {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(T0);
        List<Runnable> queued = new ArrayList<>();
        FleetDrift deferred = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("a").clock(clock).executor(queued::add).build();
        DriftMonitor m = deferred.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitorTest.feed(m, new Rows(1, 0), 10);
        clock.advance(HOUR);
        m.tick();
        assertThat(deferred.windows()).as("nothing written on the closing thread").isEmpty();
        assertThat(queued).hasSize(1);
        queued.get(0).run();
        assertThat(deferred.windows()).hasSize(1);
        assertThat(deferred.published()).isEqualTo(1);

        FleetDrift rejecting = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("b").clock(clock)
                .executor(r -> {
                    throw new RejectedExecutionException("queue full");
                }).build();
        DriftMonitor r = rejecting.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitorTest.feed(r, new Rows(1, 0), 10);
        clock.advance(HOUR);
        r.tick();
        assertThat(rejecting.publishFailures()).isEqualTo(1);
        assertThat(rejecting.lastPublishFailure().orElseThrow()).hasMessage("queue full");
        assertThat(r.listenerFailures()).as("the monitor never sees the failure").isZero();
    }

    @Test
    void publishersRecordTheFleetAndItsProfileReadersDoNot() {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(T0);
        // a reader (a CI job merging) writes nothing
        FleetDrift reader = FleetDrift.builder(store, "rain-inputs", PROFILE).clock(clock).build();
        assertThat(reader.windows()).isEmpty();
        assertThat(FleetDrift.fleets(store, Optional.empty(), 10).items()).isEmpty();
        assertThat(FleetDrift.stored(store, "rain-inputs")).isEmpty();

        FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("web-1").clock(clock).build();
        FleetDrift quiet = FleetDrift.builder(store, "snow-inputs", PROFILE).instanceId("web-1").clock(clock)
                .storeProfile(false).build();
        DriftMonitor m = fleet.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitor q = quiet.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitorTest.feed(m, new Rows(1, 0), 10);
        DriftMonitorTest.feed(q, new Rows(1, 0), 7);
        clock.advance(HOUR);
        m.tick();
        q.tick();
        assertThat(FleetDrift.fleets(store, Optional.empty(), 10).items()).containsExactly("rain-inputs", "snow-inputs");
        assertThat(FleetDrift.fleets(store, Optional.of("rain-inputs"), 10).items()).containsExactly("snow-inputs");
        FleetDrift.Stored rain = FleetDrift.stored(store, "rain-inputs").orElseThrow();
        assertThat(rain.profileSha256()).isEqualTo(PROFILE.sha256());
        assertThat(rain.createdAt()).isEqualTo(Instant.ofEpochMilli(T0).plus(HOUR));
        assertThat(rain.profile()).hasValueSatisfying(p -> assertThat(p.sha256()).isEqualTo(PROFILE.sha256()));
        assertThat(rain.profileProblem()).isEmpty();
        // the profile is stored as its own JSON, byte for byte
        assertThat(store.read(DocumentKey.of("fleet", "rain-inputs", "profile")).orElseThrow().content())
                .isEqualTo(PROFILE.toJsonBytes());
        FleetDrift.Stored snow = FleetDrift.stored(store, "snow-inputs").orElseThrow();
        assertThat(snow.profileSha256()).isEqualTo(PROFILE.sha256());
        assertThat(snow.profile()).isEmpty();
        assertThat(snow.profileProblem()).isEmpty();
        // a reader given only the store merges with the stored profile
        long seq = FleetDrift.windows(store, "rain-inputs").get(0);
        DriftReport merged = FleetDrift.builder(store, "rain-inputs", rain.profile().orElseThrow()).clock(clock).build()
                .merge(seq);
        assertThat(merged).isEqualTo(fleet.merge(seq));
        FleetDrift.StoredWindow w = FleetDrift.storedWindow(store, "snow-inputs", seq);
        assertThat(w.rows()).isEqualTo(7);
        assertThat(w.damaged()).isFalse();
        assertThat(w.parts()).singleElement().satisfies(p -> {
            assertThat(p.instance()).isEqualTo("web-1");
            assertThat(p.profileSha256()).isEqualTo(PROFILE.sha256());
            assertThat(p.publishedAt()).isEqualTo(Instant.ofEpochMilli(T0).plus(HOUR));
        });
        assertThat(w.start()).contains(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(w.end()).contains(Instant.parse("2024-05-01T01:00:00Z"));
    }

    @Test
    void aFleetFromBeforeFleetDocumentsStillMergesAndGainsThemAtItsNextPublication() {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(T0);
        FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("web-1").clock(clock).build();
        DriftMonitor m = fleet.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitorTest.feed(m, new Rows(1, 0), 10);
        clock.advance(HOUR);
        m.tick();
        // as an older library left it: windows only
        for (String doc : List.of("profile", "")) {
            DocumentKey k = doc.isEmpty() ? DocumentKey.of("fleet", "rain-inputs") : DocumentKey.of("fleet", "rain-inputs", doc);
            store.delete(k, store.read(k).orElseThrow().revision());
        }
        assertThat(FleetDrift.fleets(store, Optional.empty(), 10).items()).isEmpty();
        assertThat(FleetDrift.stored(store, "rain-inputs")).isEmpty();
        long first = FleetDrift.windows(store, "rain-inputs").get(0);
        assertThat(FleetDrift.storedWindow(store, "rain-inputs", first).rows()).isEqualTo(10);
        assertThat(FleetDrift.merge(store, "rain-inputs", first, PROFILE).currentRows()).isEqualTo(10);

        FleetDrift restarted = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("web-1").clock(clock).build();
        DriftMonitor again = restarted.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitorTest.feed(again, new Rows(1, 0), 5);
        clock.advance(HOUR);
        again.tick();
        assertThat(FleetDrift.fleets(store, Optional.empty(), 10).items()).containsExactly("rain-inputs");
        assertThat(FleetDrift.stored(store, "rain-inputs").orElseThrow().profile()).isPresent();
        assertThat(restarted.windows()).hasSize(2);
    }

    @Test
    void storedWindowsReportDamagedDocumentsInsteadOfThrowing() {
        InMemoryStore store = new InMemoryStore();
        ManualClock clock = new ManualClock(T0);
        FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("web-1").clock(clock).build();
        DriftMonitor m = fleet.monitor(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(clock));
        DriftMonitorTest.feed(m, new Rows(1, 0), 10);
        clock.advance(HOUR);
        m.tick();
        long seq = fleet.windows().get(0);
        store.create(DocumentKey.of("fleet", "rain-inputs", "windows", FleetDrift.segment(seq), "web-9"),
                "{\"schema_version\": 1, \"kind\"".getBytes(StandardCharsets.UTF_8));
        FleetDrift.StoredWindow w = FleetDrift.storedWindow(store, "rain-inputs", seq);
        assertThat(w.parts()).extracting(FleetDrift.Part::instance).containsExactly("web-1");
        assertThat(w.rows()).isEqualTo(10);
        assertThat(w.damaged()).isTrue();
        assertThat(w.problems()).singleElement().asString().contains("'web-9'");
        assertThatThrownBy(() -> fleet.merge(seq)).isInstanceOf(ValidationException.class).hasMessageContaining("web-9");

        // a damaged profile is reported with the fleet, not thrown; a damaged fleet document is thrown, naming it
        DocumentKey profileKey = DocumentKey.of("fleet", "rain-inputs", "profile");
        store.replace(profileKey, store.read(profileKey).orElseThrow().revision(), "{}".getBytes(StandardCharsets.UTF_8));
        FleetDrift.Stored stored = FleetDrift.stored(store, "rain-inputs").orElseThrow();
        assertThat(stored.profile()).isEmpty();
        assertThat(stored.profileProblem()).hasValueSatisfying(p -> assertThat(p).contains("fleet/rain-inputs/profile"));
        DocumentKey fleetKey = DocumentKey.of("fleet", "rain-inputs");
        store.replace(fleetKey, store.read(fleetKey).orElseThrow().revision(),
                "{\"schema_version\":1,\"kind\":\"mlops-fleet-drift\",\"monitor\":\"other\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FleetDrift.stored(store, "rain-inputs")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("fleet/rain-inputs").hasMessageContaining("'other'");
    }
}
