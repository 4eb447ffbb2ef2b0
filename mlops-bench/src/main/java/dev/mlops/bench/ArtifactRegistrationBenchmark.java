package dev.mlops.bench;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
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
 * Registering a 256 MiB single-file artifact ({@code Artifact.file}) in a {@code FileSystemStore},
 * against baselines doing the least any store must do with the same bytes, all in one run:
 *
 * <ul>
 *   <li>{@code register}: {@code models().register(...)}: the file is streamed into a blob
 *       (hashed while written, {@code fsync}ed, renamed, directory {@code fsync}ed), then the version
 *       document, the model document and the audit entry are written, each crash-safe.</li>
 *   <li>{@code baselineOnePass}: read the file once with a 64 KiB buffer, {@code MessageDigest}
 *       SHA-256 {@code update} plus write of each chunk into a new file (what {@code Files.copy}
 *       does, with the digest added), then {@code FileChannel.force(true)} on it.
 *       <b>Target: {@code register} within 1.3x of this.</b></li>
 *   <li>{@code baselineTwoPass}: hash the file (first read), then {@code Files.copy} it (second
 *       read), then force the copy: what a store that hashes before copying would cost.</li>
 *   <li>{@code baselineOnePassNoForce}: the one-pass baseline without {@code force}: shows how
 *       much of every number is the flush to disk.</li>
 * </ul>
 * The source file is random, generated and flushed once per trial, so every variant reads it
 * from the page cache. Each iteration changes its first 8 bytes (untimed), so every registration
 * stores new content (identical content would be deduplicated, skipping the write); the
 * iteration's output (copy, or version and blob) is deleted after it, untimed, so the disk does
 * not fill up. One call per iteration ({@link Mode#SingleShotTime}); {@code -p sizeMiB=64} for a
 * quicker smoke run.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class ArtifactRegistrationBenchmark {
    private static final int BUFFER = 64 * 1024;
    private static final String MODEL = "big";

    /** Artifact size in MiB. */
    @Param("256")
    public int sizeMiB;

    private Path dir;
    private Path source;
    private Path copy;
    private Mlops mlops;
    /** The store {@link #mlops} runs on, to delete a registered version's blob between iterations. */
    private FileSystemStore store;
    private long iteration;
    private ModelVersion registered;

    /** Writes the random source file and opens an empty store, all in a new temp directory. */
    @Setup(Level.Trial)
    public void createSource() throws IOException {
        dir = Files.createTempDirectory("mlops-bench-register");
        source = dir.resolve("model.bin");
        copy = dir.resolve("copy.bin");
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (var ch = FileChannel.open(source, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int mib = 0; mib < sizeMiB; mib++) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    chunk.putLong(random.nextLong());
                }
                chunk.flip();
                while (chunk.hasRemaining()) {
                    ch.write(chunk);
                }
            }
            ch.force(true);
        }
        store = FileSystemStore.open(dir.resolve("store"));
        mlops = Mlops.builder().store(store).build();
    }

    /** Makes the content new (8 bytes at the start), so the store cannot deduplicate it. */
    @Setup(Level.Iteration)
    public void changeContent() throws IOException {
        iteration++;
        try (var ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(Long.BYTES).putLong(0, System.nanoTime() ^ (iteration << 48)), 0);
            ch.force(true);
        }
    }

    /**
     * Deletes what the iteration wrote: the copy, or the registered version and its blob; then
     * flushes the directory, so the next iteration's flush does not pay for this deletion (the
     * store's deleteBlob flushes its directory itself).
     */
    @TearDown(Level.Iteration)
    public void deleteOutput() throws IOException {
        if (Files.deleteIfExists(copy)) {
            try (var ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
        if (registered != null) {
            mlops.models().deleteVersion(registered.ref());
            store.deleteBlob(registered.artifact().entries().get(0).sha256());
            registered = null;
        }
    }

    /** Closes the store and deletes the temp directory. */
    @TearDown(Level.Trial)
    public void deleteAll() throws IOException {
        mlops.close();
        VersionStoreFixture.deleteRecursively(dir);
    }

    /** @return the registered version */
    @Benchmark
    public ModelVersion register() {
        registered = mlops.models().register(MODEL, NewModelVersion.builder().artifact(Artifact.file(source)).build());
        return registered;
    }

    /** @return the digest; the copy is flushed */
    @Benchmark
    public byte[] baselineOnePass() throws IOException {
        return hashWhileCopying(true);
    }

    /** @return the digest; the copy is not flushed */
    @Benchmark
    public byte[] baselineOnePassNoForce() throws IOException {
        return hashWhileCopying(false);
    }

    /** @return the digest, computed before the copy */
    @Benchmark
    public byte[] baselineTwoPass() throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(source)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        Files.copy(source, copy);
        try (var ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return md.digest();
    }

    private byte[] hashWhileCopying(boolean force) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[BUFFER];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        try (InputStream in = Files.newInputStream(source);
             var out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
                bb.clear().limit(n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
            }
            if (force) {
                out.force(true);
            }
        }
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
