package dev.mlops.registry.tck.process;

import dev.mlops.api.ConflictException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.Digests;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;

/**
 * A child JVM working on the store SPI directly, started by {@link MultiProcessKit} and by
 * backends' own process tests. Arguments: the store's ({@link StoreConfig#toArgs()}), then mode,
 * count, worker id, rendezvous directory.
 *
 * <ul>
 *   <li>{@code cas}: {@code count} compare-and-set increments of {@link #COUNTER}, retrying on
 *       conflict;</li>
 *   <li>{@code append}: {@code count} journal appends {@code id:i};</li>
 *   <li>{@code churn}: runs until killed; each round replaces {@link #COUNTER} (content = rounds
 *       done), stores a blob of a few hundred KiB seeded by the id and appends a journal entry,
 *       then prints {@code done N};</li>
 *   <li>{@code bigblob}: stores {@link Payloads#stream(long, long) a generated stream} of
 *       {@code count} MiB as one blob and reads it back, printing {@code put SHA SIZE} and
 *       {@code read SHA SIZE} (run with a heap smaller than the blob).</li>
 *   <li>{@code hold}: takes the lock named by the worker id in the mode named by the rendezvous
 *       argument ({@code shared} or {@code exclusive}), waiting up to {@code count} seconds,
 *       prints {@code held} (or {@code busy}) and then waits until it is killed.</li>
 * </ul>
 * The contending modes ({@code cas}, {@code append}) signal "ready" and wait for "go" in the
 * rendezvous directory (bounded by a count of polls), so the workers really run at once; they
 * end by printing {@code ok conflicts=N}.
 */
public final class StoreWorker {
    /** The document the {@code cas} and {@code churn} modes increment. */
    public static final DocumentKey COUNTER = DocumentKey.of("counter");
    private static final int MAX_POLLS = 30_000;

    private StoreWorker() {
    }

    /** @param args the store's arguments, mode, count, worker id, rendezvous directory */
    public static void main(String[] args) throws Exception {
        StoreConfig config = StoreConfig.fromArgs(args);
        String[] rest = StoreConfig.rest(args);
        String mode = rest[0];
        int count = Integer.parseInt(rest[1]);
        String id = rest[2];
        Path rendezvous = Path.of(rest[3]);
        long conflicts = 0;
        try (Store store = config.open()) {
            if (mode.equals("churn")) {
                churn(store, Long.parseLong(id));
                return;
            }
            if (mode.equals("bigblob")) {
                bigBlob(store, count);
                return;
            }
            if (mode.equals("hold")) {
                hold(store, id, rest[3], count);
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
                default -> throw new IllegalArgumentException("unknown mode \"" + mode + "\"; expected cas, append,"
                        + " churn or bigblob");
            }
        }
        System.out.println("ok conflicts=" + conflicts);
    }

    private static void churn(Store store, long seed) {
        Random random = new Random(seed);
        while (true) {
            Document d = store.read(COUNTER).orElseThrow();
            long next = Long.parseLong(new String(d.content(), StandardCharsets.UTF_8)) + 1;
            store.replace(COUNTER, d.revision(), Long.toString(next).getBytes(StandardCharsets.UTF_8));
            byte[] blob = new byte[64 * 1024 + random.nextInt(512 * 1024)];
            random.nextBytes(blob);
            store.putBlob(new ByteArrayInputStream(blob));
            store.append(("round " + next).getBytes(StandardCharsets.UTF_8));
            System.out.println("done " + next);
            System.out.flush();
        }
    }

    private static void hold(Store store, String name, String mode, int waitSeconds) throws InterruptedException {
        java.util.Optional<StoreLock> lock = store.lock(name, StoreLock.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)),
                java.time.Duration.ofSeconds(waitSeconds));
        System.out.println(lock.isPresent() ? "held" : "busy");
        System.out.flush();
        if (lock.isPresent()) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void bigBlob(Store store, int mib) throws Exception {
        long size = (long) mib << 20;
        BlobInfo info = store.putBlob(Payloads.stream(size, 99));
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
}
