package dev.mlops.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.IntegrityReport;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.MetricPoint;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunStatus;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.ChildJvm;
import dev.mlops.registry.tck.process.StoreConfig;
import dev.mlops.api.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/tracking.md says many processes can log to one run. Four child JVMs
 * ({@link SharedRunWorker}) join one run with {@code resumeRun} and log at the same time, each a
 * metric of its own and one metric all four share, with small batches and flushes, so their
 * chunk creations and run-document updates race. Then:
 * <ul>
 *   <li>every point is stored, none twice;</li>
 *   <li><b>order</b>: a metric of one process is stored in the order it was logged; the shared
 *       metric's history, read in stored order, holds each process's points as a subsequence in
 *       the order that process logged them (processes interleave batch by batch, in no promised
 *       order between processes);</li>
 *   <li>nothing is half-written: every chunk reads whole, and the store verifies;</li>
 *   <li>the run document agrees with the chunks: its latest value of each metric is the latest
 *       stored point ({@link MetricPoint#LATEST_ORDER}), whichever process wrote it;</li>
 *   <li>the workers' loggers left the run {@code RUNNING}; the logger that started it ends it
 *       {@code FINISHED}.</li>
 * </ul>
 * On the filesystem store, and on PostgreSQL (skipped without the server binaries, unless
 * {@code CI=true}).
 */
@DisplayName("Several processes log to one run")
class SharedRunProcessesTest {
    static final int PROCESSES = 4;
    static final int POINTS = 600;
    static final int BATCH = 50;
    static final int FLUSH_EVERY = 70;
    static final long HANG_GUARD_MILLIS = 300_000;

    @Test
    @DisplayName("filesystem store: every point stored, in order per process, nothing half-written, status right")
    void fileSystemStore(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("store"));
        check(new StoreConfig("fs", Map.of("path", dir.toString())), tmp);
    }

    @Test
    @ExtendWith(PostgresAvailable.class)
    @DisplayName("PostgreSQL store: every point stored, in order per process, nothing half-written, status right")
    void postgresStore(@TempDir Path tmp) throws Exception {
        PostgresCluster cluster = PostgresCluster.require();
        String schema = cluster.newSchema();
        StoreConfig config = new StoreConfig("postgres", Map.of("url", cluster.url(schema), "user", PostgresCluster.USER));
        config.open().close(); // the tables, once, before the children start together
        check(config, tmp);
    }

    private static void check(StoreConfig config, Path tmp) throws Exception {
        Store store = config.open();
        try (Mlops mlops = Mlops.builder().store(store).actor("test").runHeartbeat(Duration.ZERO).build()) {
            String runId;
            List<ChildJvm> children = new ArrayList<>();
            Path go = tmp.resolve("go");
            try (ActiveRun run = mlops.tracking().startRun("shared", NewRun.builder().name("four processes").build())) {
                runId = run.id();
                for (int p = 0; p < PROCESSES; p++) {
                    children.add(ChildJvm.start(SharedRunWorker.class, tmp.resolve("worker-" + p + ".err"),
                            config.args(runId, Integer.toString(p), Integer.toString(POINTS), Integer.toString(BATCH),
                                    Integer.toString(FLUSH_EVERY), go.toString())));
                }
                for (ChildJvm c : children) {
                    assertThat(c.awaitLine(0, l -> l.equals("READY") || l.startsWith("ERROR"), HANG_GUARD_MILLIS))
                            .as("worker %d ready; stderr in %s; lines %s", c.pid(), c.stderr(), c.lines()).isZero();
                    assertThat(c.lines().get(0)).isEqualTo("READY");
                }
                Files.createFile(go);
                for (ChildJvm c : children) {
                    int exit = c.awaitExit(HANG_GUARD_MILLIS);
                    assertThat(exit).as("worker %d exit; stderr in %s; lines %s", c.pid(), c.stderr(), c.lines()).isZero();
                    assertThat(c.lines()).endsWith("DONE " + POINTS);
                }
                assertThat(mlops.tracking().run(runId).status()).as("the workers' loggers leave the run running")
                        .isEqualTo(RunStatus.RUNNING);
            }
            Run run = mlops.tracking().run(runId);
            assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(run.endTime()).isPresent();

            for (int p = 0; p < PROCESSES; p++) {
                List<MetricPoint> own = mlops.tracking().metricHistory(runId, SharedRunWorker.own(p));
                assertThat(own).as("own_%d: every point, in the order logged", p).hasSize(POINTS);
                for (int j = 0; j < POINTS; j++) {
                    assertThat(own.get(j).step()).isEqualTo(j);
                    assertThat(own.get(j).value()).isEqualTo(j);
                }
                assertThat(run.metrics().get(SharedRunWorker.own(p))).as("latest of own_%d", p)
                        .isEqualTo(own.stream().max(MetricPoint.LATEST_ORDER).orElseThrow());
            }

            List<MetricPoint> shared = mlops.tracking().metricHistory(runId, SharedRunWorker.SHARED);
            assertThat(shared).as("the shared metric: every process's points").hasSize(PROCESSES * POINTS);
            long[] next = new long[PROCESSES];
            int switches = 0;
            int previous = -1;
            for (MetricPoint point : shared) {
                int p = (int) (point.value() / SharedRunWorker.PROCESS_STRIDE);
                long j = (long) point.value() % SharedRunWorker.PROCESS_STRIDE;
                assertThat(p).as("process of %s", point).isBetween(0, PROCESSES - 1);
                assertThat(j).as("process %d's points in its order, none lost or twice before %s", p, point).isEqualTo(next[p]);
                assertThat(point.step()).isEqualTo(j);
                next[p]++;
                switches += p != previous ? 1 : 0;
                previous = p;
            }
            assertThat(next).containsOnly(POINTS);
            System.out.printf("shared metric on %s: %d points stored in %d runs of one process%n", config.provider(),
                    shared.size(), switches);
            assertThat(run.metrics().get(SharedRunWorker.SHARED)).as("latest of the shared metric")
                    .isEqualTo(shared.stream().max(MetricPoint.LATEST_ORDER).orElseThrow());

            IntegrityReport report = mlops.verify(VerifyOptions.check());
            assertThat(report.problems()).as("the store verifies").isEmpty();
        }
    }
}
