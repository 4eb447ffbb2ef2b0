package dev.mlops.api.store;

import java.util.regex.Pattern;

/**
 * A named lock taken from a {@link Store} with {@link Store#lock}: held by many at once in
 * {@link Mode#SHARED shared} mode, or by one alone in {@link Mode#EXCLUSIVE exclusive} mode,
 * across threads, store instances and processes that use the same storage.
 *
 * <p>The registry uses two: writers of blobs hold {@value #COLLECTION} shared from their first
 * blob write until the document that references the blobs is committed, and garbage collection
 * holds it exclusive while it decides what is unreferenced and deletes it, so it never deletes a
 * blob that a registration in flight has written but not yet referenced. Short exclusive locks
 * serialise retries of one idempotent registration.
 *
 * <p>The store releases a lock when it is closed, when the store is closed, and when the
 * holder's process dies, so a killed holder never leaves a lock behind. A lock is not owned by
 * a thread: any thread may close it, and acquiring again from a thread that already holds it is
 * a second holder (an exclusive request then waits for the holder itself).
 */
public interface StoreLock extends AutoCloseable {

    /** Lock names: lower-case letters, digits and dashes, 1 to 64 characters. */
    Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** The lock that keeps garbage collection out while blobs are written but not yet referenced. */
    String COLLECTION = "collection";

    /** How a lock is held. */
    enum Mode {
        /** With any number of other shared holders, and no exclusive one. */
        SHARED,
        /** Alone. */
        EXCLUSIVE
    }

    /** @return the lock's name */
    String name();

    /** @return how it is held */
    Mode mode();

    /**
     * Whether the lock has been held without a break since it was acquired. False after
     * {@link #close()}, and when a backend lost it without its holder's knowledge (for example a
     * database session that ended); once false it never becomes true again.
     *
     * @return true while held
     */
    boolean held();

    /** Releases the lock. Idempotent; never throws for a lock that was already lost. */
    @Override
    void close();

    /**
     * Checks the arguments of {@link Store#lock}, as every backend must before it acquires.
     *
     * @param name a lock name
     * @param mode not null
     * @param wait not null, not negative
     * @throws IllegalArgumentException for an invalid name or a negative wait
     */
    static void requireValidRequest(String name, Mode mode, java.time.Duration wait) {
        requireName(name);
        java.util.Objects.requireNonNull(mode, "mode");
        java.util.Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, was " + wait);
        }
    }

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lock name " + (name == null ? "null" : "'" + name + "'")
                    + " is invalid: expected 1 to 64 lower-case letters, digits and dashes, starting with a letter"
                    + " or digit");
        }
        return name;
    }
}
