package dev.mlops.registry.fs;

import dev.mlops.api.ConflictException;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main class of the child JVMs of {@link MultiProcessTest}. Arguments: mode ({@code cas} or
 * {@code append}), store directory, count, worker id, rendezvous directory. Signals "ready"
 * and waits for "go" there (bounded by a count of polls), so the workers contend.
 */
public final class ChildWorker {
    static final DocumentKey COUNTER = DocumentKey.of("counter");
    private static final int MAX_POLLS = 30_000;

    private ChildWorker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path storeDir = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        String id = args[3];
        Path rendezvous = Path.of(args[4]);
        long conflicts = 0;
        if (mode.equals("churn")) {
            churn(storeDir, Long.parseLong(id));
            return;
        }
        try (FileSystemStore store = FileSystemStore.open(storeDir)) {
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

    /**
     * Runs until killed: each round replaces the counter (content = rounds done), stores a blob
     * of a few hundred KiB and appends a journal entry, then prints {@code done N}.
     */
    private static void churn(Path storeDir, long seed) {
        java.util.Random random = new java.util.Random(seed);
        FileSystemStore store = FileSystemStore.open(storeDir);
        while (true) {
            Document d = store.read(COUNTER).orElseThrow();
            long next = Long.parseLong(new String(d.content(), StandardCharsets.UTF_8)) + 1;
            store.replace(COUNTER, d.revision(), Long.toString(next).getBytes(StandardCharsets.UTF_8));
            byte[] blob = new byte[64 * 1024 + random.nextInt(512 * 1024)];
            random.nextBytes(blob);
            store.putBlob(new java.io.ByteArrayInputStream(blob));
            store.append(("round " + next).getBytes(StandardCharsets.UTF_8));
            System.out.println("done " + next);
            System.out.flush();
        }
    }
}
