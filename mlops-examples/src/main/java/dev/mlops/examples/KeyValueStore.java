package dev.mlops.examples;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.Digests;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.CRC32C;

/**
 * A storage backend written from scratch for {@link CustomStoreExample}: the whole store SPI over
 * one sorted key-value map with conditional writes.
 *
 * <p>The map stands in for a key-value service (an object store with conditional puts, a
 * key-value database): the only operations used are {@code get}, ordered range scans,
 * {@code putIfAbsent} (create-if-absent), {@code replace(key, expected, next)} and
 * {@code remove(key, expected)} (compare-and-set; byte arrays compare by identity, so they
 * succeed only if the entry is still the very value that was read, which is what a revision or
 * ETag check does on a real service), and {@code compute}. Everything the registry needs follows:
 *
 * <table>
 * <caption>Layout: one map entry per blob, document and journal entry</caption>
 * <tr><th>key</th><th>value</th></tr>
 * <tr><td>{@code b/<sha256>}</td><td>stored-at seconds (8 bytes), nanos (4), the blob's bytes</td></tr>
 * <tr><td>{@code d/<document key>}</td><td>revision (8 bytes), CRC32C of key, revision and content (4), content</td></tr>
 * <tr><td>{@code j/<sequence, 19 digits>}</td><td>previous hash (64 hex), hash (64 hex), payload</td></tr>
 * </table>
 *
 * <ul>
 *   <li>Blobs: hashed while read, stored under their SHA-256 (identical content lands on one key),
 *   verified against it whenever opened.</li>
 *   <li>Documents: create is {@code putIfAbsent}; replace and delete check the revision, then
 *   compare-and-set the entry they read, so of many racing writers exactly one wins. The CRC
 *   detects a damaged entry and names its key.</li>
 *   <li>Journal: entry N+1 is created with {@code putIfAbsent} after reading entry N, chained to
 *   its hash; a writer that loses the race reads again. Numbers are therefore gap-free.</li>
 * </ul>
 *
 * <p>Proved by the compatibility kits in this module's tests
 * ({@code KeyValueStoreCompatibilityTest extends StoreCompatibilityKit},
 * {@code KeyValueStoreRegistryTest extends RegistryCompatibilityKit}), see docs/storage.md.
 * Closing the store ends this client; the map, like a service, keeps the data, so a store opened
 * again on the same map sees everything.
 */
public final class KeyValueStore implements Store {
    private static final int MAX_LIMIT = 10_000;
    private static final int BLOB_HEADER = 12;
    private static final int DOC_HEADER = 12;
    private static final int HASH_CHARS = 64;
    private static final String BLOBS = "b/";
    private static final String DOCS = "d/";
    private static final String JOURNAL = "j/";
    private static final String LOCKS = "l/";

    private final ConcurrentNavigableMap<String, byte[]> kv;
    private final Clock clock;
    private final String description;
    private volatile boolean closed;
    private final java.util.Set<KvLock> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A store over {@code kv}.
     *
     * @param kv the key-value map that holds everything (shared by every store opened on it)
     * @param clock the clock blob times come from
     */
    public KeyValueStore(ConcurrentNavigableMap<String, byte[]> kv, Clock clock) {
        this.kv = Objects.requireNonNull(kv, "kv");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.description = "key-value store " + Integer.toHexString(System.identityHashCode(kv));
    }

    /**
     * A store over a fresh in-memory map, with the system clock.
     *
     * @return the store
     */
    public static KeyValueStore inMemory() {
        return new KeyValueStore(new ConcurrentSkipListMap<>(), Clock.systemUTC());
    }

    /**
     * The map key of a blob.
     *
     * @param sha256 the blob's digest
     * @return {@code b/<sha256>}
     */
    public static String blobKey(String sha256) {
        return BLOBS + Digests.requireSha256(sha256);
    }

    /**
     * The map key of a document.
     *
     * @param key the document key (not the root)
     * @return {@code d/<key>}
     */
    public static String documentKey(DocumentKey key) {
        requireDocumentKey(key);
        return DOCS + key;
    }

    /**
     * The map key of a journal entry.
     *
     * @param sequence the entry's sequence number, 1 or more
     * @return {@code j/<sequence as 19 digits>}
     */
    public static String journalKey(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("journal sequence must be >= 1, was " + sequence);
        }
        return JOURNAL + String.format("%019d", sequence);
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return description;
    }

    // ---- blobs ------------------------------------------------------------------------------

    /** {@inheritDoc} */
    @Override
    public BlobInfo putBlob(InputStream content) {
        Objects.requireNonNull(content, "content");
        ensureOpen();
        MessageDigest md = Digests.sha256();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[BLOB_HEADER], 0, BLOB_HEADER);       // room for the time, filled below
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n; (n = content.read(buffer)) != -1; ) {
                md.update(buffer, 0, n);
                bytes.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StorageException("reading a new blob for " + description + " failed; nothing was stored", e);
        }
        String sha256 = Digests.hex(md.digest());
        Instant now = clock.instant();
        byte[] value = bytes.toByteArray();
        ByteBuffer.wrap(value).putLong(now.getEpochSecond()).putInt(now.getNano());
        // same content, same key: storing it again refreshes the time (never backwards) and heals a damaged copy
        byte[] stored = kv.compute(BLOBS + sha256, (k, old) -> old != null && storedAt(old).isAfter(now)
                && intact(old, sha256) ? old : value);
        return new BlobInfo(sha256, stored.length - BLOB_HEADER, storedAt(stored));
    }

    /** {@inheritDoc} */
    @Override
    public InputStream openBlob(String sha256) {
        String key = blobKey(sha256);
        ensureOpen();
        byte[] value = kv.get(key);
        if (value == null) {
            throw new NotFoundException("no blob " + sha256 + " in " + description);
        }
        if (!intact(value, sha256)) {
            throw new IntegrityException("blob " + sha256 + " in " + description + " does not hash to its digest");
        }
        return new ByteArrayInputStream(value, BLOB_HEADER, value.length - BLOB_HEADER);
    }

    /** {@inheritDoc} */
    @Override
    public Optional<BlobInfo> blobInfo(String sha256) {
        String key = blobKey(sha256);
        ensureOpen();
        byte[] value = kv.get(key);
        return value == null ? Optional.empty()
                : Optional.of(new BlobInfo(sha256, value.length - BLOB_HEADER, storedAt(value)));
    }

    /** {@inheritDoc} */
    @Override
    public Page<BlobInfo> listBlobs(Optional<String> startAfter, int limit) {
        Objects.requireNonNull(startAfter, "startAfter");
        checkLimit(limit);
        ensureOpen();
        List<BlobInfo> items = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : children(BLOBS, startAfter).entrySet()) {
            if (items.size() == limit) {
                return new Page<>(items, Optional.of(items.get(limit - 1).sha256()));
            }
            String sha256 = e.getKey().substring(BLOBS.length());
            items.add(new BlobInfo(sha256, e.getValue().length - BLOB_HEADER, storedAt(e.getValue())));
        }
        return Page.last(items);
    }

    /** {@inheritDoc} */
    @Override
    public boolean deleteBlob(String sha256) {
        String key = blobKey(sha256);
        ensureOpen();
        return kv.remove(key) != null;
    }

    // ---- documents --------------------------------------------------------------------------

    /** {@inheritDoc} */
    @Override
    public Optional<Document> read(DocumentKey key) {
        String k = documentKey(key);
        ensureOpen();
        byte[] value = kv.get(k);
        return value == null ? Optional.empty() : Optional.of(decode(key, value));
    }

    /** {@inheritDoc} */
    @Override
    public Document create(DocumentKey key, byte[] content) {
        String k = documentKey(key);
        Objects.requireNonNull(content, "content");
        ensureOpen();
        if (kv.putIfAbsent(k, encode(key, 1, content)) != null) {
            throw new ConflictException("document " + key + " already exists in " + description);
        }
        return new Document(key, 1, content);
    }

    /** {@inheritDoc} */
    @Override
    public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
        String k = documentKey(key);
        Objects.requireNonNull(content, "content");
        ensureOpen();
        byte[] current = kv.get(k);
        long revision = currentRevision(key, current, expectedRevision);
        if (!kv.replace(k, current, encode(key, revision + 1, content))) {
            throw lostRace(key, k, expectedRevision);
        }
        return new Document(key, revision + 1, content);
    }

    /** {@inheritDoc} */
    @Override
    public void delete(DocumentKey key, long expectedRevision) {
        String k = documentKey(key);
        ensureOpen();
        byte[] current = kv.get(k);
        currentRevision(key, current, expectedRevision);
        if (!kv.remove(k, current)) {
            throw lostRace(key, k, expectedRevision);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit) {
        return directChildren(parent, startAfter, limit).map(e -> decode(e.getKey(), e.getValue()));
    }

    /** {@inheritDoc} */
    @Override
    public Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit) {
        return directChildren(parent, startAfter, limit).map(Map.Entry::getKey);
    }

    /** One page of the documents directly under {@code parent}, with the values the scan saw. */
    private Page<Map.Entry<DocumentKey, byte[]>> directChildren(DocumentKey parent, Optional<String> startAfter,
                                                                int limit) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(startAfter, "startAfter");
        checkLimit(limit);
        ensureOpen();
        String prefix = parent.isRoot() ? DOCS : DOCS + parent + "/";
        List<Map.Entry<DocumentKey, byte[]>> items = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : children(prefix, startAfter).entrySet()) {
            String segment = e.getKey().substring(prefix.length());
            if (segment.indexOf('/') >= 0) {
                continue;                                         // a grandchild: not listed here
            }
            if (items.size() == limit) {
                return new Page<>(items, Optional.of(items.get(limit - 1).getKey().name()));
            }
            items.add(Map.entry(parent.child(segment), e.getValue()));
        }
        return Page.last(items);
    }

    // ---- journal ----------------------------------------------------------------------------

    /** {@inheritDoc} */
    @Override
    public JournalEntry append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        ensureOpen();
        while (true) {
            Map.Entry<String, byte[]> last = kv.subMap(JOURNAL, upperBound(JOURNAL)).lastEntry();
            long sequence = last == null ? 1 : sequenceOf(last.getKey()) + 1;
            String previous = last == null ? JournalEntry.GENESIS_HASH
                    : new String(last.getValue(), HASH_CHARS, HASH_CHARS, StandardCharsets.US_ASCII);
            JournalEntry entry = JournalEntry.chain(sequence, previous, payload);
            byte[] value = ByteBuffer.allocate(2 * HASH_CHARS + payload.length)
                    .put(previous.getBytes(StandardCharsets.US_ASCII)).put(entry.hash().getBytes(StandardCharsets.US_ASCII))
                    .put(payload).array();
            if (kv.putIfAbsent(journalKey(sequence), value) == null) {
                return entry;
            }
            // another writer took this number: read the new last entry and try the next one
        }
    }

    /** {@inheritDoc} */
    @Override
    public List<JournalEntry> readJournal(long fromSequence, int limit) {
        if (fromSequence < 1) {
            throw new IllegalArgumentException("fromSequence must be >= 1, was " + fromSequence);
        }
        checkLimit(limit);
        ensureOpen();
        List<JournalEntry> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : kv.subMap(journalKey(fromSequence), true, upperBound(JOURNAL), false)
                .entrySet()) {
            if (entries.size() == limit) {
                break;
            }
            entries.add(journalEntry(e.getKey(), e.getValue()));
        }
        return entries;
    }

    /** {@inheritDoc} */
    @Override
    public long journalLength() {
        ensureOpen();
        Map.Entry<String, byte[]> last = kv.subMap(JOURNAL, upperBound(JOURNAL)).lastEntry();
        return last == null ? 0 : sequenceOf(last.getKey());
    }

    // ---- locks ------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>A lock is one map entry, {@code l/<name>}, holding {@code X} while held exclusively or
     * {@code S<count>} while shared, changed by compare-and-set. A real key-value service would
     * tie the entry to a session lease (as etcd and ZooKeeper do) so that a dead client's locks
     * expire; here the clients live in one process, and {@link #close()} releases what a client holds.
     */
    @Override
    public Optional<StoreLock> lock(String name, StoreLock.Mode mode, java.time.Duration wait) {
        StoreLock.requireValidRequest(name, mode, wait);
        ensureOpen();
        String key = LOCKS + name;
        long deadline = System.nanoTime() + Math.min(wait.toMillis(), Long.MAX_VALUE / 2_000_000L) * 1_000_000L;
        while (true) {
            byte[] current = kv.get(key);
            boolean taken;
            if (current == null) {
                byte[] next = (mode == StoreLock.Mode.EXCLUSIVE ? "X" : "S1").getBytes(StandardCharsets.US_ASCII);
                taken = kv.putIfAbsent(key, next) == null;
            } else if (mode == StoreLock.Mode.SHARED && current[0] == 'S') {
                int count = Integer.parseInt(new String(current, 1, current.length - 1, StandardCharsets.US_ASCII));
                taken = kv.replace(key, current, ("S" + (count + 1)).getBytes(StandardCharsets.US_ASCII));
            } else {
                taken = false;
            }
            if (taken) {
                KvLock lock = new KvLock(name, mode);
                held.add(lock);
                return Optional.of(lock);
            }
            if (System.nanoTime() - deadline >= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while waiting for lock " + name + " of " + description, e);
            }
        }
    }

    private void unlock(String name) {
        String key = LOCKS + name;
        while (true) {
            byte[] current = kv.get(key);
            if (current == null) {
                return;
            }
            if (current[0] == 'X' || current[1] == '1' && current.length == 2) {
                if (kv.remove(key, current)) {
                    return;
                }
            } else {
                int count = Integer.parseInt(new String(current, 1, current.length - 1, StandardCharsets.US_ASCII));
                if (kv.replace(key, current, ("S" + (count - 1)).getBytes(StandardCharsets.US_ASCII))) {
                    return;
                }
            }
        }
    }

    private final class KvLock implements StoreLock {
        private final String name;
        private final Mode mode;
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        KvLock(String name, Mode mode) {
            this.name = name;
            this.mode = mode;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Mode mode() {
            return mode;
        }

        @Override
        public boolean held() {
            return !released.get();
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                held.remove(this);
                unlock(name);
            }
        }
    }

    // ---- maintenance ------------------------------------------------------------------------

    /**
     * Rehashes every blob, checks every document's CRC and the journal's numbering and chain. A
     * map has no half-written entries or temporary files, so {@code repair} finds nothing to
     * clean up: damage is reported, never "repaired" by deleting data.
     *
     * @param repair ignored: there is nothing this store could repair safely
     * @return the problems found, none repaired
     */
    @Override
    public List<IntegrityProblem> check(boolean repair) {
        ensureOpen();
        List<IntegrityProblem> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : kv.subMap(BLOBS, upperBound(BLOBS)).entrySet()) {
            String sha256 = e.getKey().substring(BLOBS.length());
            if (!intact(e.getValue(), sha256)) {
                problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.CORRUPT_BLOB, "blob " + sha256,
                        "content does not hash to its digest"));
            }
        }
        for (Map.Entry<String, byte[]> e : kv.subMap(DOCS, upperBound(DOCS)).entrySet()) {
            DocumentKey key = DocumentKey.parse(e.getKey().substring(DOCS.length()));
            try {
                decode(key, e.getValue());
            } catch (IntegrityException damaged) {
                problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.CORRUPT_DOCUMENT, "document " + key,
                        damaged.getMessage()));
            }
        }
        String previous = JournalEntry.GENESIS_HASH;
        long expected = 1;
        for (Map.Entry<String, byte[]> e : kv.subMap(JOURNAL, upperBound(JOURNAL)).entrySet()) {
            JournalEntry entry = journalEntry(e.getKey(), e.getValue());
            String where = "journal entry " + entry.sequence();
            if (entry.sequence() != expected) {
                problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.BROKEN_JOURNAL, where,
                        "expected entry " + expected + " here"));
            } else if (!entry.hashMatches()) {
                problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.BROKEN_JOURNAL, where,
                        "the entry does not match its hash"));
            } else if (!entry.previousHash().equals(previous)) {
                problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.BROKEN_JOURNAL, where,
                        "the entry is not chained to the entry before it"));
            }
            previous = entry.hash();
            expected = entry.sequence() + 1;
        }
        return problems;
    }

    /** Ends this client; the map keeps the data. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (KvLock lock : List.copyOf(held)) {
            lock.close();
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return description;
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    private static void requireDocumentKey(DocumentKey key) {
        Objects.requireNonNull(key, "key");
        if (key.isRoot()) {
            throw new IllegalArgumentException("the root key holds no document; name a document key");
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Entries under {@code prefix}, after {@code prefix + startAfter} when given, in key order. */
    private ConcurrentNavigableMap<String, byte[]> children(String prefix, Optional<String> startAfter) {
        return startAfter.isPresent() ? kv.subMap(prefix + startAfter.get(), false, upperBound(prefix), false)
                : kv.subMap(prefix, true, upperBound(prefix), false);
    }

    /** The first string after every key that starts with {@code prefix} (which ends with '/'). */
    private static String upperBound(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1);
    }

    private static Instant storedAt(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        return Instant.ofEpochSecond(b.getLong(), b.getInt());
    }

    private static boolean intact(byte[] value, String sha256) {
        if (value.length < BLOB_HEADER) {
            return false;
        }
        MessageDigest md = Digests.sha256();
        md.update(value, BLOB_HEADER, value.length - BLOB_HEADER);
        return Digests.hex(md.digest()).equals(sha256);
    }

    private static byte[] encode(DocumentKey key, long revision, byte[] content) {
        return ByteBuffer.allocate(DOC_HEADER + content.length).putLong(revision)
                .putInt(crc(key, revision, content, 0, content.length)).put(content).array();
    }

    private Document decode(DocumentKey key, byte[] value) {
        if (value.length < DOC_HEADER) {
            throw new IntegrityException("document " + key + " in " + description + " is truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        long revision = b.getLong();
        int crc = b.getInt();
        if (revision < 1 || crc != crc(key, revision, value, DOC_HEADER, value.length - DOC_HEADER)) {
            throw new IntegrityException("document " + key + " in " + description
                    + " is damaged: its checksum does not match its content");
        }
        return new Document(key, revision, Arrays.copyOfRange(value, DOC_HEADER, value.length));
    }

    private static int crc(DocumentKey key, long revision, byte[] content, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(key.toString().getBytes(StandardCharsets.UTF_8));
        crc.update(ByteBuffer.allocate(9).put((byte) 0).putLong(revision).array());
        crc.update(content, offset, length);
        return (int) crc.getValue();
    }

    /** The revision of {@code current}, after checking it exists, is intact and is the expected one. */
    private long currentRevision(DocumentKey key, byte[] current, long expectedRevision) {
        if (current == null) {
            throw new NotFoundException("no document " + key + " in " + description);
        }
        long revision = decode(key, current).revision();
        if (revision != expectedRevision) {
            throw new ConflictException("document " + key + " is at revision " + revision + ", not "
                    + expectedRevision);
        }
        return revision;
    }

    /** The exception for a compare-and-set that another writer beat. */
    private RuntimeException lostRace(DocumentKey key, String k, long expectedRevision) {
        return kv.containsKey(k)
                ? new ConflictException("document " + key + " changed after revision " + expectedRevision + " was read")
                : new NotFoundException("document " + key + " was deleted concurrently");
    }

    private static long sequenceOf(String journalKey) {
        return Long.parseLong(journalKey.substring(JOURNAL.length()));
    }

    private static JournalEntry journalEntry(String key, byte[] value) {
        if (value.length < 2 * HASH_CHARS) {
            throw new IntegrityException("journal entry " + sequenceOf(key) + " is truncated");
        }
        return new JournalEntry(sequenceOf(key), new String(value, 0, HASH_CHARS, StandardCharsets.US_ASCII),
                new String(value, HASH_CHARS, HASH_CHARS, StandardCharsets.US_ASCII),
                Arrays.copyOfRange(value, 2 * HASH_CHARS, value.length));
    }
}
