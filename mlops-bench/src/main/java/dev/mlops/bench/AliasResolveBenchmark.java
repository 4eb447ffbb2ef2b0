package dev.mlops.bench;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.core.Mlops;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * Resolving {@code rain@production} on a {@code FileSystemStore} whose model has 10,000 versions
 * ({@link VersionStoreFixture}).
 *
 * <ul>
 *   <li>{@code uncached}: {@code Mlops} without cache; every call reads and decodes the model
 *       document (aliases) and the version document from disk (page cache).
 *       <b>Target: under 1 ms.</b></li>
 *   <li>{@code cached}: {@code Mlops.builder().metadataCache(Duration.ofSeconds(60))}; after the
 *       first call the version is served from memory. <b>Target: under 1 µs.</b></li>
 * </ul>
 * The reference is parsed once (as a server holding a {@link ModelRef} does); there is no
 * external baseline, the targets are absolute. Average time per call, single thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class AliasResolveBenchmark {
    private final ModelRef ref = ModelRef.parse(VersionStoreFixture.MODEL + "@" + VersionStoreFixture.ALIAS);
    private Mlops uncached;
    private Mlops cached;

    /** Opens (building once if needed) the 10,000-version store, twice: without and with cache. */
    @Setup(Level.Trial)
    public void open() {
        uncached = VersionStoreFixture.open(Duration.ZERO);
        cached = VersionStoreFixture.open(Duration.ofSeconds(60));
        check(uncached.models().resolve(ref));
        check(cached.models().resolve(ref));
    }

    private static void check(ModelVersion v) {
        if (v.number() != VersionStoreFixture.ALIAS_TARGET) {
            throw new IllegalStateException("alias resolved to version " + v.number() + ", expected "
                    + VersionStoreFixture.ALIAS_TARGET + "; delete the benchmark store and rebuild it");
        }
    }

    /** Closes both instances. */
    @TearDown(Level.Trial)
    public void close() {
        uncached.close();
        cached.close();
    }

    /** @return the version, read from the store */
    @Benchmark
    public ModelVersion uncached() {
        return uncached.models().resolve(ref);
    }

    /** @return the version, from the metadata cache */
    @Benchmark
    public ModelVersion cached() {
        return cached.models().resolve(ref);
    }
}
