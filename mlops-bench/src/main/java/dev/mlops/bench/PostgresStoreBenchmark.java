package dev.mlops.bench;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same registry operations on the filesystem store and on the PostgreSQL store, side by side
 * in one run ({@code @Param store = fs, postgres}), single thread, no metadata cache:
 *
 * <ul>
 *   <li>{@code register}: {@code models().register(...)} of a new 4 KiB artifact ({@code
 *       Artifact.bytes}, different content each call, so nothing is deduplicated): blob, version
 *       document, model document, audit entry, each durable when it returns (fs: {@code fsync}s;
 *       PostgreSQL: a WAL flush per commit, {@code synchronous_commit=on}).</li>
 *   <li>{@code resolveAlias}: {@code resolve(rain@production)}: model document plus version
 *       document.</li>
 *   <li>{@code listFirstPage} / {@code listMiddlePage}: {@code listVersions} of 100 versions,
 *       from the start and from the middle (by the page token of the page before).</li>
 * </ul>
 *
 * Each trial builds a fresh store with one model of {@code versions} versions (tiny distinct
 * artifacts, registered through the public API; untimed). The PostgreSQL store runs on a
 * throw-away local cluster with default durability ({@link BenchPostgres}), or on the server
 * named by {@code -Dmlops.bench.postgres.url}; it is opened through the {@code postgres} provider
 * (its small built-in connection reuse), over TCP on 127.0.0.1. The filesystem store lives in
 * {@code java.io.tmpdir}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PostgresStoreBenchmark {
    private static final String MODEL = "rain";
    private static final String ALIAS = "production";
    private static final int PAGE = 100;

    /** Which store. */
    @Param({"fs", "postgres"})
    public String store;

    /** Versions of the listed and resolved model. */
    @Param("2000")
    public int versions;

    private BenchPostgres postgres;
    private Path dir;
    private Mlops mlops;
    private ModelRef ref;
    private VersionQuery first;
    private VersionQuery middle;
    private long counter;

    /** Opens the chosen store and registers the model's versions. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        Store s;
        if (store.equals("postgres")) {
            postgres = BenchPostgres.start();
            s = Stores.open("postgres", Map.of("url", postgres.url(), "user", postgres.user(),
                    "password", postgres.password()));
        } else {
            dir = Files.createTempDirectory("mlops-bench-fs");
            s = FileSystemStore.open(dir.resolve("store"));
        }
        mlops = Mlops.builder().store(s).build();
        for (int n = 1; n <= versions; n++) {
            mlops.models().register(MODEL, NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.bin", ("weights of version " + n).getBytes(StandardCharsets.UTF_8)))
                    .format("generic").param("seed", Integer.toString(n)).build());
        }
        mlops.models().setAlias(MODEL, ALIAS, versions / 2);
        ref = ModelRef.parse(MODEL + "@" + ALIAS);
        first = VersionQuery.builder().page(PageRequest.first(PAGE)).build();
        Page<ModelVersion> page = mlops.models().listVersions(MODEL, first);
        for (int i = 1; i < versions / PAGE / 2; i++) {
            page = mlops.models().listVersions(MODEL, VersionQuery.builder()
                    .page(PageRequest.after(page.nextPageToken().orElseThrow(), PAGE)).build());
        }
        middle = VersionQuery.builder().page(PageRequest.after(page.nextPageToken().orElseThrow(), PAGE)).build();
        int from = listMiddlePage().items().get(0).number();
        if (resolveAlias().number() != versions / 2 || listFirstPage().items().size() != PAGE || from != versions / 2 + 1) {
            throw new IllegalStateException("fixture is not as expected: middle page starts at " + from);
        }
    }

    /** Closes the store, stops the throw-away cluster, deletes the temporary directory. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        mlops.close();
        if (postgres != null) {
            postgres.close();
        }
        if (dir != null) {
            VersionStoreFixture.deleteRecursively(dir);
        }
    }

    /** @return the new version */
    @Benchmark
    public ModelVersion register() {
        byte[] content = new byte[4096];
        ByteBuffer.wrap(content).putLong(++counter).putLong(System.nanoTime());
        return mlops.models().register("registered", NewModelVersion.builder()
                .artifact(Artifact.bytes("model.bin", content)).format("generic").build());
    }

    /** @return the version the alias points at */
    @Benchmark
    public ModelVersion resolveAlias() {
        return mlops.models().resolve(ref);
    }

    /** @return versions 1..100 */
    @Benchmark
    public Page<ModelVersion> listFirstPage() {
        return mlops.models().listVersions(MODEL, first);
    }

    /** @return the 100 versions after the middle */
    @Benchmark
    public Page<ModelVersion> listMiddlePage() {
        return mlops.models().listVersions(MODEL, middle);
    }
}
