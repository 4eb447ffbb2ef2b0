package dev.mlops.examples;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Writing a new storage backend: {@link KeyValueStore} puts the whole store SPI on one sorted
 * key-value map with conditional writes (a stand-in for an object store or a key-value database),
 * and the registry runs on it unchanged.
 *
 * <p>The example wires the store explicitly ({@code Mlops.builder().store(...)}), registers two
 * versions, moves and rolls back an alias, prints every key the backend was asked to keep, and
 * verifies the store and the audit chain. Then it flips one byte of a blob in the map, as bit rot
 * would, and shows that {@code verify} names the damaged blob.
 *
 * <p>A backend proves itself with the compatibility kits from {@code dev.mlops:mlops-registry-tck}
 * (test scope). This module's test for this store is one screen (docs/storage.md shows it):
 *
 * <pre>{@code
 * class KeyValueStoreCompatibilityTest extends StoreCompatibilityKit {
 *     private final ConcurrentNavigableMap<String, byte[]> service = new ConcurrentSkipListMap<>();
 *
 *     @Override protected Store createStore(Path dir) { return new KeyValueStore(service, Clock.systemUTC()); }
 *
 *     // only the backend knows how to damage its own data
 *     @Override protected void corruptBlob(Store store, String sha256) {
 *         service.computeIfPresent(KeyValueStore.blobKey(sha256), (k, v) -> flipLastByte(v));
 *     }
 *     @Override protected void corruptDocument(Store store, DocumentKey key) { ... documentKey(key) ... }
 *     @Override protected void corruptJournalEntry(Store store, long sequence) { ... journalKey(sequence) ... }
 * }
 * }</pre>
 *
 * <p>Run: {@code java -cp mlops-examples/target/mlops-demo.jar dev.mlops.examples.CustomStoreExample}.
 */
public final class CustomStoreExample {

    /**
     * What the example observed, for its test.
     *
     * @param keys every key in the map after the registry's work, in order
     * @param healthy the verification before the damage
     * @param chain the audit chain's verification
     * @param damaged the verification after one blob byte was flipped
     * @param damagedBlob the digest of the damaged blob
     */
    public record Result(List<String> keys, IntegrityReport healthy, AuditVerification chain, IntegrityReport damaged,
                         String damagedBlob) {
    }

    private CustomStoreExample() {
    }

    /**
     * Runs the example, printing to standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Runs the example.
     *
     * @param out where to print the story
     * @return what happened
     */
    public static Result run(PrintStream out) {
        // the "service": in real life a client of an object store or key-value database
        ConcurrentNavigableMap<String, byte[]> service = new ConcurrentSkipListMap<>();
        try (Mlops mlops = Mlops.builder().store(new KeyValueStore(service, Clock.systemUTC())).actor("example").build()) {
            out.println("1. The registry over " + mlops.describeStore());
            ModelVersion v1 = mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.json", "{\"threshold\":0.5}".getBytes(StandardCharsets.UTF_8)))
                    .format("java-function").metric("auc", 0.81).build());
            ModelVersion v2 = mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.json", "{\"threshold\":0.4}".getBytes(StandardCharsets.UTF_8)))
                    .format("java-function").metric("auc", 0.84).retrainedFrom(v1.ref()).build());
            mlops.models().setAlias("rain", "production", v1.number());
            mlops.models().setAlias("rain", "production", v2.number());
            ModelVersion back = mlops.models().rollback("rain", "production");
            out.printf("   registered %s and %s, production moved to %s and rolled back to %s%n", v1.ref(), v2.ref(),
                    v2.ref(), back.ref());
            out.println("   resolve(rain@production) = " + mlops.models().resolve(ModelRef.parse("rain@production")).ref());

            out.println("2. What the backend was asked to keep (" + service.size() + " map entries)");
            List<String> keys = new ArrayList<>(service.keySet());
            for (String k : keys) {
                out.printf("   %-62s %6d bytes%n", abbreviate(k), service.get(k).length);
            }

            out.println("3. Verify the store and the audit chain");
            IntegrityReport healthy = mlops.verify(VerifyOptions.check());
            AuditVerification chain = mlops.audit().verify();
            out.printf("   store: %s (%d problems); audit chain: %s, %d entries%n", healthy.ok() ? "ok" : "NOT OK",
                    healthy.problems().size(), chain.ok() ? "ok" : "BROKEN", chain.entriesChecked());

            out.println("4. Flip one byte of rain/2's artifact in the map, as bit rot would, and verify again");
            String sha256 = v2.artifact().digest();
            service.computeIfPresent(KeyValueStore.blobKey(sha256), (k, v) -> {
                byte[] rotten = v.clone();
                rotten[rotten.length - 1] ^= 0x01;
                return rotten;
            });
            IntegrityReport damaged = mlops.verify(VerifyOptions.check());
            out.printf("   store: %s%n", damaged.ok() ? "ok" : "NOT OK");
            damaged.problems().forEach(p -> out.println("   - " + p));
            return new Result(keys, healthy, chain, damaged, sha256);
        }
    }

    private static String abbreviate(String key) {
        return key.length() <= 62 ? key : key.substring(0, 59) + "...";
    }
}
