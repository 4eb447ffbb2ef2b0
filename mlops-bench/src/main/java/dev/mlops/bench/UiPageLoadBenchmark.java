package dev.mlops.bench;

import dev.mlops.api.store.Store;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import dev.mlops.ui.MlopsUi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading two heavy pages of the web UI (mlops-ui) over HTTP on loopback, as a browser would,
 * from {@code FileSystemStore}s without cache:
 * <ul>
 *   <li>{@code modelPage*}: the page of a model with 10,000 versions ({@link VersionStoreFixture}):
 *   its aliases, the alias timeline (20 moves) and the first page of 50 versions;</li>
 *   <li>{@code runPage*}: the page of a run with 100,000 points of one metric, whose chart is
 *   drawn from at most 1,000 of them (min and max per bucket).</li>
 * </ul>
 * {@code *FirstByte} times the request until the response's headers have arrived (the time to
 * first byte: the server renders a page whole before it answers); {@code *Whole} until the last
 * byte of the body is read. The pages' weights are printed once per fork, on stderr, as
 * {@code [ui] model page: N bytes}. A new connection is not forced: the client keeps one alive,
 * as a browser does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class UiPageLoadBenchmark {
    /** Points of the run's one metric. */
    public static final int POINTS = 100_000;

    private Mlops versions;
    private Mlops runs;
    private Path runDir;
    private MlopsUi.Server versionsUi;
    private MlopsUi.Server runsUi;
    private HttpClient client;
    private URI modelPage;
    private URI runPage;

    /** Opens the 10,000-version store, logs the 100,000-point run into a fresh one, and serves both. */
    @Setup(Level.Trial)
    public void start() throws IOException {
        versions = VersionStoreFixture.open(Duration.ZERO);
        runDir = Files.createTempDirectory("ui-bench-run");
        Store store = FileSystemStore.open(runDir);
        runs = Mlops.builder().store(store).metricBatchSize(10_000).build();
        String id;
        try (ActiveRun run = runs.tracking().startRun("bench", NewRun.builder().name("100k points").build())) {
            id = run.id();
            for (int i = 0; i < POINTS; i++) {
                run.logMetric("loss", 1.0 / (1 + i * 0.001) + 0.01 * Math.sin(i), i);
            }
        }
        versionsUi = MlopsUi.builder(versions).start();
        runsUi = MlopsUi.builder(runs).start();
        client = HttpClient.newHttpClient();
        modelPage = versionsUi.uri().resolve("models/" + VersionStoreFixture.MODEL);
        runPage = runsUi.uri().resolve("runs/" + id);
        System.err.println("[ui] model page (10,000 versions): " + whole(modelPage) + " bytes");
        System.err.println("[ui] run page (" + POINTS + " points): " + whole(runPage) + " bytes");
    }

    /** Stops the servers, closes the stores and deletes the run's store. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        versionsUi.close();
        runsUi.close();
        versions.close();
        runs.close();
        try (Stream<Path> s = Files.walk(runDir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private int firstByte(URI page) {
        try {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(page).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            int status = r.statusCode();
            r.body().close();
            if (status != 200) {
                throw new IllegalStateException(page + " answered " + status);
            }
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int whole(URI page) {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(page + " answered " + r.statusCode());
            }
            return r.body().length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the status, once the headers of the 10,000-version model's page arrived */
    @Benchmark
    public int modelPageFirstByte() {
        return firstByte(modelPage);
    }

    /** @return the bytes of the 10,000-version model's page, read whole */
    @Benchmark
    public int modelPageWhole() {
        return whole(modelPage);
    }

    /** @return the status, once the headers of the 100,000-point run's page arrived */
    @Benchmark
    public int runPageFirstByte() {
        return firstByte(runPage);
    }

    /** @return the bytes of the 100,000-point run's page, read whole */
    @Benchmark
    public int runPageWhole() {
        return whole(runPage);
    }
}
