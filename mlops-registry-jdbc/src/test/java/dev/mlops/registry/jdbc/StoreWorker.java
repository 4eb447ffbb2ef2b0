package dev.mlops.registry.jdbc;

import dev.mlops.api.ConflictException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.Digests;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Main class of the child JVMs of {@link PostgresMultiProcessTest}. Arguments: mode, JDBC URL,
 * count, worker id, rendezvous directory.
 *
 * <ul>
 *   <li>{@code cas}: {@code count} compare-and-set increments of {@link #COUNTER}, retrying on
 *       conflict;</li>
 *   <li>{@code append}: {@code count} journal appends {@code id:i};</li>
 *   <li>{@code bigblob}: stores a generated stream of {@code count} MiB as one blob and reads it
 *       back, printing {@code put SHA} and {@code read SHA} (run with a heap smaller than the
 *       blob).</li>
 * </ul>
 * The contending modes signal "ready" and wait for "go" in the rendezvous directory (bounded by
 * a count of polls), so the workers really run at once.
 */
public final class StoreWorker {
    static final DocumentKey COUNTER = DocumentKey.of("counter");
    private static final int MAX_POLLS = 30_000;

    private StoreWorker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = args[1];
        int count = Integer.parseInt(args[2]);
        String id = args[3];
        Path rendezvous = Path.of(args[4]);
        long conflicts = 0;
        try (Store store = Stores.open("postgres", Map.of("url", url, "user", PostgresCluster.USER))) {
            if (mode.equals("bigblob")) {
                bigBlob(store, count);
                return;
            }
            store.journalLength(); // warm up before the start signal
            Files.createFile(rendezvous.resolve("ready-" + id));
            for (int i = 0; !Files.exists(rendezvous.resolve("go")); i++) {
                if (i > MAX_POLLS) {
                    System.err.println("no go signal");
                    System.exit(3);
                }
                Thread.sleep(2);
            }
            switch (mode) {
                case "cas" -> {
                    long attempts = 0;
                    for (int done = 0; done < count; ) {
                        if (++attempts > 1_000L * count) {
                            System.err.println("too many conflicts");
                            System.exit(4);
                        }
                        Document d = store.read(COUNTER).orElseThrow();
                        long v = Long.parseLong(new String(d.content(), StandardCharsets.UTF_8));
                        try {
                            store.replace(COUNTER, d.revision(), Long.toString(v + 1).getBytes(StandardCharsets.UTF_8));
                            done++;
                        } catch (ConflictException e) {
                            conflicts++;
                        }
                    }
                }
                case "append" -> {
                    for (int i = 0; i < count; i++) {
                        store.append((id + ":" + i).getBytes(StandardCharsets.UTF_8));
                    }
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
        System.out.println("ok conflicts=" + conflicts);
    }

    private static void bigBlob(Store store, int mib) throws Exception {
        long size = (long) mib << 20;
        BlobInfo info = store.putBlob(new GeneratedStream(size, 99));
        System.out.println("put " + info.sha256() + " " + info.size());
        MessageDigest md = Digests.sha256();
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        try (InputStream in = store.openBlob(info.sha256())) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                md.update(buffer, 0, n);
                read += n;
            }
        }
        System.out.println("read " + Digests.hex(md.digest()) + " " + read);
        System.out.println("heap max " + Runtime.getRuntime().maxMemory());
    }

    /** A deterministic pseudo-random stream of a given length, generated as it is read. */
    static final class GeneratedStream extends InputStream {
        private final long length;
        private long position;
        private long state;

        GeneratedStream(long length, long seed) {
            this.length = length;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            position += n;
            return n;
        }
    }
}
