package dev.mlops.api;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Result of checking the audit chain.
 *
 * @param ok true when every entry is present, in order and unaltered
 * @param entriesChecked how many entries were read
 * @param firstBadSequence the first entry that was altered, removed or reordered
 * @param detail what is wrong there, or {@code "ok"}
 */
public record AuditVerification(boolean ok, long entriesChecked, OptionalLong firstBadSequence, String detail) {
    /** Checks arguments. */
    public AuditVerification {
        Objects.requireNonNull(firstBadSequence, "firstBadSequence");
        Objects.requireNonNull(detail, "detail");
        if (ok == firstBadSequence.isPresent()) {
            throw new IllegalArgumentException("ok must be true exactly when no bad sequence is given");
        }
    }
}
