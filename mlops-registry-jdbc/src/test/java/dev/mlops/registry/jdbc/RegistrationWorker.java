package dev.mlops.registry.jdbc;

import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.Payloads;

import dev.mlops.api.Artifact;
import dev.mlops.api.ConflictException;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import dev.mlops.core.Mlops;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A child JVM started by {@link PostgresCrashTest} and {@link PostgresConcurrencyTest}, the
 * PostgreSQL twin of mlops-it's {@code CrashWorker}: opens the store by name through
 * {@code Stores.open("postgres", url)} (so the provider is exercised too), registers versions
 * and moves aliases in a loop, and reports on stdout, one line per event, each written with a
 * single {@code write} call after the operation returned:
 *
 * <pre>
 * READY &lt;seed&gt;
 * BEGIN &lt;model&gt; &lt;iteration&gt;                           (before register is called)
 * CREATED &lt;model&gt; &lt;version&gt; &lt;sha256&gt; &lt;seed&gt; &lt;iteration&gt;  (after register returned)
 * ALIAS &lt;model&gt; &lt;alias&gt; &lt;version&gt;                    (after setAlias returned)
 * ROLLBACK &lt;model&gt; &lt;alias&gt; &lt;version&gt;                 (after rollback returned)
 * ERROR &lt;exception&gt;                                     (unexpected failure, then exit 1)
 * DONE                                                  (after the last registration)
 * STALL                                                 (see below)
 * </pre>
 *
 * Arguments: {@code <jdbcUrl> <model>[,<model>...] <seed> [<registrations> [<maxArtifactBytes>
 * [<stallAfter>]]]}. Without a count it loops until it is killed. With {@code stallAfter}, once
 * that many registrations returned it starts a {@code putBlob} whose stream delivers 2.5 MiB
 * (two chunk rows are then inserted, in an open transaction), prints {@code STALL} and blocks,
 * waiting to be killed.
 */
public final class RegistrationWorker {
    static final String[] ALIASES = {"production", "champion"};
    private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private RegistrationWorker() {
    }

    /**
     * @param args JDBC URL, models, seed, optional registration count and maximum size
     */
    public static void main(String[] args) {
        String url = args[0];
        List<String> models = List.of(args[1].split(","));
        long seed = Long.parseLong(args[2]);
        int registrations = args.length > 3 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE;
        int maxSize = args.length > 4 ? Integer.parseInt(args[4]) : 256 * 1024;
        int stallAfter = args.length > 5 ? Integer.parseInt(args[5]) : -1;
        Random rnd = new Random(seed);
        try {
            Store store = Stores.open("postgres", Map.of("url", url, "user", PostgresCluster.USER));
            try (Mlops mlops = Mlops.builder().store(store).actor("worker-" + seed).build()) {
                emit("READY " + seed);
                int registered = 0;
                for (int i = 0; registered < registrations; i++) {
                    if (registered == stallAfter) {
                        mlops.store().putBlob(new StallingStream(5 * PostgresStore.CHUNK_SIZE / 2));
                        emit("ERROR the stalling putBlob returned");
                        System.exit(1);
                    }
                    String model = models.get(rnd.nextInt(models.size()));
                    int op = rnd.nextInt(10);
                    if (op < 7) {
                        byte[] bytes = Payloads.bytes(seed, i, maxSize);
                        emit("BEGIN " + model + " " + i);
                        ModelVersion v = mlops.models().register(model, NewModelVersion.builder()
                                .artifact(Artifact.bytes("model.bin", bytes))
                                .format("generic")
                                .param("seed", Long.toString(seed))
                                .param("iteration", Integer.toString(i))
                                .param("max-size", Integer.toString(maxSize))
                                .tag("worker", "w" + seed)
                                .build());
                        emit("CREATED " + model + " " + v.version() + " " + v.artifact().digest() + " " + seed + " " + i);
                        registered++;
                    } else {
                        int latest;
                        try {
                            latest = mlops.models().model(model).latestVersion();
                        } catch (NotFoundException e) {
                            continue; // nobody has registered this model yet
                        }
                        if (latest < 1) {
                            continue;
                        }
                        String alias = ALIASES[rnd.nextInt(ALIASES.length)];
                        if (op < 9) {
                            int target = 1 + rnd.nextInt(latest);
                            ModelVersion v = mlops.models().setAlias(model, alias, target);
                            emit("ALIAS " + model + " " + alias + " " + v.version());
                        } else {
                            try {
                                ModelVersion v = mlops.models().rollback(model, alias);
                                emit("ROLLBACK " + model + " " + alias + " " + v.version());
                            } catch (ConflictException | NotFoundException e) {
                                // no earlier version to return to, or the alias is not set yet
                            }
                        }
                    }
                }
                emit("DONE");
            }
        } catch (RuntimeException | Error e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            emit("ERROR " + sw.toString().replace('\n', '|'));
            System.exit(1);
        }
    }

    /** One line, one write: a SIGKILL cannot leave half a line that looks whole. */
    private static void emit(String line) {
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            OUT.write(b);
            OUT.flush();
        } catch (IOException e) {
            Runtime.getRuntime().halt(3);
        }
    }

    /** Delivers {@code length} bytes, then prints STALL and blocks until the process is killed. */
    private static final class StallingStream extends java.io.InputStream {
        private int left;

        StallingStream(int length) {
            this.left = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                emit("STALL");
                for (int i = 0; i < 600; i++) { // bounded: a forgotten child gives up after 10 minutes
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                emit("ERROR nobody killed the stalled worker");
                System.exit(1);
            }
            int n = Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 's');
            left -= n;
            return n;
        }
    }
}
