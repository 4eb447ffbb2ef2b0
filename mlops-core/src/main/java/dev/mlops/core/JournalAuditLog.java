package dev.mlops.core;

import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditHead;
import dev.mlops.api.AuditLog;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.MlopsException;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/** The audit log as JSON records in the store's hash-chained journal. */
final class JournalAuditLog implements AuditLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalAuditLog.class);
    /**
     * 3: field names are snake_case ({@code schema_version}). 2: creation entries
     * ({@code model.create}, {@code version.register}, {@code dataset.register}) list the initial
     * tags and attachments, and alias entries carry their move number. 1: they do not. 1 and 2
     * were written camelCase ({@code schemaVersion}); entries are never rewritten, so their
     * stored bytes, and with them the hash chain, stay as they were.
     */
    static final int SCHEMA_VERSION = 3;
    /** The last schema version written with camelCase names. */
    private static final int LAST_CAMEL_CASE_VERSION = 2;
    /** Key in an alias entry's {@code after}: the move's number, its position in the alias history. */
    static final String MOVE = "move";
    /** Prefix of a tag's key in {@code before} and {@code after}. */
    static final String TAG = "tag.";
    /** Prefix of an attachment's key in a creation entry's {@code after}; the value is its SHA-256. */
    static final String ATTACHMENT = "attachment.";
    /** Key marking an entry appended by verification for a change whose own entry was lost. */
    static final String RECOVERED_BY = "recovered_by";
    private static final int BATCH = 1000;

    private final Store store;
    private final Clock clock;
    private final String actor;

    JournalAuditLog(Store store, Clock clock, String actor) {
        this.store = store;
        this.clock = clock;
        this.actor = actor;
    }

    /** Stored form of one entry's payload. */
    record AuditRecord(int schemaVersion, String time, String actor, String action, String target,
                       Map<String, String> before, Map<String, String> after) {
        AuditRecord {
            before = before == null ? Map.of() : new TreeMap<>(before);
            after = after == null ? Map.of() : new TreeMap<>(after);
        }
    }

    /** One entry with the schema version it was stored with. */
    record Recorded(AuditEntry entry, int schemaVersion) {
        /** @return true if this creation entry lists the initial tags and attachments of its target */
        boolean listsCreationState() {
            return schemaVersion >= 2 && !entry.after().containsKey(RECOVERED_BY);
        }
    }

    /**
     * @param facts what the creation entry records anyway
     * @param tags the initial tags, as {@code tag.KEY}
     * @param attachments the initial attachments' digests, as {@code attachment.NAME}
     * @return the {@code after} of a creation entry, which verification replays tag and
     *     attachment changes from
     */
    static Map<String, String> creationState(Map<String, String> facts, Map<String, String> tags,
                                             Map<String, String> attachments) {
        Map<String, String> after = new TreeMap<>(facts);
        tags.forEach((k, v) -> after.put(TAG + k, v));
        attachments.forEach((k, v) -> after.put(ATTACHMENT + k, v));
        return after;
    }

    /** Action names the registry writes and verification replays; extensions may not use them. */
    private static final java.util.List<String> RESERVED = java.util.List.of("model.", "version.", "alias.", "dataset.",
            "store.", "run.");
    private static final java.util.regex.Pattern ACTION = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+");

    @Override
    public void record(String action, String target, Map<String, String> before, Map<String, String> after) {
        java.util.Objects.requireNonNull(action, "action");
        java.util.Objects.requireNonNull(target, "target");
        java.util.Objects.requireNonNull(before, "before");
        java.util.Objects.requireNonNull(after, "after");
        if (!ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("audit action " + dev.mlops.api.Names.quote(action)
                    + " is not a dotted lower-case name such as promotion.refused");
        }
        for (String r : RESERVED) {
            if (action.startsWith(r)) {
                throw new IllegalArgumentException("audit action " + dev.mlops.api.Names.quote(action)
                        + " is the registry's own (" + r + "*): it records those itself, and verify replays them");
            }
        }
        append(action, target, before, after);
    }

    /** Appends an entry of the registry's own, unchecked; throws if it could not be appended. */
    void append(String action, String target, Map<String, String> before, Map<String, String> after) {
        store.append(StoredDocuments.write(new AuditRecord(SCHEMA_VERSION, clock.instant().toString(), actor, action, target,
                before, after)));
    }

    /**
     * Appends the entry of a change that is already committed. The change happened, so a
     * failure to append (a full disk) must not make the caller report a failure: it is logged,
     * and {@code verify(VerifyOptions.repair())} finds the change without its entry and appends it.
     */
    void recordCommitted(String action, String target, Map<String, String> before, Map<String, String> after) {
        try {
            append(action, target, before, after);
        } catch (MlopsException e) {
            LOG.warn("{} of {} is committed, but its audit entry could not be appended ({}); 'verify --repair'"
                    + " appends it", action, target, e.getMessage());
        }
    }

    @Override
    public List<AuditEntry> entries(long fromSequence, int limit) {
        if (fromSequence < 1) {
            throw new IllegalArgumentException("fromSequence must be >= 1, was " + fromSequence);
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000, was " + limit);
        }
        return store.readJournal(fromSequence, limit).stream().map(JournalAuditLog::toEntry).toList();
    }

    /** Like {@link #entries}, with each entry's schema version. */
    List<Recorded> recorded(long fromSequence, int limit) {
        return store.readJournal(fromSequence, limit).stream().map(e -> {
            AuditRecord r = read(e);
            return new Recorded(toEntry(e, r), r.schemaVersion());
        }).toList();
    }

    @Override
    public List<AuditEntry> entriesFor(String target) {
        Objects.requireNonNull(target, "target");
        List<AuditEntry> out = new ArrayList<>();
        long next = 1;
        while (true) {
            List<JournalEntry> batch = store.readJournal(next, BATCH);
            for (JournalEntry e : batch) {
                AuditEntry a = toEntry(e);
                String t = a.target();
                if (t.equals(target) || t.startsWith(target + "/") || t.startsWith(target + "@")) {
                    out.add(a);
                }
            }
            if (batch.size() < BATCH) {
                return out;
            }
            next += BATCH;
        }
    }

    @Override
    public long size() {
        return store.journalLength();
    }

    @Override
    public AuditVerification verify() {
        String previous = JournalEntry.GENESIS_HASH;
        long expected = 1;
        while (true) {
            List<JournalEntry> batch = store.readJournal(expected, BATCH);
            for (JournalEntry e : batch) {
                String problem = null;
                if (e.sequence() != expected) {
                    problem = "expected entry " + expected + " but found entry " + e.sequence()
                            + " (an entry was removed or reordered)";
                } else if (!e.previousHash().equals(previous)) {
                    problem = "entry " + expected + " does not follow the entry before it (previous hash "
                            + e.previousHash() + ", expected " + previous + "): an entry was removed, replaced or reordered";
                } else if (!e.hashMatches()) {
                    problem = "entry " + expected + " was altered: its content no longer matches its hash";
                }
                if (problem != null) {
                    return new AuditVerification(false, expected - 1, OptionalLong.of(expected), problem);
                }
                previous = e.hash();
                expected++;
            }
            if (batch.size() < BATCH) {
                break;
            }
        }
        long length = store.journalLength();
        if (length != expected - 1) {
            return new AuditVerification(false, expected - 1, OptionalLong.of(expected),
                    "the journal reports " + length + " entries but only " + (expected - 1) + " could be read in order");
        }
        return new AuditVerification(true, expected - 1, OptionalLong.empty(), "ok");
    }

    @Override
    public java.util.Optional<AuditHead> head() {
        long length = store.journalLength();
        if (length == 0) {
            return java.util.Optional.empty();
        }
        List<JournalEntry> last = store.readJournal(length, 1);
        if (last.isEmpty()) {
            throw new dev.mlops.api.IntegrityException("the journal reports " + length + " entries but entry " + length
                    + " cannot be read");
        }
        return java.util.Optional.of(new AuditHead(length, last.get(0).hash()));
    }

    @Override
    public AuditVerification verify(AuditHead expected) {
        Objects.requireNonNull(expected, "expected");
        AuditVerification chain = verify();
        if (!chain.ok()) {
            return chain;
        }
        long length = chain.entriesChecked();
        if (length < expected.sequence()) {
            return new AuditVerification(false, length, OptionalLong.of(length + 1), "the trail has " + length
                    + " entries, but the recorded head is entry " + expected.sequence() + ": entries were removed from"
                    + " its end");
        }
        JournalEntry at = store.readJournal(expected.sequence(), 1).get(0);
        if (!at.hash().equals(expected.hash())) {
            return new AuditVerification(false, length, OptionalLong.of(expected.sequence()), "entry "
                    + expected.sequence() + " is not the recorded head (hash " + at.hash() + ", recorded "
                    + expected.hash() + "): the trail was rewritten from entry " + expected.sequence() + " or earlier");
        }
        return chain;
    }

    private static AuditEntry toEntry(JournalEntry e) {
        return toEntry(e, read(e));
    }

    private static AuditRecord read(JournalEntry e) {
        return StoredDocuments.readAsWritten(e.payload(), AuditRecord.class, "audit entry " + e.sequence(),
                LAST_CAMEL_CASE_VERSION, SCHEMA_VERSION);
    }

    private static AuditEntry toEntry(JournalEntry e, AuditRecord r) {
        return new AuditEntry(e.sequence(), Instant.parse(r.time()), r.actor(), r.action(), r.target(), r.before(),
                r.after(), e.previousHash(), e.hash());
    }
}
