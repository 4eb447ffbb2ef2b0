package dev.mlops.api.store;

import java.util.Objects;

/**
 * One problem found by a consistency check of a store or registry.
 *
 * @param kind what sort of problem
 * @param location where: a document key, a blob digest, a journal sequence, a file path
 * @param detail what is wrong, in words
 * @param repaired true when the check was asked to repair and did
 */
public record IntegrityProblem(Kind kind, String location, String detail, boolean repaired) {

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
        MISSING_AUDIT_ENTRY
    }

    /** Checks arguments. */
    public IntegrityProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return kind + " at " + location + ": " + detail + (repaired ? " (repaired)" : "");
    }
}
