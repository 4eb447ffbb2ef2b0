package dev.mlops.it;

import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.core.Mlops;
import dev.mlops.registry.tck.process.StoreConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One process of {@link SharedRunProcessesTest}: opens the store, joins the run the test started
 * ({@code resumeRun}), prints {@code READY}, waits for the test's go file so that every process
 * logs at the same time, then logs {@code points} steps: at step j the metric {@code own_<p>}
 * with value j, and the metric {@code shared} with value {@code p * 1,000,000 + j}, so a stored
 * point of the shared key tells which process logged it and in which position. It flushes every
 * {@code flushEvery} steps besides the logger's own batches, closes its logger (which leaves the
 * run running) and prints {@code DONE <points>}.
 *
 * <p>Arguments: the store's ({@link StoreConfig#toArgs()}), then
 * {@code <runId> <process> <points> <batch> <flushEvery> <goFile>}.
 */
public final class SharedRunWorker {
    static final String SHARED = "shared";
    static final long PROCESS_STRIDE = 1_000_000L;
    /** Waits for the go file: a guard against a test that died, not a timing. */
    private static final int GO_POLLS = 120_000;

    private SharedRunWorker() {
    }

    static String own(int process) {
        return "own_" + process;
    }

    /** @param args the store's arguments, then run id, process number, points, batch size, flush interval, go file */
    public static void main(String[] args) {
        StoreConfig config = StoreConfig.fromArgs(args);
        String[] rest = StoreConfig.rest(args);
        String runId = rest[0];
        int process = Integer.parseInt(rest[1]);
        int points = Integer.parseInt(rest[2]);
        int batch = Integer.parseInt(rest[3]);
        int flushEvery = Integer.parseInt(rest[4]);
        Path go = Path.of(rest[5]);
        try (Mlops mlops = Mlops.builder().store(config.open()).actor("process-" + process).metricBatchSize(batch)
                .runHeartbeat(Duration.ZERO).build();
             ActiveRun run = mlops.tracking().resumeRun(runId)) {
            System.out.println("READY");
            System.out.flush();
            for (int i = 0; i < GO_POLLS && !Files.exists(go); i++) {
                Thread.sleep(1);
            }
            if (!Files.exists(go)) {
                System.out.println("ERROR no go file " + go);
                System.exit(2);
            }
            for (int j = 0; j < points; j++) {
                run.logMetric(own(process), j, j);
                run.logMetric(SHARED, process * PROCESS_STRIDE + j, j);
                if (j % flushEvery == flushEvery - 1) {
                    run.flush();
                }
            }
        } catch (Exception | Error e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            System.out.println("ERROR " + sw.toString().replace('\n', '|'));
            System.exit(1);
        }
        System.out.println("DONE " + points);
    }
}
