package dev.mlops.bench;

import dev.mlops.api.Artifact;
import dev.mlops.api.NewModelVersion;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The read-only store shared by {@link AliasResolveBenchmark} and {@link VersionListingBenchmark}:
 * one model, {@value #MODEL}, with {@value #VERSIONS} versions registered through the public API
 * (tiny distinct artifacts, so every version has its own blob, document and audit entry). Every
 * version carries the tag {@value #TAG} with value {@code N % 10}, so the filter
 * {@code shard=3} matches one version in ten. The alias {@value #ALIAS} was moved
 * {@value #ALIAS_MOVES} times and ends on version {@value #ALIAS_TARGET}.
 *
 * <p>Building it takes minutes (10,000 crash-safe registrations, each several {@code fsync}s), so
 * it is built once into {@code mlops-bench/target/bench-store-10000} (next to
 * {@code benchmarks.jar}; override with {@code -Dmlops.bench.store=DIR}, passed to forks with
 * {@code -jvmArgsAppend}) and reused by later runs and forks; a sibling marker file
 * {@code bench-store-10000.complete} is written when the build finished, and a directory without
 * it is deleted and rebuilt. Build it ahead of a run with
 * {@code java -cp mlops-bench/target/benchmarks.jar dev.mlops.bench.VersionStoreFixture}.
 */
public final class VersionStoreFixture {
    /** The model's name. */
    public static final String MODEL = "rain";
    /** How many versions it has. */
    public static final int VERSIONS = 10_000;
    /** The alias resolved by {@link AliasResolveBenchmark}. */
    public static final String ALIAS = "production";
    /** The version the alias points at. */
    public static final int ALIAS_TARGET = 5_000;
    /** How often the alias was moved while building (its history has this many entries). */
    public static final int ALIAS_MOVES = 20;
    /** The tag every version carries, value {@code N % 10}. */
    public static final String TAG = "shard";

    private VersionStoreFixture() {
    }

    /**
     * Builds the store unless a complete one exists, then opens it.
     *
     * @param cacheTtl {@link Mlops.Builder#metadataCache(Duration)}; zero for no cache
     * @return an instance over the store; close it when done
     */
    public static Mlops open(Duration cacheTtl) {
        Path dir = ensureBuilt();
        return Mlops.builder().store(FileSystemStore.open(dir)).metadataCache(cacheTtl).build();
    }

    /** @return the store directory, built and complete */
    static synchronized Path ensureBuilt() {
        Path dir = directory();
        Path marker = dir.resolveSibling(dir.getFileName() + ".complete");
        if (Files.exists(marker)) {
            return dir;
        }
        try {
            deleteRecursively(dir);
            long start = System.nanoTime();
            build(dir);
            String note = VERSIONS + " versions built in " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s\n";
            Files.writeString(marker, note, StandardCharsets.UTF_8);
            System.err.print("[fixture] " + note);
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the benchmark store in " + dir, e);
        }
        return dir;
    }

    private static void build(Path dir) {
        System.err.println("[fixture] building " + VERSIONS + " versions in " + dir + " (once; takes a few minutes)");
        try (Mlops mlops = Mlops.builder().store(FileSystemStore.open(dir)).build()) {
            for (int n = 1; n <= VERSIONS; n++) {
                mlops.models().register(MODEL, NewModelVersion.builder()
                        .artifact(Artifact.bytes("model.bin", ("weights of version " + n).getBytes(StandardCharsets.UTF_8)))
                        .format("generic").tag(TAG, Integer.toString(n % 10)).metric("auc", 0.5 + (n % 500) / 1000.0)
                        .param("seed", Integer.toString(n)).build());
                if (n % 1000 == 0) {
                    System.err.println("[fixture] " + n + " versions");
                }
            }
            for (int i = ALIAS_MOVES - 1; i >= 0; i--) {
                mlops.models().setAlias(MODEL, ALIAS, ALIAS_TARGET - i);
            }
        }
    }

    /** The store directory: {@code -Dmlops.bench.store}, else {@code bench-store-10000} next to the jar. */
    private static Path directory() {
        String override = System.getProperty("mlops.bench.store");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        try {
            // .../mlops-bench/target/benchmarks.jar, or .../mlops-bench/target/classes in an IDE
            Path codeSource = Path.of(VersionStoreFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return codeSource.toAbsolutePath().getParent().resolve("bench-store-" + VERSIONS);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate benchmarks.jar; set -Dmlops.bench.store=DIR", e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /**
     * Builds the store ahead of a benchmark run (does nothing if it is complete).
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.out.println(ensureBuilt());
    }
}
