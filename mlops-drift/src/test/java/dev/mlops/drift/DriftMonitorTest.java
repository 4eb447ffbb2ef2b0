package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.serving.InputObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Monitor windows, alerts, concurrency and exact merging, with a manual clock. */
class DriftMonitorTest {

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        final AtomicLong millis;

        ManualClock(long start) {
            millis = new AtomicLong(start);
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        void set(long m) {
            millis.set(m);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    /** Reference: x ~ N(0, 1), y ~ U(0, 10), c in {a, b, c}, flag yes/no; 2,000 rows. */
    static ReferenceProfile profile() {
        Random r = new Random(5);
        int n = 2000;
        double[] x = new double[n];
        double[] y = new double[n];
        String[] c = new String[n];
        String[] f = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
            y[i] = r.nextDouble() * 10;
            c[i] = "abc".substring(i % 3, i % 3 + 1);
            f[i] = r.nextBoolean() ? "yes" : "no";
        }
        return ReferenceProfile.of(Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE), new Field("y", FieldType.DOUBLE),
                new Field("c", FieldType.STRING), new Field("flag", FieldType.STRING)), List.of(x, y, c, f)));
    }

    static final ReferenceProfile PROFILE = profile();

    /** Rows like the reference (shift 0) or drifted. */
    static final class Rows {
        final Random r;
        final double shift;

        Rows(long seed, double shift) {
            r = new Random(seed);
            this.shift = shift;
        }

        void next(double[] num, String[] cat) {
            num[0] = r.nextGaussian() + shift;
            num[1] = r.nextDouble() * 10 + shift;
            cat[0] = shift > 0 ? "a" : String.valueOf("abc".charAt(r.nextInt(3)));
            cat[1] = r.nextBoolean() ? "yes" : "no";
        }
    }

    static void feed(DriftMonitor m, Rows rows, int n) {
        double[] num = new double[2];
        String[] cat = new String[2];
        for (int i = 0; i < n; i++) {
            rows.next(num, cat);
            m.observe(num, cat);
        }
    }

    record Closed(DriftReport report, WindowState state) {
    }

    static List<Closed> collector(DriftMonitor.Builder b) {
        List<Closed> out = Collections.synchronizedList(new ArrayList<>());
        b.listener((r, s) -> out.add(new Closed(r, s)));
        return out;
    }

    @Test
    void countTumblingWindowsHoldExactlyTheirSize() {
        ManualClock clock = new ManualClock(1_000);
        DriftMonitor.Builder b = DriftMonitor.builder(PROFILE).countWindow(100).clock(clock);
        List<Closed> closed = collector(b);
        DriftMonitor m = b.build();
        assertThat(m.numericalColumns()).containsExactly("x", "y");
        assertThat(m.categoricalColumns()).containsExactly("c", "flag");
        Rows rows = new Rows(1, 0);
        feed(m, rows, 60);
        clock.advance(Duration.ofSeconds(5));
        feed(m, rows, 190);
        assertThat(closed).hasSize(2);
        assertThat(closed.get(0).report().currentRows()).isEqualTo(100);
        assertThat(closed.get(0).report().window().orElseThrow())
                .isEqualTo(new DriftReport.Window(Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(6_000), 1));
        assertThat(closed.get(1).report().window().orElseThrow().sequence()).isEqualTo(2);
        assertThat(closed.get(1).state().count("x")).isEqualTo(100);
        assertThat(m.snapshot().rows()).isEqualTo(50);
        m.closeWindow();
        assertThat(closed).hasSize(3);
        assertThat(closed.get(2).report().currentRows()).isEqualTo(50);
        assertThat(m.observed()).isEqualTo(250);
    }

    @Test
    void countSlidingWindowsReportEverySubWindowOnceFull() {
        DriftMonitor.Builder b = DriftMonitor.builder(PROFILE).countWindow(100).slidingSubWindows(4).clock(new ManualClock(0));
        List<Closed> closed = collector(b);
        DriftMonitor m = b.build();
        feed(m, new Rows(2, 0), 75);
        assertThat(closed).isEmpty();
        assertThat(m.snapshot().rows()).isEqualTo(75);
        feed(m, new Rows(3, 0), 125);
        assertThat(closed).hasSize(5); // sub-windows 4..8
        assertThat(closed).allSatisfy(c -> assertThat(c.report().currentRows()).isEqualTo(100));
        // the last window is rows 100..199: shift the next 25 rows and only the windows that hold them change
        feed(m, new Rows(4, 3), 25);
        assertThat(closed).hasSize(6);
        assertThat(closed.get(5).state().count("x")).isEqualTo(100);
        assertThat(closed.get(5).state().categoryCounts("c").get("a")).isGreaterThanOrEqualTo(25);
    }

    @Test
    void timeTumblingWindowsAreAlignedAndSkipEmptyOnes() {
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:30Z").toEpochMilli());
        DriftMonitor.Builder b = DriftMonitor.builder(PROFILE).timeWindow(Duration.ofMinutes(1)).clock(clock);
        List<Closed> closed = collector(b);
        DriftMonitor m = b.build();
        feed(m, new Rows(5, 0), 40);
        clock.advance(Duration.ofSeconds(20));
        feed(m, new Rows(6, 0), 10);
        assertThat(closed).isEmpty();
        clock.advance(Duration.ofSeconds(10)); // 10:01:00: the window [10:00, 10:01) ends
        m.tick();
        assertThat(closed).hasSize(1);
        DriftReport.Window w = closed.get(0).report().window().orElseThrow();
        assertThat(w.start()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(w.end()).isEqualTo(Instant.parse("2024-05-01T10:01:00Z"));
        assertThat(closed.get(0).report().currentRows()).isEqualTo(50);
        clock.advance(Duration.ofMinutes(30)); // nothing observed for 30 minutes
        feed(m, new Rows(7, 0), 5);
        m.tick();
        assertThat(closed).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        m.tick();
        assertThat(closed).hasSize(2);
        assertThat(closed.get(1).report().window().orElseThrow().start()).isEqualTo(Instant.parse("2024-05-01T10:31:00Z"));
        assertThat(closed.get(1).report().window().orElseThrow().sequence()).isEqualTo(2);
    }

    @Test
    void timeSlidingWindowsCoverTheLastSubWindows() {
        ManualClock clock = new ManualClock(0);
        DriftMonitor.Builder b = DriftMonitor.builder(PROFILE).timeWindow(Duration.ofMinutes(4)).slidingSubWindows(4).clock(clock);
        List<Closed> closed = collector(b);
        DriftMonitor m = b.build();
        for (int minute = 0; minute < 6; minute++) {
            feed(m, new Rows(minute, 0), 10 * (minute + 1));
            clock.advance(Duration.ofMinutes(1));
        }
        m.tick();
        // sub-windows closed at minutes 1..6; reports once 4 have closed: windows ending at 4, 5, 6
        assertThat(closed).hasSize(3);
        assertThat(closed.get(0).report().currentRows()).isEqualTo(10 + 20 + 30 + 40);
        assertThat(closed.get(2).report().currentRows()).isEqualTo(30 + 40 + 50 + 60);
        DriftReport.Window w = closed.get(2).report().window().orElseThrow();
        assertThat(w.start()).isEqualTo(Instant.ofEpochMilli(Duration.ofMinutes(2).toMillis()));
        assertThat(w.end()).isEqualTo(Instant.ofEpochMilli(Duration.ofMinutes(6).toMillis()));
        assertThat(m.snapshot().rows()).isEqualTo(40 + 50 + 60);
    }

    @Test
    void alertsNeedConsecutiveDriftedWindowsAndRespectTheCooldown() {
        ManualClock clock = new ManualClock(0);
        List<Long> alerts = new ArrayList<>();
        DriftMonitor.Builder b = DriftMonitor.builder(PROFILE).countWindow(1_000).clock(clock)
                .onDrift(2, Duration.ofMinutes(10), r -> alerts.add(r.window().orElseThrow().sequence()));
        List<Closed> closed = collector(b);
        DriftMonitor m = b.build();
        // windows:            1      2     3      4      5      6      7      8
        boolean[] drifted = {true, false, true, true, true, true, false, true};
        long[] minutes = {1, 1, 1, 1, 5, 12, 1, 1};
        int seed = 10;
        for (int i = 0; i < drifted.length; i++) {
            clock.advance(Duration.ofMinutes(minutes[i]));
            feed(m, new Rows(seed++, drifted[i] ? 2 : 0), 1_000);
        }
        assertThat(closed).extracting(c -> c.report().datasetDrift()).containsExactly(true, false, true, true, true, true, false, true);
        // window 4 completes two in a row (fires); 5 is 5 min later (cooldown); 6 is 17 min after 4 (fires); 8 follows a clean 7
        assertThat(alerts).containsExactly(4L, 6L);
    }

    @Test
    void eightThreadsCountExactly() throws Exception {
        int threads = 8;
        int perThread = 100_000;
        DriftMonitor.Builder b = DriftMonitor.builder(PROFILE).countWindow(1_000).stripes(4).clock(new ManualClock(0));
        List<Closed> closed = collector(b);
        DriftMonitor m = b.build();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            String category = "t" + t; // unknown to the profile: counted as "other"
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    double[] num = new double[2];
                    String[] cat = new String[2];
                    for (int i = 0; i < perThread; i++) {
                        num[0] = i % 10 == 0 ? Double.NaN : id;
                        num[1] = i;
                        cat[0] = id % 2 == 0 ? "a" : category;
                        cat[1] = null;
                        m.observe(num, cat);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        assertThat(errors).isEmpty();
        assertThat(m.observed()).isEqualTo((long) threads * perThread);
        assertThat(closed).hasSize(threads * perThread / 1_000);
        assertThat(closed).allSatisfy(c -> assertThat(c.state().rows()).isEqualTo(1_000));
        long xCount = 0;
        long xMissing = 0;
        long a = 0;
        long other = 0;
        long flagMissing = 0;
        for (Closed c : closed) {
            xCount += c.state().count("x");
            xMissing += c.state().missing("x");
            Map<String, Long> cc = c.state().categoryCounts("c");
            a += cc.get("a");
            other += cc.get(ReferenceProfile.OTHER);
            flagMissing += c.state().missing("flag");
        }
        assertThat(xMissing).isEqualTo(threads * perThread / 10);
        assertThat(xCount).isEqualTo(threads * perThread * 9L / 10);
        assertThat(a).isEqualTo(4L * perThread);
        assertThat(other).isEqualTo(4L * perThread);
        assertThat(flagMissing).isEqualTo((long) threads * perThread);
        assertThat(m.snapshot().rows()).isZero();
    }

    @Test
    void fourMergedMonitorsGiveTheReportOfOne() {
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T00:00:00Z").toEpochMilli());
        List<Closed> whole = new ArrayList<>();
        DriftMonitor one = DriftMonitor.builder(PROFILE).timeWindow(Duration.ofHours(1)).clock(clock)
                .listener((r, s) -> whole.add(new Closed(r, s))).build();
        List<List<Closed>> parts = new ArrayList<>();
        List<DriftMonitor> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<Closed> out = new ArrayList<>();
            parts.add(out);
            four.add(DriftMonitor.builder(PROFILE).timeWindow(Duration.ofHours(1)).clock(clock)
                    .listener((r, s) -> out.add(new Closed(r, s))).build());
        }
        Rows rows = new Rows(99, 0);
        Random route = new Random(3);
        double[] num = new double[2];
        String[] cat = new String[2];
        for (int i = 0; i < 20_000; i++) {
            rows.next(num, cat);
            if (i > 15_000) {
                num[0] += 0.4; // a late shift so that some columns drift
                cat[0] = "b";
            }
            if (i % 97 == 0) {
                num[1] = Double.NaN;
            }
            if (i % 1013 == 0) {
                num[0] = Double.POSITIVE_INFINITY;
            }
            one.observe(num, cat);
            four.get(route.nextInt(4)).observe(num, cat);
        }
        clock.advance(Duration.ofHours(1));
        one.tick();
        four.forEach(DriftMonitor::tick);
        assertThat(whole).hasSize(1);
        WindowState merged = parts.get(0).get(0).state();
        for (int i = 1; i < 4; i++) {
            assertThat(parts.get(i)).hasSize(1);
            merged = merged.merge(WindowState.fromJson(parts.get(i).get(0).state().toJson(), PROFILE));
        }
        assertThat(merged).isEqualTo(whole.get(0).state());
        DriftReport fromMerge = one.report(merged);
        DriftReport single = whole.get(0).report();
        assertThat(fromMerge).isEqualTo(single); // every column, statistic, bound and verdict, bit for bit
        assertThat(single.driftedColumns()).isNotEmpty();
        ColumnDrift x = single.column("x").orElseThrow();
        assertThat(x.method()).isEqualTo("wasserstein_norm");
        assertThat(x.errorBound()).isPresent();
    }

    @Test
    void observerAdapterFillsPerThreadRowsAndNeverThrows() {
        DriftMonitor m = DriftMonitor.builder(PROFILE).countWindow(1_000).clock(new ManualClock(0)).build();
        InputObserver<double[]> obs = m.observer((in, num, cat) -> {
            if (in.length == 0) {
                throw new IllegalStateException("bad input");
            }
            num[0] = in[0];
            cat[0] = "b"; // y and flag stay missing
        });
        obs.observe(new double[] {0.5});
        obs.observe(new double[] {1.5});
        obs.observe(new double[0]);
        WindowState s = m.snapshot();
        assertThat(s.rows()).isEqualTo(2);
        assertThat(s.count("x")).isEqualTo(2);
        assertThat(s.missing("y")).isEqualTo(2);
        assertThat(s.missing("flag")).isEqualTo(2);
        assertThat(s.categoryCounts("c").get("b")).isEqualTo(2);
        assertThat(m.observerFailures()).isEqualTo(1);
    }

    @Test
    void listenerFailuresAreCountedNotPropagated() {
        DriftMonitor m = DriftMonitor.builder(PROFILE).countWindow(10).clock(new ManualClock(0))
                .listener((r, s) -> {
                    throw new IllegalStateException("listener bug");
                }).build();
        feed(m, new Rows(1, 0), 25);
        assertThat(m.listenerFailures()).isEqualTo(2);
    }

    @Test
    void builderFailsFast() {
        assertThatThrownBy(() -> DriftMonitor.builder(PROFILE).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("countWindow");
        assertThatThrownBy(() -> DriftMonitor.builder(PROFILE).countWindow(10).timeWindow(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> DriftMonitor.builder(PROFILE).timeWindow(Duration.ofMinutes(1)).countWindow(10))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> DriftMonitor.builder(PROFILE).countWindow(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DriftMonitor.builder(PROFILE).timeWindow(Duration.ofNanos(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DriftMonitor.builder(PROFILE).countWindow(10).slidingSubWindows(3).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("divide");
        assertThatThrownBy(() -> DriftMonitor.builder(PROFILE).onDrift(0, Duration.ZERO, r -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DriftMonitor.builder(PROFILE).countWindow(10)
                .policy(MonitorPolicy.builder().method("c", DriftMethod.KS).build()).build())
                .isInstanceOf(IllegalArgumentException.class);
        DriftMonitor m = DriftMonitor.builder(PROFILE).countWindow(10).build();
        assertThatThrownBy(() -> m.observe(new double[1], new String[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 numerical");
        assertThat(m.windowBytes("x")).isLessThanOrEqualTo(16 * 1024);
    }
}
