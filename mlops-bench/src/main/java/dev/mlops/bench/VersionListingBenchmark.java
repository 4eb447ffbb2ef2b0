package dev.mlops.bench;

import dev.mlops.api.ModelVersion;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.VersionQuery;
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
 * Listing one page of 100 versions of a model with 10,000 versions on a {@code FileSystemStore}
 * ({@link VersionStoreFixture}), without cache (listings are never cached):
 *
 * <ul>
 *   <li>{@code firstPage}: versions 1 to 100;</li>
 *   <li>{@code middlePage}: versions 5,001 to 5,100, by the page token returned with page 50;</li>
 *   <li>{@code filteredPage}: the first 100 versions tagged {@code shard=3} (one in ten, so about
 *       1,000 versions are examined: through the version index, 4 index documents and the 100
 *       versions returned are read).</li>
 * </ul>
 * There is no external baseline and the issue sets no number; the point is that a page costs
 * about the same wherever it starts, and what a filter that skips 90% costs. Average time per
 * page, single thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VersionListingBenchmark {
    private static final int PAGE = 100;
    private Mlops mlops;
    private VersionQuery first;
    private VersionQuery middle;
    private VersionQuery filtered;

    /** Opens the store and pages to the middle to get a real page token. */
    @Setup(Level.Trial)
    public void open() {
        mlops = VersionStoreFixture.open(Duration.ZERO);
        first = VersionQuery.builder().page(PageRequest.first(PAGE)).build();
        filtered = VersionQuery.builder().tag(VersionStoreFixture.TAG, "3").page(PageRequest.first(PAGE)).build();
        Page<ModelVersion> page = mlops.models().listVersions(VersionStoreFixture.MODEL, first);
        for (int i = 1; i < 50; i++) {
            page = mlops.models().listVersions(VersionStoreFixture.MODEL, VersionQuery.builder()
                    .page(PageRequest.after(page.nextPageToken().orElseThrow(), PAGE)).build());
        }
        middle = VersionQuery.builder().page(PageRequest.after(page.nextPageToken().orElseThrow(), PAGE)).build();
        expect(firstPage(), 1, 100);
        expect(middlePage(), 5_001, 5_100);
        expect(filteredPage(), 3, 993);
    }

    private static void expect(Page<ModelVersion> page, int from, int to) {
        int first = page.items().get(0).number();
        int last = page.items().get(page.items().size() - 1).number();
        if (page.items().size() != PAGE || first != from || last != to || !page.hasNext()) {
            throw new IllegalStateException("page holds " + page.items().size() + " versions " + first + ".." + last
                    + ", expected " + PAGE + " versions " + from + ".." + to + " and a next page");
        }
    }

    /** Closes the store. */
    @TearDown(Level.Trial)
    public void close() {
        mlops.close();
    }

    /** @return versions 1..100 */
    @Benchmark
    public Page<ModelVersion> firstPage() {
        return mlops.models().listVersions(VersionStoreFixture.MODEL, first);
    }

    /** @return versions 5,001..5,100 */
    @Benchmark
    public Page<ModelVersion> middlePage() {
        return mlops.models().listVersions(VersionStoreFixture.MODEL, middle);
    }

    /** @return the first 100 versions tagged shard=3 */
    @Benchmark
    public Page<ModelVersion> filteredPage() {
        return mlops.models().listVersions(VersionStoreFixture.MODEL, filtered);
    }
}
