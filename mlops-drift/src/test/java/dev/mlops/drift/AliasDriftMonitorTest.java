package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.AttachmentNames;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A monitor that follows an alias: which profile each window is compared with, and when it switches. */
class AliasDriftMonitorTest {
    static final ModelRef.Alias PROD = ModelRef.alias("rain", "production");

    final Mlops mlops = Mlops.builder().store(new InMemoryStore()).build();
    final List<AliasDriftMonitor.Window> windows = new CopyOnWriteArrayList<>();
    final List<AliasDriftMonitor.Change> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        mlops.close();
    }

    /** x ~ N(mean, 1) and c in {a, b}: 1,000 rows. */
    static ReferenceProfile profile(double mean, String... columns) {
        Random r = new Random(7);
        int n = 1000;
        double[] x = new double[n];
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() + mean;
            c[i] = i % 2 == 0 ? "a" : "b";
        }
        String num = columns.length > 0 ? columns[0] : "x";
        return ReferenceProfile.of(Frame.ofColumns(Schema.of(new Field(num, FieldType.DOUBLE), new Field("c", FieldType.STRING)),
                List.of(x, c)));
    }

    ModelVersion register(ReferenceProfile profile) {
        NewModelVersion.Builder b = NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {1})).format("bin");
        if (profile != null) {
            b.attachment(AttachmentNames.DRIFT_PROFILE, profile.toJsonBytes());
        }
        return mlops.models().register("rain", b.build());
    }

    AliasDriftMonitor follow(int window) {
        return AliasDriftMonitor.builder(mlops.models(), PROD).monitor(b -> b.countWindow(window).stripes(4))
                .listener(windows::add).onChange(changes::add).build();
    }

    /** Rows of N(mean, 1), c alternating. */
    static void feed(DriftMonitor m, Random r, double mean, int rows) {
        for (int i = 0; i < rows; i++) {
            m.observe(new double[] {r.nextGaussian() + mean}, new String[] {i % 2 == 0 ? "a" : "b"});
        }
    }

    @Test
    void aMoveBetweenWindowsSwitchesAtOnceAndEachWindowNamesTheVersionItWasComparedWith() throws Exception {
        ModelVersion v1 = register(profile(0));
        ModelVersion v2 = register(profile(5));
        mlops.models().setAlias("rain", "production", 1);
        Random r = new Random(1);
        try (AliasDriftMonitor m = follow(200)) {
            feed(m.monitor(), r, 5, 200);                  // traffic at 5: drift against v1's profile
            mlops.models().setAlias("rain", "production", 2);
            m.refresh();                                    // handles the move now, unless the monitor's thread did
            awaitChanges(1);
            assertThat(changes).singleElement().satisfies(c -> {
                assertThat(c.kind()).isEqualTo(AliasDriftMonitor.Change.Kind.SWITCHED);
                assertThat(c.from()).isEqualTo(v1.ref());
                assertThat(c.to()).isEqualTo(v2.ref());
                assertThat(c.immediate()).isTrue();         // the open window had no row
            });
            feed(m.monitor(), r, 5, 200);
            assertThat(windows).hasSize(2);
            assertThat(windows.get(0).profileVersion()).isEqualTo(v1.ref());
            assertThat(windows.get(0).report().datasetDrift()).isTrue();
            assertThat(windows.get(1).profileVersion()).isEqualTo(v2.ref());
            assertThat(windows.get(1).aliasVersion()).isEqualTo(v2.ref());
            assertThat(windows.get(1).report().driftedColumns()).doesNotContain("x");
            assertThat(windows.get(1).profileSha256()).isEqualTo(profile(5).sha256());
            // each report names the version it was compared with, so it stands alone
            assertThat(windows.get(0).report().inputs().model()).contains(v1.ref().toString());
            assertThat(windows.get(1).report().inputs().model()).contains(v2.ref().toString());
            assertThat(m.profileVersion()).isEqualTo(v2.ref());
        }
    }

    /** The listener runs on the moving thread; the check on the monitor's own thread: wait for it by count. */
    private void awaitChanges(int n) throws InterruptedException {
        for (int i = 0; i < 10_000 && changes.size() < n; i++) {
            Thread.sleep(1);
        }
        assertThat(changes).hasSizeGreaterThanOrEqualTo(n);
    }

    @Test
    void aMoveInsideAWindowFinishesThatWindowOnTheOldProfileAndSwitchesForTheNext() throws Exception {
        ModelVersion v1 = register(profile(0));
        ModelVersion v2 = register(profile(5));
        mlops.models().setAlias("rain", "production", 1);
        Random r = new Random(2);
        try (AliasDriftMonitor m = follow(200)) {
            feed(m.monitor(), r, 5, 120);
            mlops.models().setAlias("rain", "production", 2);
            awaitChanges(1);
            assertThat(changes.get(0).immediate()).isFalse();
            assertThat(m.profileVersion()).isEqualTo(v1.ref());   // until the open window closes
            assertThat(m.aliasVersion()).isEqualTo(v2.ref());
            feed(m.monitor(), r, 5, 80 + 200);
            assertThat(windows).hasSize(2);
            AliasDriftMonitor.Window straddling = windows.get(0);
            assertThat(straddling.profileVersion()).isEqualTo(v1.ref());
            assertThat(straddling.aliasVersion()).isEqualTo(v2.ref());
            assertThat(straddling.state().rows()).isEqualTo(200);
            assertThat(straddling.profileSha256()).isEqualTo(profile(0).sha256());
            assertThat(windows.get(1).profileVersion()).isEqualTo(v2.ref());
            assertThat(windows.get(1).state().rows()).isEqualTo(200);

            // moved away and back before the open window closed: the waiting switch is dropped
            feed(m.monitor(), r, 5, 10);
            mlops.models().rollback("rain", "production");
            m.refresh();
            awaitChanges(2);
            assertThat(m.profileVersion()).isEqualTo(v2.ref());
            mlops.models().setAlias("rain", "production", 2);
            m.refresh();
            awaitChanges(3);
            assertThat(changes.get(2).message()).contains("back at rain/2 before the open window closed");
            feed(m.monitor(), r, 5, 190 + 200);
            assertThat(windows).hasSize(4);
            assertThat(windows.subList(2, 4)).allSatisfy(w -> assertThat(w.profileVersion()).isEqualTo(v2.ref()));
        }
    }

    @Test
    void aVersionWithoutAProfileIsSaidLoudlyAndTheWindowsSayWhichProfileTheyStillUse() throws Exception {
        ModelVersion v1 = register(profile(0));
        ModelVersion v2 = register(null);
        ModelVersion v3 = register(profile(0, "other"));
        mlops.models().setAlias("rain", "production", 1);
        try (AliasDriftMonitor m = follow(100)) {
            mlops.models().setAlias("rain", "production", 2);
            m.refresh();
            awaitChanges(1);
            AliasDriftMonitor.Change none = changes.get(0);
            assertThat(none.kind()).isEqualTo(AliasDriftMonitor.Change.Kind.NO_PROFILE);
            assertThat(none.message()).contains("rain/2 has no drift profile", "'drift-profile'",
                    "compared with the profile of rain/1");
            feed(m.monitor(), new Random(3), 0, 100);
            assertThat(windows).singleElement().satisfies(w -> {
                assertThat(w.profileVersion()).isEqualTo(v1.ref());
                assertThat(w.aliasVersion()).isEqualTo(v2.ref());
            });
            mlops.models().setAlias("rain", "production", 3);
            m.refresh();
            awaitChanges(2);
            assertThat(changes.get(1).kind()).isEqualTo(AliasDriftMonitor.Change.Kind.UNUSABLE_PROFILE);
            assertThat(changes.get(1).message()).contains("rain/3", "[other]", "[x]");
            assertThat(m.profileVersion()).isEqualTo(v1.ref());
        }
        assertThat(v3.ref()).isEqualTo(new ModelRef.Version("rain", 3));
    }

    @Test
    void aVersionWithoutAProfileDropsASwitchStillWaitingForTheOpenWindow() throws Exception {
        ModelVersion v1 = register(profile(0));
        register(profile(5));
        ModelVersion v3 = register(null);
        mlops.models().setAlias("rain", "production", 1);
        try (AliasDriftMonitor m = follow(100)) {
            feed(m.monitor(), new Random(5), 0, 50);
            mlops.models().setAlias("rain", "production", 2);   // waits for the open window
            m.refresh();
            mlops.models().setAlias("rain", "production", 3);   // no profile: stay on what is in use
            m.refresh();
            awaitChanges(2);
            assertThat(changes.get(1).kind()).isEqualTo(AliasDriftMonitor.Change.Kind.NO_PROFILE);
            assertThat(changes.get(1).message()).contains("compared with the profile of rain/1");
            feed(m.monitor(), new Random(6), 0, 150);
            assertThat(windows).hasSize(2).allSatisfy(w -> {
                assertThat(w.profileVersion()).isEqualTo(v1.ref());
                assertThat(w.aliasVersion()).isEqualTo(v3.ref());
            });
        }
    }

    @Test
    void buildingRefusesAnAliasWhoseVersionHasNoProfileAndAMonitorWithoutWindow() {
        register(null);
        mlops.models().setAlias("rain", "production", 1);
        assertThatThrownBy(() -> follow(10)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("rain@production points at rain/1, which has no drift profile");
        assertThatThrownBy(() -> AliasDriftMonitor.builder(mlops.models(), PROD).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("countWindow");
    }

    @Test
    void slidingWindowsStartOverOnTheNewProfile() {
        register(profile(0));
        ModelVersion v2 = register(profile(5));
        mlops.models().setAlias("rain", "production", 1);
        Random r = new Random(4);
        try (AliasDriftMonitor m = AliasDriftMonitor.builder(mlops.models(), PROD)
                .monitor(b -> b.countWindow(100).slidingSubWindows(4)).listener(windows::add).build()) {
            feed(m.monitor(), r, 5, 150);                 // 6 sub-windows: 3 reports on v1, 1/2 of one open
            mlops.models().setAlias("rain", "production", 2);
            m.refresh();
            feed(m.monitor(), r, 5, 10);                  // the open sub-window closes on v1 (a 4th report)
            int onV1 = windows.size();
            feed(m.monitor(), r, 5, 75);                  // 3 sub-windows on v2: no report yet
            assertThat(windows).hasSize(onV1);
            feed(m.monitor(), r, 5, 25);                  // the 4th: a whole window of v2
            assertThat(windows).hasSize(onV1 + 1);
            assertThat(windows.get(onV1).profileVersion()).isEqualTo(v2.ref());
            assertThat(windows.get(onV1).state().rows()).isEqualTo(100);
            assertThat(windows.subList(0, onV1)).allSatisfy(w -> assertThat(w.profileVersion().number()).isEqualTo(1));
        }
    }

    /**
     * Eight threads observe while another moves the alias back and forth: every window holds
     * exactly its rows, was counted in one profile (its state's digest is that version's
     * profile), and no row is lost.
     */
    @Test
    void movesConcurrentWithTrafficLoseNoRowAndNeverMixProfiles() throws Exception {
        ReferenceProfile p1 = profile(0);
        ReferenceProfile p2 = profile(5);
        register(p1);
        register(p2);
        mlops.models().setAlias("rain", "production", 1);
        int threads = 8;
        int perThread = 20_000;
        int window = 500;
        try (AliasDriftMonitor m = follow(window)) {
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean done = new AtomicBoolean();
            List<Thread> feeders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                Thread th = new Thread(() -> {
                    Random r = new Random(seed);
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    feed(m.monitor(), r, 2.5, perThread);
                });
                feeders.add(th);
                th.start();
            }
            Thread mover = new Thread(() -> {
                int moves = 0;
                while (!done.get() && moves < 400) {
                    mlops.models().setAlias("rain", "production", moves % 2 == 0 ? 2 : 1);
                    m.refresh();
                    moves++;
                    Thread.yield();
                }
            });
            start.countDown();
            mover.start();
            for (Thread th : feeders) {
                th.join(TimeUnit.MINUTES.toMillis(2));
            }
            done.set(true);
            mover.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(windows).hasSize(threads * perThread / window);
            assertThat(windows).allSatisfy(w -> {
                assertThat(w.state().rows()).isEqualTo(window);
                String expected = w.profileVersion().number() == 1 ? p1.sha256() : p2.sha256();
                assertThat(w.profileSha256()).isEqualTo(expected);
                assertThat(w.state().count("x")).isEqualTo(window);
            });
            assertThat(windows.stream().mapToLong(w -> w.state().rows()).sum()).isEqualTo((long) threads * perThread);
            assertThat(m.monitor().listenerFailures()).isZero();
            assertThat(windows.stream().map(w -> w.profileVersion().number()).distinct()).as("both profiles were used")
                    .containsExactlyInAnyOrder(1, 2);
        }
    }
}
