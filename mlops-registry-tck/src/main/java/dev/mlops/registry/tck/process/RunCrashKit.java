package dev.mlops.registry.tck.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.IntegrityReport;
import dev.mlops.api.tracking.MetricPoint;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunStatus;
import dev.mlops.api.tracking.Tracking;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs ({@link RunLoggingWorker}) log metric points and parameters to a run each and are
 * killed with SIGKILL while they log, most often in the middle of a batch. Afterwards every run
 * document reads whole, every point a child reported flushed is stored, each metric's history
 * is a gap-free prefix of what was logged, in order, with no point twice, and the run reads as
 * abandoned once its heartbeat is older than the timeout, and is marked failed. Bounded by the
 * number of kills, never by wall time.
 *
 * <pre>{@code
 * class RunCrashTest extends RunCrashKit {
 *     @Override protected StoreConfig createStore(Path dir) {
 *         return new StoreConfig("fs", Map.of("path", dir.toString()));
 *     }
 * }
 * }</pre>
 */
public abstract class RunCrashKit extends ProcessKit {
    /** The timeout after which a silent run is abandoned. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** For subclasses. */
    protected RunCrashKit() {
    }

    /** @return how many children are started and killed */
    protected int kills() {
        return Integer.getInteger("mlops.process.run-kills", 6);
    }

    /** @return the seed of every random choice; {@code -Dmlops.process.seed} overrides it */
    protected long seed() {
        return Long.getLong("mlops.process.seed", 20_240_611L);
    }

    private record Outcome(String runId, long lastFlushed, long lastParam, boolean killedAlive) {
    }

    @Test
    @DisplayName("a killed logger leaves its run whole, its reported points stored in order, and detectably abandoned")
    void killedLoggersLeaveWholeAbandonedRuns(@TempDir Path tmp) throws Exception {
        StoreConfig store = createStore(Files.createDirectories(tmp.resolve("store")));
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Random rnd = new Random(seed());
        List<Outcome> outcomes = new ArrayList<>();
        for (int k = 0; k < kills(); k++) {
            outcomes.add(runAndKill(store, logs, k, rnd));
        }
        assertThat(outcomes).allSatisfy(o -> assertThat(o.killedAlive()).as("killed while running").isTrue());

        // the children used the system clock; an hour later every one of their runs is silent
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        try (Mlops mlops = Mlops.builder().store(store.open()).clock(later).runHeartbeat(Duration.ZERO).build()) {
            Tracking tracking = mlops.tracking();
            long points = 0;
            for (Outcome o : outcomes) {
                Run run = tracking.run(o.runId());
                assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
                assertThat(run.isAbandoned(later.instant(), TIMEOUT)).as("run %s abandoned", o.runId()).isTrue();
                assertThat(run.isAbandoned(run.heartbeatAt().plusSeconds(1), TIMEOUT)).isFalse();
                for (String key : List.of("loss", "acc")) {
                    List<MetricPoint> history = tracking.metricHistory(o.runId(), key);
                    for (int i = 0; i < history.size(); i++) {
                        assertThat(history.get(i).step()).as("%s of %s: a gap-free prefix, in order", key, o.runId())
                                .isEqualTo(i);
                        assertThat(history.get(i).value()).isEqualTo(i);
                    }
                    assertThat((long) history.size() - 1).as("%s of %s holds every point reported flushed", key,
                            o.runId()).isGreaterThanOrEqualTo(o.lastFlushed());
                    MetricPoint latest = run.metrics().get(key);
                    if (latest != null) {
                        // the run document follows the chunks: it may lag a batch stored just before the kill
                        assertThat(latest.step()).isLessThan(history.size());
                    }
                    points += history.size();
                }
                for (long p = 0; p <= o.lastParam(); p += 97) {
                    assertThat(run.params()).containsEntry("p" + p, Long.toString(p));
                }
            }
            System.out.printf("run crash test (%s): %d loggers killed, %d points stored%n", store.provider(),
                    outcomes.size(), points);

            List<Run> failed = tracking.failAbandoned(TIMEOUT);
            assertThat(failed).extracting(Run::id)
                    .containsExactlyInAnyOrderElementsOf(outcomes.stream().map(Outcome::runId).toList());
            assertThat(failed).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(RunStatus.FAILED);
                assertThat(r.tags()).containsKey("mlops.abandoned");
            });
            IntegrityReport report = mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
            assertThat(report.ok()).as("verify after the kills: %s", report.problems()).isTrue();
            assertThat(mlops.audit().verify().ok()).isTrue();
        }
    }

    private Outcome runAndKill(StoreConfig store, Path logs, int k, Random rnd) throws Exception {
        int batch = 16 + rnd.nextInt(200);
        ChildJvm child = ChildJvm.start(RunLoggingWorker.class, logs.resolve("run-worker-" + k + ".err"),
                forChild(store, "run-crash-" + k).args(Integer.toString(batch), Integer.toString(50 + rnd.nextInt(100))));
        int started = child.awaitLine(0, l -> l.startsWith("RUN ") || l.startsWith("ERROR"), 120_000);
        if (started < 0 || child.lines().get(started).startsWith("ERROR")) {
            child.kill();
            throw new AssertionError("worker " + k + " did not start a run: " + child.lines() + ", stderr in "
                    + child.stderr());
        }
        // let it flush a few times, then kill it at a random moment, often inside a batch write
        int flushes = 1 + rnd.nextInt(8);
        int from = started;
        for (int i = 0; i < flushes; i++) {
            int at = child.awaitLine(from, l -> l.startsWith("FLUSHED") || l.startsWith("ERROR"), 120_000);
            if (at < 0 || child.lines().get(at).startsWith("ERROR")) {
                child.kill();
                throw new AssertionError("worker " + k + " failed: " + child.lines() + ", stderr in " + child.stderr());
            }
            from = at + 1;
        }
        LockSupport.parkNanos(rnd.nextInt(20_000) * 1000L);
        boolean alive = child.kill();
        List<String> lines = child.lines();
        assertThat(lines).as("worker %d's report", k).noneMatch(l -> l.startsWith("ERROR"));
        String runId = lines.get(started).substring(4);
        long lastFlushed = -1;
        long lastParam = -1;
        for (String l : lines) {
            if (l.startsWith("FLUSHED ")) {
                lastFlushed = Long.parseLong(l.substring(8));
            } else if (l.startsWith("PARAM ")) {
                lastParam = Long.parseLong(l.substring(6));
            }
        }
        return new Outcome(runId, lastFlushed, lastParam, alive);
    }
}
