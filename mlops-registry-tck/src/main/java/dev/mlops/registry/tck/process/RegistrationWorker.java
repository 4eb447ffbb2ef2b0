package dev.mlops.registry.tck.process;

import dev.mlops.api.Artifact;
import dev.mlops.api.ConflictException;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.SequenceInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A child JVM started by {@link CrashKit} and {@link ConcurrencyKit} (and by backends' own
 * process tests): opens the store by provider name ({@link StoreConfig}, so the provider is
 * exercised too), registers versions and moves aliases in a loop, and reports on stdout, one
 * line per event, each written with a single {@code write} call after the operation returned:
 *
 * <pre>
 * READY &lt;seed&gt;
 * BEGIN &lt;model&gt; &lt;iteration&gt;                           (before register is called)
 * CREATED &lt;model&gt; &lt;version&gt; &lt;sha256&gt; &lt;seed&gt; &lt;iteration&gt;  (after register returned)
 * ALIAS &lt;model&gt; &lt;alias&gt; &lt;version&gt;                    (after setAlias returned)
 * ROLLBACK &lt;model&gt; &lt;alias&gt; &lt;version&gt;                 (after rollback returned)
 * TAGGED &lt;model&gt; &lt;version&gt; &lt;shard&gt;                   (after setVersionTag returned)
 * ERROR &lt;exception&gt;                                     (unexpected failure, then exit 1)
 * DONE                                                  (after the last registration)
 * STALL                                                 (see below)
 * </pre>
 *
 * Arguments: the store's ({@link StoreConfig#toArgs()}), then {@code <model>[,<model>...] <seed>
 * <registrations> <maxArtifactBytes> [<stallAfter> <stallBytes>]}. With
 * {@code registrations = Integer.MAX_VALUE} it loops until it is killed. The artifact of
 * iteration {@code i} is {@link Payloads#bytes(long, int, int) Payloads.bytes(seed, i, max)}; the
 * seed, iteration and maximum are also stored as parameters of the version, so every stored
 * version can be checked. With {@code stallAfter}, once that many registrations returned it
 * starts a {@code putBlob} whose stream delivers {@code stallBytes} bytes, prints {@code STALL}
 * and blocks, waiting to be killed while the store is inside {@code putBlob}.
 */
public final class RegistrationWorker {
    /** The aliases the workers move. */
    public static final List<String> ALIASES = List.of("production", "champion");
    /** The tag the workers change on random versions, to values {@code 0} to {@code SHARDS - 1}. */
    public static final String SHARD = "shard";
    /** How many values {@link #SHARD} takes. */
    public static final int SHARDS = 4;
    private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private RegistrationWorker() {
    }

    /**
     * @param args the store's arguments, models, seed, registration count, maximum size,
     *     optionally the registrations before the stall and the stalling stream's length
     */
    public static void main(String[] args) {
        StoreConfig config = StoreConfig.fromArgs(args);
        String[] rest = StoreConfig.rest(args);
        List<String> models = Arrays.asList(rest[0].split(","));
        long seed = Long.parseLong(rest[1]);
        int registrations = Integer.parseInt(rest[2]);
        int maxSize = Integer.parseInt(rest[3]);
        int stallAfter = rest.length > 4 ? Integer.parseInt(rest[4]) : -1;
        int stallBytes = rest.length > 5 ? Integer.parseInt(rest[5]) : 0;
        Random rnd = new Random(seed);
        try {
            // closing the instance closes the store
            Store store = config.open();
            try (Mlops mlops = Mlops.builder().store(store).actor("worker-" + seed).build()) {
                emit("READY " + seed);
                int registered = 0;
                for (int i = 0; registered < registrations; i++) {
                    if (registered == stallAfter) {
                        store.putBlob(stallingStream(stallBytes));
                        emit("ERROR the stalling putBlob returned");
                        System.exit(1);
                    }
                    String model = models.get(rnd.nextInt(models.size()));
                    int op = rnd.nextInt(10);
                    if (op < 7) {
                        emit("BEGIN " + model + " " + i);
                        ModelVersion v = mlops.models().register(model, spec(seed, i, maxSize));
                        emit("CREATED " + model + " " + v.number() + " " + v.artifact().digest() + " " + seed + " " + i);
                        registered++;
                        tag(mlops, model, rnd);
                    } else {
                        moveAlias(mlops, model, rnd, op);
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

    /**
     * The registration of iteration {@code i}, with an idempotency key naming the worker and the
     * iteration, so a retry after a kill makes it at most once.
     *
     * @return the new version's description
     */
    public static NewModelVersion spec(long seed, int i, int maxSize) {
        return NewModelVersion.builder()
                .artifact(Artifact.bytes("model.bin", Payloads.bytes(seed, i, maxSize)))
                .format("generic")
                .param("seed", Long.toString(seed))
                .param("iteration", Integer.toString(i))
                .param("max-size", Integer.toString(maxSize))
                .tag("worker", "w" + seed)
                .idempotencyKey("w" + seed + "-" + i)
                .build();
    }

    /**
     * Sets the tag {@value #SHARD} of a random version: a change the version index records, so a
     * kill may land between its mark and its record.
     */
    private static void tag(Mlops mlops, String model, Random rnd) {
        int latest = mlops.models().model(model).latestVersion();
        int target = 1 + rnd.nextInt(latest);
        String shard = Integer.toString(rnd.nextInt(SHARDS));
        mlops.models().setVersionTag(dev.mlops.api.ModelRef.version(model, target), SHARD, shard);
        emit("TAGGED " + model + " " + target + " " + shard);
    }

    private static void moveAlias(Mlops mlops, String model, Random rnd, int op) {
        int latest;
        try {
            latest = mlops.models().model(model).latestVersion();
        } catch (NotFoundException e) {
            return; // nobody has registered this model yet
        }
        if (latest < 1) {
            return;
        }
        String alias = ALIASES.get(rnd.nextInt(ALIASES.size()));
        if (op < 9) {
            int target = 1 + rnd.nextInt(latest);
            ModelVersion v = mlops.models().setAlias(model, alias, target);
            emit("ALIAS " + model + " " + alias + " " + v.number());
        } else {
            try {
                ModelVersion v = mlops.models().rollback(model, alias);
                emit("ROLLBACK " + model + " " + alias + " " + v.number());
            } catch (ConflictException | NotFoundException e) {
                // no earlier version to return to, or the alias is not set yet
            }
        }
    }

    /** One line, one write: a SIGKILL cannot leave half a line that looks whole. */
    static void emit(String line) {
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            OUT.write(b);
            OUT.flush();
        } catch (IOException e) {
            Runtime.getRuntime().halt(3);
        }
    }

    /** After the bytes given, prints STALL and blocks until the process is killed. */
    private static InputStream stallingStream(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 's');
        return new SequenceInputStream(new ByteArrayInputStream(bytes), new InputStream() {
            @Override
            public int read() {
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
                return -1;
            }
        });
    }
}
