package dev.mlops.api;

import java.util.Objects;

/**
 * One problem found by a consistency check of a store or registry.
 *
 * @param kind what sort of problem
 * @param location where: a document key, a blob digest, a journal sequence, a file path
 * @param detail what is wrong, in words
 * @param repaired true when the check was asked to repair and did
 * @param repairable true when a repair fixes it (true for every repaired problem); false when
 *     repairing cannot, such as lost bytes or a document removed by hand
 */
public record IntegrityProblem(Kind kind, String location, String detail, boolean repaired, boolean repairable) {

    /** Sorts of problems. */
    public enum Kind {
        /** A blob's bytes do not hash to its address, or it cannot be read. */
        CORRUPT_BLOB,
        /** A document is truncated, unparseable, or its stored checksum does not match. */
        CORRUPT_DOCUMENT,
        /** A temporary file or lock left by a writer that died; harmless, removed on repair. */
        LEFTOVER,
        /** The journal's hash chain is broken: an entry altered, removed or reordered. */
        BROKEN_JOURNAL,
        /** A document refers to a blob or document that does not exist. */
        DANGLING_REFERENCE,
        /** Registry rules are violated (e.g. an alias points at a missing version). */
        INCONSISTENT,
        /**
         * A committed change has no audit entry: its writer stopped between the commit and the
         * entry. Repair appends the entry, marked {@code recovered_by: verify --repair}.
         */
        MISSING_AUDIT_ENTRY,
        /**
         * The state contradicts the audit trail: a model, version, dataset, artifact, attachment
         * or alias target that the trail records is missing or different, so state was removed
         * or edited outside mlops. Not repairable: restore from a backup.
         */
        AUDIT_MISMATCH
    }

    /** Checks arguments. */
    public IntegrityProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(detail, "detail");
        if (repaired && !repairable) {
            throw new IllegalArgumentException("a repaired problem is repairable: " + kind + " at " + location);
        }
    }

    /**
     * @param kind what sort of problem
     * @param location where
     * @param detail what is wrong
     * @return a problem that no repair can fix
     */
    public static IntegrityProblem unrepairable(Kind kind, String location, String detail) {
        return new IntegrityProblem(kind, location, detail, false, false);
    }

    /**
     * @param kind what sort of problem
     * @param location where
     * @param detail what is wrong
     * @param repaired whether this check repaired it
     * @return a problem that a repair fixes
     */
    public static IntegrityProblem repairable(Kind kind, String location, String detail, boolean repaired) {
        return new IntegrityProblem(kind, location, detail, repaired, true);
    }

    @Override
    public String toString() {
        return kind + " at " + location + ": " + detail + (repaired ? " (repaired)" : repairable ? " (repairable)" : "");
    }
}
