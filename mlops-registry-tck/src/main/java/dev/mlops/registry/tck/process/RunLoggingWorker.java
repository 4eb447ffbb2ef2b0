package dev.mlops.registry.tck.process;

import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.core.Mlops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

/**
 * A child JVM started by {@link RunCrashKit}: starts a run and logs to it until it is killed,
 * reporting on stdout, one line per event, each written after the call returned:
 *
 * <pre>
 * RUN &lt;run id&gt;              (after startRun returned)
 * PARAM &lt;step&gt;              (after logParam("p&lt;step&gt;", "&lt;step&gt;") returned)
 * FLUSHED &lt;step&gt;            (after flush returned: every point up to this step is stored)
 * ERROR &lt;exception&gt;         (unexpected failure, then exit 1)
 * </pre>
 *
 * At every step it logs {@code loss} and {@code acc}, both with the step as value; its logger
 * writes a batch every {@code batch} points on its own, and it flushes every {@code flushEvery}
 * steps. Arguments: the store's ({@link StoreConfig#toArgs()}), then {@code <batch> <flushEvery>}.
 * The heartbeat timer is off, so the run's heartbeat is the time of its last write.
 */
public final class RunLoggingWorker {
    /** The experiment the workers' runs belong to. */
    public static final String EXPERIMENT = "crash";

    private RunLoggingWorker() {
    }

    /** @param args the store's arguments, the batch size and the flush interval in steps */
    public static void main(String[] args) {
        StoreConfig config = StoreConfig.fromArgs(args);
        String[] rest = StoreConfig.rest(args);
        int batch = Integer.parseInt(rest[0]);
        int flushEvery = Integer.parseInt(rest[1]);
        try (Mlops mlops = Mlops.builder().store(config.open()).actor("run-worker").metricBatchSize(batch)
                .runHeartbeat(Duration.ZERO).build()) {
            ActiveRun run = mlops.tracking().startRun(EXPERIMENT, NewRun.builder().param("batch", rest[0]).build());
            RegistrationWorker.emit("RUN " + run.id());
            for (long step = 0; ; step++) {
                run.logMetric("loss", step, step);
                run.logMetric("acc", step, step);
                if (step % 97 == 0) {
                    run.logParam("p" + step, Long.toString(step));
                    RegistrationWorker.emit("PARAM " + step);
                }
                if (step % flushEvery == flushEvery - 1) {
                    run.flush();
                    RegistrationWorker.emit("FLUSHED " + step);
                }
            }
        } catch (RuntimeException | Error e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            RegistrationWorker.emit("ERROR " + sw.toString().replace('\n', '|'));
            System.exit(1);
        }
    }
}
