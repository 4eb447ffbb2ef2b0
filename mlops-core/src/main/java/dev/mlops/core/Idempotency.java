package dev.mlops.core;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.StoreLock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * Registrations with an idempotency key: a retry returns the version the first attempt made.
 *
 * <p>Under a short exclusive lock per key (one of {@value #STRIPES} striped store locks, so a
 * retry waits for an attempt still in flight, and a dead attempt's lock is gone with its
 * process), a claim document records the key, what was asked (a fingerprint) and the first
 * version number the attempt could take, before that attempt allocates a number. A retry that
 * finds the claim returns the recorded version or, when the first attempt stopped before
 * recording it, finds the version by scanning from that number for a version document carrying
 * the key (numbers are dense, so the scan ends at the first absent one). Only when none is found
 * does the retry register anew.
 */
final class Idempotency {
    static final int STRIPES = 64;

    /** Stored form of a claim (key {@code models/NAME/registrations/HASH}). */
    record ClaimDoc(int schemaVersion, String key, String fingerprint, int from, Integer version) {
        ClaimDoc withVersion(int v) {
            return new ClaimDoc(schemaVersion, key, fingerprint, from, v);
        }
    }

    private Idempotency() {
    }

    /**
     * @param commit registers, calling its argument with the first number it may take, before taking one
     * @param existing reads a committed version by number
     */
    static ModelVersion register(Documents docs, Duration wait, String model, String key, String fingerprint,
                                 Function<IntConsumer, ModelVersion> commit, IntFunction<ModelVersion> existing) {
        DocumentKey claimKey = Keys.registration(model, key);
        String lockName = "registration-" + stripe(model, key);
        StoreLock lock = docs.store().lock(lockName, StoreLock.Mode.EXCLUSIVE, wait).orElseThrow(() ->
                new ConflictException("another registration of model " + Names.quote(model) + " with idempotency key "
                        + Names.quote(key) + " (or one sharing its lock) has been running for more than " + wait
                        + "; try again"));
        try (lock) {
            Optional<Versioned<ClaimDoc>> claim = docs.read(claimKey, ClaimDoc.class);
            if (claim.isPresent()) {
                ClaimDoc c = claim.get().value();
                if (!c.key().equals(key)) {
                    throw new IntegrityException("claim " + claimKey + " holds key " + Names.quote(c.key())
                            + ", not " + Names.quote(key));
                }
                if (!c.fingerprint().equals(fingerprint)) {
                    throw new ConflictException("idempotency key " + Names.quote(key) + " was already used for a"
                            + " different registration of model " + Names.quote(model)
                            + (c.version() == null ? "" : " (version " + c.version() + ")")
                            + "; use a new key for a new registration");
                }
                OptionalInt made = c.version() != null ? OptionalInt.of(c.version()) : find(docs, model, key, c.from());
                if (made.isPresent()) {
                    record(docs, claimKey, made.getAsInt());
                    return existing.apply(made.getAsInt());
                }
            }
            ModelVersion v = commit.apply(from -> {
                if (claim.isEmpty()) {
                    docs.create(claimKey, new ClaimDoc(StoredDocuments.DOCUMENT_SCHEMA_VERSION, key, fingerprint, from, null));
                }
            });
            record(docs, claimKey, v.number());
            return v;
        }
    }

    /** Scans versions from {@code from} for one registered with {@code key}. */
    private static OptionalInt find(Documents docs, String model, String key, int from) {
        for (int n = Math.max(1, from); ; n++) {
            Optional<Versioned<VersionDoc>> v = docs.read(Keys.version(model, n), VersionDoc.class);
            if (v.isEmpty()) {
                return OptionalInt.empty();
            }
            if (key.equals(v.get().value().idempotencyKey())) {
                return OptionalInt.of(n);
            }
        }
    }

    /** Records the version in the claim; derived (a retry scans without it), so a failure is only logged. */
    private static void record(Documents docs, DocumentKey claimKey, int version) {
        try {
            docs.update(claimKey, ClaimDoc.class, () -> "claim " + claimKey + " vanished",
                    c -> c.version() != null && c.version() == version ? c : c.withVersion(version));
        } catch (dev.mlops.api.MlopsException e) {
            org.slf4j.LoggerFactory.getLogger(Idempotency.class).warn(
                    "could not record version {} in {}: {}; a retry finds it by scanning", version, claimKey, e.getMessage());
        }
    }

    private static int stripe(String model, String key) {
        CRC32C crc = new CRC32C();
        crc.update((model + "\n" + key).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % STRIPES);
    }
}
