package dev.mlops.registry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.store.Store;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.MetricPoint;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunComparison;
import dev.mlops.api.tracking.RunQuery;
import dev.mlops.api.tracking.RunStatus;
import dev.mlops.api.tracking.Tracking;
import dev.mlops.core.Mlops;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiment tracking over any {@link Store}: runs and their parameters, metric histories,
 * lifecycle, abandoned runs, search, lineage with registered versions, artifacts, and many
 * threads and loggers logging to one run. A backend runs it as it runs
 * {@link RegistryCompatibilityKit}:
 *
 * <pre>{@code
 * class MyStoreRunTrackingTest extends RunTrackingCompatibilityKit {
 *     @Override protected Store createStore(Path dir, Clock clock) { return MyStore.open(dir, clock); }
 * }
 * }</pre>
 */
@DisplayName("Run tracking semantics")
public abstract class RunTrackingCompatibilityKit {
    /** Points a logger buffers before it writes them. */
    protected static final int BATCH = 1000;

    private final TestClock clock = TestClock.fixed(Instant.parse("2026-01-01T00:00:00Z"));
    private Mlops mlops;
    private Tracking tracking;
    /** A scratch directory for the test's own files. */
    @TempDir
    protected Path tmp;
    @TempDir
    private Path storeDir;

    /** For subclasses. */
    protected RunTrackingCompatibilityKit() {
    }

    /**
     * @param dir an empty directory the store may use
     * @param clock the time the store must use for blob times
     * @return a fresh store
     */
    protected abstract Store createStore(Path dir, Clock clock);

    @BeforeEach
    void open() {
        // no heartbeat timer: the kit moves time itself
        mlops = Mlops.builder().store(createStore(storeDir, clock)).clock(clock).actor("alice")
                .metricBatchSize(BATCH).runHeartbeat(Duration.ZERO).build();
        tracking = mlops.tracking();
    }

    @AfterEach
    void close() {
        mlops.close();
    }

    private DatasetVersion trainingData() throws IOException {
        Path csv = tmp.resolve("train.csv");
        Files.writeString(csv, "temp,rain\n1.5,true\n2.0,false\n");
        return mlops.datasets().register("weather", DatasetSource.csv(csv));
    }

    @Test
    @DisplayName("a run records what it started with, and its experiment is created on first use")
    void recordsTheStart() throws IOException {
        DatasetVersion train = trainingData();
        assertThat(tracking.findExperiment("rain")).isEmpty();
        try (ActiveRun run = tracking.startRun("rain", NewRun.builder().name("first try").param("lr", "0.1")
                .tag("team", "weather").input(train.ref()).codeRef("git:abc123").environment("tribuo.version", "4.3.1")
                .build())) {
            assertThat(run.id()).matches(Run.ID);
            Run read = tracking.run(run.id());
            assertThat(read.experiment()).isEqualTo("rain");
            assertThat(read.name()).isEqualTo("first try");
            assertThat(read.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(read.startTime()).isEqualTo(clock.instant());
            assertThat(read.heartbeatAt()).isEqualTo(clock.instant());
            assertThat(read.endTime()).isEmpty();
            assertThat(read.params()).containsExactly(Map.entry("lr", "0.1"));
            assertThat(read.tags()).containsExactly(Map.entry("team", "weather"));
            assertThat(read.inputs()).containsExactly(train.ref());
            assertThat(read.codeRef()).contains("git:abc123");
            assertThat(read.environment().extra()).containsEntry("tribuo.version", "4.3.1");
            assertThat(read.environment().javaVersion()).isEqualTo(System.getProperty("java.version"));
            assertThat(read.creator()).isEqualTo("alice");
        }
        assertThat(tracking.findExperiment("rain")).hasValueSatisfying(e -> {
            assertThat(e.creator()).isEqualTo("alice");
            assertThat(e.createdAt()).isEqualTo(clock.instant());
        });
        tracking.startRun("snow", NewRun.builder().build()).close();
        assertThat(tracking.listExperiments(PageRequest.first(10)).items()).extracting(e -> e.name())
                .containsExactly("rain", "snow");
        assertThat(tracking.findRun("0".repeat(32))).isEmpty();
        assertThatThrownBy(() -> tracking.run("0".repeat(32))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tracking.run("../runs")).isInstanceOf(dev.mlops.api.InvalidNameException.class)
                .hasMessageContaining("32 lower-case hex digits");
    }

    @Test
    @DisplayName("an input dataset version that does not exist is refused before anything is written")
    void refusesMissingInput() {
        assertThatThrownBy(() -> tracking.startRun("rain", NewRun.builder()
                .input(new dev.mlops.api.DatasetRef("weather", 9)).build())).isInstanceOf(NotFoundException.class);
        assertThat(tracking.findExperiment("rain")).isEmpty();
        assertThat(tracking.searchRuns(RunQuery.builder().build()).items()).isEmpty();
    }

    @Test
    @DisplayName("a parameter is written once: the same value again is fine, another value is refused")
    void paramsAreImmutable() {
        try (ActiveRun run = tracking.startRun("rain", NewRun.builder().param("lr", "0.1").build())) {
            run.logParam("lr", "0.1");
            run.logParam("depth", "3");
            assertThatThrownBy(() -> run.logParam("lr", "0.2")).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("'lr'").hasMessageContaining("'0.1'").hasMessageContaining("'0.2'");
            // all or nothing: one conflicting parameter keeps the others out too
            assertThatThrownBy(() -> run.logParams(Map.of("trees", "100", "depth", "4")))
                    .isInstanceOf(ConflictException.class);
            assertThat(tracking.run(run.id()).params()).containsOnly(Map.entry("lr", "0.1"), Map.entry("depth", "3"));
        }
    }

    @Test
    @DisplayName("metric points are kept by step in logging order, and the latest is MLflow's")
    void metricHistory() {
        String id;
        try (ActiveRun run = tracking.startRun("rain", NewRun.builder().build())) {
            id = run.id();
            run.logMetric("loss", 0.9, 0);
            clock.advance(Duration.ofSeconds(1));
            run.logMetric("loss", 0.5, 2);
            clock.advance(Duration.ofSeconds(1));
            // logged last but at an earlier step: not the latest
            run.logMetric("loss", 0.7, 1);
            run.logMetric("f1@0.5", 0.25);
            run.logMetric("f1@0.5", 0.75);
            assertThatThrownBy(() -> run.logMetric("loss", Double.NaN, 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("finite");
            assertThatThrownBy(() -> run.logMetric("loss", 1, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> run.logMetric("bad\u202Ename", 1, 1))
                    .isInstanceOf(dev.mlops.api.InvalidNameException.class);
        }
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(tracking.metricHistory(id, "loss")).containsExactly(new MetricPoint(0, t0, 0.9),
                new MetricPoint(2, t0.plusSeconds(1), 0.5), new MetricPoint(1, t0.plusSeconds(2), 0.7));
        Run run = tracking.run(id);
        assertThat(run.metrics().get("loss")).isEqualTo(new MetricPoint(2, t0.plusSeconds(1), 0.5));
        // same step and time: the greater value, so the answer does not depend on who wrote first
        assertThat(run.metrics().get("f1@0.5").value()).isEqualTo(0.75);
        assertThat(tracking.metricHistory(id, "f1@0.5")).extracting(MetricPoint::value).containsExactly(0.25, 0.75);
        assertThat(tracking.metricHistory(id, "never-logged")).isEmpty();
    }

    @Test
    @DisplayName("points are written when the buffer reaches its bound, and the rest on flush")
    void batching() {
        try (ActiveRun run = tracking.startRun("rain", NewRun.builder().build())) {
            for (int i = 0; i < BATCH - 1; i++) {
                run.logMetric("loss", i, i);
            }
            assertThat(tracking.metricHistory(run.id(), "loss")).as("still buffered").isEmpty();
            run.logMetric("loss", BATCH - 1, BATCH - 1);
            assertThat(tracking.metricHistory(run.id(), "loss")).hasSize(BATCH);
            run.logMetric("loss", BATCH, BATCH);
            assertThat(tracking.metricHistory(run.id(), "loss")).hasSize(BATCH);
            run.flush();
            assertThat(tracking.metricHistory(run.id(), "loss")).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, BATCH).boxed().toList());
            assertThat(tracking.run(run.id()).metrics().get("loss").step()).isEqualTo(BATCH);
        }
    }

    @Test
    @DisplayName("closing ends the run FINISHED; an ended run takes tags but no more params or points")
    void lifecycle() {
        ActiveRun run = tracking.startRun("rain", NewRun.builder().build());
        run.logMetric("loss", 0.5, 1);
        clock.advance(Duration.ofMinutes(3));
        run.close();
        run.close();
        Run ended = tracking.run(run.id());
        assertThat(ended.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(ended.endTime()).contains(clock.instant());
        assertThat(tracking.metricHistory(run.id(), "loss")).hasSize(1);
        assertThatThrownBy(() -> run.logMetric("loss", 1, 2)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> tracking.resumeRun(run.id())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("FINISHED");
        assertThat(tracking.endRun(run.id(), RunStatus.FINISHED).status()).isEqualTo(RunStatus.FINISHED);
        assertThatThrownBy(() -> tracking.endRun(run.id(), RunStatus.FAILED)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already ended FINISHED");
        assertThatThrownBy(() -> tracking.endRun(run.id(), RunStatus.RUNNING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tracking.setRunTag(run.id(), "verdict", "best").tags()).containsEntry("verdict", "best");
        assertThat(mlops.audit().entriesFor(run.id())).extracting(AuditEntry::action)
                .containsExactly("run.start", "run.end");
    }

    @Test
    @DisplayName("a resumed logger adds to the run; closing it leaves the run running")
    void resume() {
        try (ActiveRun starter = tracking.startRun("rain", NewRun.builder().build())) {
            try (ActiveRun other = tracking.resumeRun(starter.id())) {
                other.logMetric("acc", 0.5, 1);
                other.logParam("seed", "7");
            }
            assertThat(tracking.run(starter.id()).status()).isEqualTo(RunStatus.RUNNING);
            assertThat(tracking.run(starter.id()).params()).containsEntry("seed", "7");
            assertThat(tracking.metricHistory(starter.id(), "acc")).hasSize(1);
            starter.end(RunStatus.KILLED);
        }
        assertThat(tracking.searchRuns(RunQuery.builder().build()).items()).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RunStatus.KILLED));
    }

    @Test
    @DisplayName("points buffered when the run is ended elsewhere are refused, not stored after the end")
    void endedElsewhere() {
        ActiveRun run = tracking.startRun("rain", NewRun.builder().build());
        run.logMetric("loss", 0.5, 1);
        tracking.endRun(run.id(), RunStatus.KILLED);
        assertThatThrownBy(run::flush).isInstanceOf(ConflictException.class).hasMessageContaining("KILLED");
        assertThat(tracking.metricHistory(run.id(), "loss")).isEmpty();
        run.close();
        assertThat(tracking.run(run.id()).status()).isEqualTo(RunStatus.KILLED);
    }

    @Test
    @DisplayName("a running run whose heartbeat stopped reads as abandoned and can be marked FAILED")
    void abandoned() {
        ActiveRun dead = tracking.startRun("rain", NewRun.builder().build());
        ActiveRun alive = tracking.startRun("rain", NewRun.builder().build());
        ActiveRun finished = tracking.startRun("rain", NewRun.builder().build());
        finished.close();
        Instant lastBeat = clock.instant();
        clock.advance(Duration.ofMinutes(10));
        alive.heartbeat();
        clock.advance(Duration.ofMinutes(1));
        Duration timeout = Duration.ofMinutes(5);
        assertThat(tracking.run(dead.id()).isAbandoned(clock.instant(), timeout)).isTrue();
        assertThat(tracking.run(alive.id()).isAbandoned(clock.instant(), timeout)).isFalse();
        assertThat(tracking.run(finished.id()).isAbandoned(clock.instant(), timeout)).isFalse();
        assertThat(tracking.searchRuns(RunQuery.builder().filter("attributes.status = 'RUNNING'").build()).items())
                .hasSize(2);

        List<Run> failed = tracking.failAbandoned(timeout);
        assertThat(failed).extracting(Run::id).containsExactly(dead.id());
        Run read = tracking.run(dead.id());
        assertThat(read.status()).isEqualTo(RunStatus.FAILED);
        assertThat(read.endTime()).contains(clock.instant());
        assertThat(read.tags()).containsEntry("mlops.abandoned", lastBeat.toString());
        assertThat(tracking.run(alive.id()).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(tracking.failAbandoned(timeout)).isEmpty();
        alive.close();
    }

    @Test
    @DisplayName("search filters by params, latest metrics and tags, sorts by a metric and pages")
    void search() {
        double[] rmse = {0.7, 0.2, 0.4, 0.1, 0.3};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rmse.length; i++) {
            clock.advance(Duration.ofSeconds(1));
            try (ActiveRun run = tracking.startRun(i == 4 ? "snow" : "rain", NewRun.builder()
                    .param("lr", i % 2 == 0 ? "0.1" : "0.01").tag("team", "x").build())) {
                run.logMetric("rmse", 9, 0);
                run.logMetric("rmse", rmse[i], 5);
                ids.add(run.id());
            }
        }
        tracking.setRunTag(ids.get(2), "team", "y");
        RunQuery.Builder q = RunQuery.builder().filter("metrics.rmse < 0.5 and params.lr = '0.1'")
                .orderBy("metrics.rmse ASC");
        assertThat(tracking.searchRuns(q.build()).items()).extracting(Run::id).containsExactly(ids.get(4), ids.get(2));
        assertThat(tracking.searchRuns(q.experiment("rain").build()).items()).extracting(Run::id)
                .containsExactly(ids.get(2));
        assertThat(tracking.searchRuns(RunQuery.builder().filter("tags.team = 'x'").orderBy("metrics.rmse DESC")
                .build()).items()).extracting(Run::id).containsExactly(ids.get(0), ids.get(4), ids.get(1), ids.get(3));

        // pages of two over all five, newest first by default
        List<String> seen = new ArrayList<>();
        Page<Run> page = tracking.searchRuns(RunQuery.builder().page(PageRequest.first(2)).build());
        seen.addAll(page.items().stream().map(Run::id).toList());
        while (page.hasNext()) {
            page = tracking.searchRuns(RunQuery.builder().page(PageRequest.after(page.nextPageToken().get(), 2)).build());
            seen.addAll(page.items().stream().map(Run::id).toList());
        }
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThatThrownBy(() -> tracking.searchRuns(RunQuery.builder().page(PageRequest.after("x1", 2)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one returned by searchRuns");
    }

    @Test
    @DisplayName("compare: params side by side with the differing ones, latest metrics, one metric aligned by step")
    void compare() {
        String a;
        String b;
        String c;
        try (ActiveRun run = tracking.startRun("rain", NewRun.builder().param("lr", "0.1").param("epochs", "3").build())) {
            a = run.id();
            run.logMetric("loss", 0.9, 0);
            run.logMetric("loss", 0.6, 1);
            run.logMetric("loss", 0.4, 2);
            run.logMetric("auc", 0.8, 2);
        }
        clock.advance(Duration.ofSeconds(1));
        try (ActiveRun run = tracking.startRun("rain", NewRun.builder().param("lr", "0.01").param("epochs", "3")
                .param("seed", "7").build())) {
            b = run.id();
            run.logMetric("loss", 0.8, 0);
            run.logMetric("loss", 0.7, 2);
            clock.advance(Duration.ofSeconds(1));
            // logged again at step 2, later: the curve shows the later point
            run.logMetric("loss", 0.5, 2);
        }
        try (ActiveRun run = tracking.startRun("snow", NewRun.builder().param("lr", "0.1").param("epochs", "3").build())) {
            c = run.id();
        }

        RunComparison cmp = tracking.compareRuns(List.of(b, a, c), Optional.of("loss"));
        assertThat(cmp.runs()).extracting(Run::id).containsExactly(b, a, c);
        assertThat(cmp.params()).extracting(RunComparison.ParamRow::key).containsExactly("epochs", "lr", "seed");
        assertThat(cmp.params().get(0).values()).containsOnly(Optional.of("3"));
        assertThat(cmp.params().get(0).differs()).isFalse();
        assertThat(cmp.params().get(1).values()).containsExactly(Optional.of("0.01"), Optional.of("0.1"),
                Optional.of("0.1"));
        assertThat(cmp.params().get(2).values()).containsExactly(Optional.of("7"), Optional.empty(), Optional.empty());
        assertThat(cmp.differingParams()).extracting(RunComparison.ParamRow::key).containsExactly("lr", "seed");

        assertThat(cmp.metrics()).extracting(RunComparison.MetricRow::key).containsExactly("auc", "loss");
        assertThat(cmp.metrics().get(0).latest().get(1)).map(MetricPoint::value).contains(0.8);
        assertThat(cmp.metrics().get(0).latest().get(0)).isEmpty();
        assertThat(cmp.metrics().get(1).latest()).extracting(p -> p.map(MetricPoint::value))
                .containsExactly(Optional.of(0.5), Optional.of(0.4), Optional.empty());

        RunComparison.AlignedMetric loss = cmp.history().orElseThrow();
        assertThat(loss.key()).isEqualTo("loss");
        assertThat(loss.steps()).extracting(RunComparison.StepRow::step).containsExactly(0L, 1L, 2L);
        assertThat(loss.steps().get(0).values()).containsExactly(OptionalDouble.of(0.8), OptionalDouble.of(0.9),
                OptionalDouble.empty());
        assertThat(loss.steps().get(1).values()).containsExactly(OptionalDouble.empty(), OptionalDouble.of(0.6),
                OptionalDouble.empty());
        assertThat(loss.steps().get(2).values()).containsExactly(OptionalDouble.of(0.5), OptionalDouble.of(0.4),
                OptionalDouble.empty());
        assertThat(tracking.compareRuns(List.of(a, b), Optional.empty()).history()).isEmpty();
        assertThat(tracking.compareRuns(List.of(a, b), Optional.of("never-logged")).history().orElseThrow().steps())
                .isEmpty();

        String unknown = "0".repeat(32);
        assertThatThrownBy(() -> tracking.compareRuns(List.of(a, unknown), Optional.empty()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(unknown);
        assertThatThrownBy(() -> tracking.compareRuns(List.of(a, b, a), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run " + a + " is given twice");
        assertThatThrownBy(() -> tracking.compareRuns(List.of(a), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= RunComparison.MAX_RUNS; i++) {
            tooMany.add(String.format("%032x", i + 1));
        }
        assertThatThrownBy(() -> tracking.compareRuns(tooMany, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most " + RunComparison.MAX_RUNS);
        assertThatThrownBy(() -> tracking.compareRuns(List.of(a, "nope"), Optional.empty()))
                .isInstanceOf(dev.mlops.api.InvalidNameException.class);
        assertThatThrownBy(() -> tracking.compareRuns(List.of(a, b), Optional.of("bad\u202Ename")))
                .isInstanceOf(dev.mlops.api.InvalidNameException.class);
    }

    @Test
    @DisplayName("a version registered from a run names the run, and the run lists the version")
    void lineageBothWays() {
        String id;
        try (ActiveRun run = tracking.startRun("rain", NewRun.builder().build())) {
            id = run.id();
        }
        ModelVersion v = mlops.models().register("rain", NewModelVersion.builder()
                .artifact(Artifact.bytes("m.bin", new byte[] {1})).fromRun(id).build());
        assertThat(v.lineage().run()).contains(id);
        assertThat(mlops.models().version("rain", 1).lineage().run()).contains(id);
        assertThat(tracking.run(id).models()).containsExactly(new ModelRef.Version("rain", 1));

        String unknown = "f".repeat(32);
        assertThatThrownBy(() -> mlops.models().register("rain", NewModelVersion.builder()
                .artifact(Artifact.bytes("m.bin", new byte[] {2})).fromRun(unknown).build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(unknown);
        assertThat(mlops.models().model("rain").latestVersion()).isEqualTo(1);
    }

    @Test
    @DisplayName("a run's artifacts are stored, read back verified, kept by garbage collection and written once")
    void artifacts() throws IOException {
        byte[] matrix = "tp,fp\n1,2\n".getBytes(StandardCharsets.UTF_8);
        String id;
        try (ActiveRun run = tracking.startRun("rain", NewRun.builder().build())) {
            id = run.id();
            run.logArtifact("confusion-matrix", Artifact.bytes("matrix.csv", matrix));
            run.logArtifact("confusion-matrix", Artifact.bytes("matrix.csv", matrix));
            assertThatThrownBy(() -> run.logArtifact("confusion-matrix", Artifact.bytes("matrix.csv", new byte[] {1})))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("confusion-matrix");
        }
        assertThat(tracking.run(id).artifacts()).containsOnlyKeys("confusion-matrix");
        mlops.collectGarbage(Duration.ZERO);
        try (InputStream in = tracking.openArtifact(id, "confusion-matrix", "matrix.csv")) {
            assertThat(in.readAllBytes()).isEqualTo(matrix);
        }
        assertThatThrownBy(() -> tracking.openArtifact(id, "other", "matrix.csv")).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("8 threads x 10,000 points through shared and separate loggers: all stored, in order per key")
    void concurrentLogging() throws Exception {
        int threads = 8;
        int points = 10_000;
        ActiveRun starter = tracking.startRun("rain", NewRun.builder().build());
        List<ActiveRun> loggers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            // half share the starter's logger, half have their own, as other processes would
            loggers.add(t % 2 == 0 ? starter : tracking.resumeRun(starter.id()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                ActiveRun logger = loggers.get(t);
                done.add(pool.submit(() -> {
                    for (int step = 0; step < points; step++) {
                        logger.logMetric("t" + thread, step, step);
                        logger.logMetric("loss", thread * 1_000_000 + step, step);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (ActiveRun l : loggers) {
            l.close();
        }
        assertThat(tracking.run(starter.id()).status()).isEqualTo(RunStatus.FINISHED);
        for (int t = 0; t < threads; t++) {
            List<MetricPoint> own = tracking.metricHistory(starter.id(), "t" + t);
            assertThat(own).hasSize(points);
            for (int i = 0; i < points; i++) {
                assertThat(own.get(i).step()).isEqualTo(i);
            }
            assertThat(tracking.run(starter.id()).metrics().get("t" + t).step()).isEqualTo(points - 1);
        }
        List<MetricPoint> shared = tracking.metricHistory(starter.id(), "loss");
        assertThat(shared).hasSize(threads * points);
        int[] next = new int[threads];
        for (MetricPoint p : shared) {
            int thread = (int) (p.value() / 1_000_000);
            assertThat((long) p.value() % 1_000_000).as("thread %d's points of loss in order", thread)
                    .isEqualTo(next[thread]);
            next[thread]++;
        }
        assertThat(next).containsOnly(points);
    }
}
