package dev.mlops.api;

import java.util.List;
import java.util.Map;

/** The tamper-evident record of every mutation of a registry or catalog. */
public interface AuditLog {

    /**
     * @param fromSequence first entry to return, 1 or more
     * @param limit at most this many, 1 to 10,000
     * @return entries in order; each is returned as stored, even if the chain is broken
     * @throws IntegrityException if an entry's payload cannot be parsed
     */
    List<AuditEntry> entries(long fromSequence, int limit);

    /**
     * @param target a target such as {@code rain/3} or a prefix such as {@code rain}
     * @return entries whose target equals it or starts with it followed by {@code /} or {@code @}
     */
    List<AuditEntry> entriesFor(String target);

    /** @return the number of entries */
    long size();

    /**
     * Recomputes the hash chain from the first entry.
     *
     * @return where, if anywhere, the chain breaks
     */
    AuditVerification verify();

    /**
     * @return the last entry's position and hash, to record outside the store; empty while the
     *     trail is empty
     */
    java.util.Optional<AuditHead> head();

    /**
     * Recomputes the hash chain, as {@link #verify()} does, and checks that the trail still holds
     * {@code expected}, a head recorded earlier: entries removed from the end, or the trail
     * rewritten from an earlier entry, are found even though the chain itself verifies.
     *
     * @param expected a head recorded earlier with {@link #head()}
     * @return where, if anywhere, the chain breaks or the recorded head is missing
     */
    AuditVerification verify(AuditHead expected);

    /**
     * Appends an entry for something an extension decided or did (a promotion gate's refusal, a
     * retraining run), chained like every other entry. The registry records its own changes; the
     * action names it uses (those starting with {@code model.}, {@code version.}, {@code alias.},
     * {@code dataset.} and {@code store.}, and the tracker's {@code run.}) are refused here, because
     * verification replays them against the stored state, and a reader must be able to trust that
     * a run's start and end entries came from the tracker.
     *
     * @param action what happened, a dotted lower-case name such as {@code promotion.refused}
     * @param target what it happened to, such as {@code rain/4}
     * @param before the relevant state before (may be empty)
     * @param after the relevant state after, or the facts of the decision (may be empty)
     * @throws IllegalArgumentException if the action is not a dotted lower-case name or is one of
     *     the registry's own
     * @throws StorageException if the entry could not be appended
     */
    void record(String action, String target, Map<String, String> before, Map<String, String> after);
}
