package dev.mlops.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded mutation.
 *
 * @param sequence position in the journal, from 1
 * @param time when
 * @param actor who (configured, by default the OS user)
 * @param action what, such as {@code version.register} or {@code alias.set}
 * @param target on what, such as {@code rain/3} or {@code rain@production}
 * @param before relevant state before (empty for creations)
 * @param after relevant state after
 * @param previousHash chain hash of the entry before
 * @param hash this entry's chain hash
 */
public record AuditEntry(long sequence, Instant time, String actor, String action, String target,
                         Map<String, String> before, Map<String, String> after, String previousHash, String hash) {
    /** Copies and checks. */
    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        before = Map.copyOf(before);
        after = Map.copyOf(after);
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
    }
}
