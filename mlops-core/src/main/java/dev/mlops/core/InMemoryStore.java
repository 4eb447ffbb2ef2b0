package dev.mlops.core;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * A {@link Store} that keeps everything in memory, for tests and ephemeral use. Nothing survives
 * {@link #close()} or the end of the process.
 *
 * <p>Thread-safe: blobs, documents and the journal are each guarded by one lock, so
 * create-if-absent and compare-and-set are linearizable. A blob's content is read and hashed
 * outside any lock, in one pass. Every document is stored with a CRC32C checksum that is checked
 * on every read, and every blob is re-hashed while it is read, so damage is reported as
 * {@link IntegrityException} just as a durable store would report it.
 *
 * <pre>{@code
 * Mlops mlops = Mlops.builder().store(new InMemoryStore()).build();
 * }</pre>
 */
public final class InMemoryStore implements Store {

    private static final int MAX_LIMIT = 10_000;
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_BLOB_SIZE = Integer.MAX_VALUE - 8;
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final Clock clock;
    private final String description;
    private volatile boolean closed;

    private final Object blobLock = new Object();
    private final NavigableMap<String, StoredBlob> blobs = new TreeMap<>();

    private final Object documentLock = new Object();
    /** Documents by parent key, then by last segment: one map lookup per read, ordered listing. */
    private final Map<DocumentKey, NavigableMap<String, StoredDocument>> documents = new HashMap<>();

    private final Object journalLock = new Object();
    private final List<JournalEntry> journal = new ArrayList<>();

    private final LockTable locks;

    /** Creates an empty store whose blob times come from the system clock in UTC. */
    public InMemoryStore() {
        this(Clock.systemUTC());
    }

    /**
     * Creates an empty store.
     *
     * @param clock the source of {@link BlobInfo#storedAt()}
     */
    public InMemoryStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.description = "memory:" + INSTANCES.incrementAndGet();
        this.locks = new LockTable(description);
    }

    /** @return {@code memory:N}, N numbering the instances of this process */
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        try {
            for (int n; (n = content.read(buffer)) != -1; ) {
                size += n;
                if (size > MAX_BLOB_SIZE) {
                    throw new StorageException("blob is larger than " + MAX_BLOB_SIZE
                            + " bytes, the most " + description + " can hold in memory");
                }
                md.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StorageException("reading the content of a new blob for " + description + " failed: "
                    + e.getMessage() + "; nothing was stored", e);
        }
        String sha256 = Digests.hex(md.digest());
        byte[] bytes = out.toByteArray();
        synchronized (blobLock) {
            ensureOpen();
            Instant now = clock.instant();
            StoredBlob existing = blobs.get(sha256);
            // a dedup hit keeps the stored bytes unless they were damaged: then the new copy heals them
            byte[] keep = existing != null && Arrays.equals(existing.bytes, bytes) ? existing.bytes : bytes;
            StoredBlob stored = new StoredBlob(keep, bytes.length, now);
            blobs.put(sha256, stored);
            return stored.info(sha256);
        }
    }

    /** {@inheritDoc} */
    @Override
    public InputStream openBlob(String sha256) {
        Digests.requireSha256(sha256);
        StoredBlob blob;
        synchronized (blobLock) {
            ensureOpen();
            blob = blobs.get(sha256);
        }
        if (blob == null) {
            throw new NotFoundException("no blob " + sha256 + " in " + description);
        }
        if (blob.bytes.length != blob.size) {
            throw new IntegrityException("blob " + sha256 + " in " + description + " holds " + blob.bytes.length
                    + " bytes, expected " + blob.size);
        }
        return new VerifyingInputStream(blob.bytes, sha256);
    }

    /** {@inheritDoc} */
    @Override
    public Optional<BlobInfo> blobInfo(String sha256) {
        Digests.requireSha256(sha256);
        synchronized (blobLock) {
            ensureOpen();
            StoredBlob blob = blobs.get(sha256);
            return blob == null ? Optional.empty() : Optional.of(blob.info(sha256));
        }
    }

    /** {@inheritDoc} */
    @Override
    public Page<BlobInfo> listBlobs(Optional<String> startAfter, int limit) {
        Objects.requireNonNull(startAfter, "startAfter");
        checkLimit(limit);
        synchronized (blobLock) {
            ensureOpen();
            NavigableMap<String, StoredBlob> tail = startAfter.isPresent()
                    ? blobs.tailMap(startAfter.get(), false) : blobs;
            List<BlobInfo> items = new ArrayList<>(Math.min(limit, tail.size()));
            for (Map.Entry<String, StoredBlob> e : tail.entrySet()) {
                if (items.size() == limit) {
                    return new Page<>(items, Optional.of(items.get(items.size() - 1).sha256()));
                }
                items.add(e.getValue().info(e.getKey()));
            }
            return Page.last(items);
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean deleteBlob(String sha256) {
        Digests.requireSha256(sha256);
        synchronized (blobLock) {
            ensureOpen();
            return blobs.remove(sha256) != null;
        }
    }

    // ---- documents --------------------------------------------------------------------------

    /** {@inheritDoc} */
    @Override
    public Optional<Document> read(DocumentKey key) {
        requireDocumentKey(key);
        synchronized (documentLock) {
            ensureOpen();
            StoredDocument d = find(key);
            return d == null ? Optional.empty() : Optional.of(d.verified(key, description));
        }
    }

    /** {@inheritDoc} */
    @Override
    public Document create(DocumentKey key, byte[] content) {
        requireDocumentKey(key);
        Objects.requireNonNull(content, "content");
        StoredDocument created = new StoredDocument(1, content.clone());
        synchronized (documentLock) {
            ensureOpen();
            NavigableMap<String, StoredDocument> siblings = documents.computeIfAbsent(key.parent(),
                    p -> new TreeMap<>());
            if (siblings.containsKey(key.name())) {
                throw new ConflictException("document " + key + " already exists in " + description);
            }
            siblings.put(key.name(), created);
        }
        return created.toDocument(key);
    }

    /** {@inheritDoc} */
    @Override
    public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
        requireDocumentKey(key);
        Objects.requireNonNull(content, "content");
        byte[] copy = content.clone();
        synchronized (documentLock) {
            ensureOpen();
            StoredDocument current = requireRevision(key, expectedRevision, "replace");
            StoredDocument next = new StoredDocument(current.revision + 1, copy);
            documents.get(key.parent()).put(key.name(), next);
            return next.toDocument(key);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void delete(DocumentKey key, long expectedRevision) {
        requireDocumentKey(key);
        synchronized (documentLock) {
            ensureOpen();
            requireRevision(key, expectedRevision, "delete");
            NavigableMap<String, StoredDocument> siblings = documents.get(key.parent());
            siblings.remove(key.name());
            if (siblings.isEmpty()) {
                documents.remove(key.parent());
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(startAfter, "startAfter");
        checkLimit(limit);
        synchronized (documentLock) {
            ensureOpen();
            NavigableMap<String, StoredDocument> children = documents.get(parent);
            if (children == null) {
                return Page.last(List.of());
            }
            NavigableMap<String, StoredDocument> tail = startAfter.isPresent()
                    ? children.tailMap(startAfter.get(), false) : children;
            List<Document> items = new ArrayList<>(Math.min(limit, tail.size()));
            for (Map.Entry<String, StoredDocument> e : tail.entrySet()) {
                if (items.size() == limit) {
                    return new Page<>(items, Optional.of(items.get(items.size() - 1).key().name()));
                }
                items.add(e.getValue().verified(parent.child(e.getKey()), description));
            }
            return Page.last(items);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(startAfter, "startAfter");
        checkLimit(limit);
        synchronized (documentLock) {
            ensureOpen();
            NavigableMap<String, StoredDocument> children = documents.get(parent);
            if (children == null) {
                return Page.last(List.of());
            }
            NavigableMap<String, StoredDocument> tail = startAfter.isPresent()
                    ? children.tailMap(startAfter.get(), false) : children;
            List<DocumentKey> keys = new ArrayList<>(Math.min(limit, tail.size()));
            for (String segment : tail.keySet()) {
                if (keys.size() == limit) {
                    return new Page<>(keys, Optional.of(keys.get(keys.size() - 1).name()));
                }
                keys.add(parent.child(segment));
            }
            return Page.last(keys);
        }
    }

    // ---- journal ----------------------------------------------------------------------------

    /** {@inheritDoc} */
    @Override
    public JournalEntry append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        synchronized (journalLock) {
            ensureOpen();
            String previous = journal.isEmpty() ? JournalEntry.GENESIS_HASH : journal.get(journal.size() - 1).hash();
            JournalEntry entry = JournalEntry.chain(journal.size() + 1L, previous, payload);
            journal.add(entry);
            return entry;
        }
    }

    /** {@inheritDoc} */
    @Override
    public List<JournalEntry> readJournal(long fromSequence, int limit) {
        if (fromSequence < 1) {
            throw new IllegalArgumentException("fromSequence must be 1 or more, was " + fromSequence);
        }
        checkLimit(limit);
        synchronized (journalLock) {
            ensureOpen();
            if (fromSequence > journal.size()) {
                return List.of();
            }
            int from = (int) (fromSequence - 1);
            int to = (int) Math.min(journal.size(), (long) from + limit);
            return List.copyOf(journal.subList(from, to));
        }
    }

    /** {@inheritDoc} */
    @Override
    public long journalLength() {
        synchronized (journalLock) {
            ensureOpen();
            return journal.size();
        }
    }

    // ---- locks ------------------------------------------------------------------------------

    /** {@inheritDoc} Locks of an in-memory store exclude only the threads of this process. */
    @Override
    public Optional<StoreLock> lock(String name, StoreLock.Mode mode, java.time.Duration wait) {
        ensureOpen();
        return locks.acquire(name, mode, wait);
    }

    // ---- maintenance ------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>An in-memory store has no leftovers of crashed writers, so {@code repair} changes
     * nothing; damaged data is reported, never removed.
     */
    @Override
    public List<IntegrityProblem> check(boolean repair) {
        ensureOpen();
        List<IntegrityProblem> problems = new ArrayList<>();
        Map<String, StoredBlob> blobSnapshot;
        synchronized (blobLock) {
            blobSnapshot = new TreeMap<>(blobs);
        }
        for (Map.Entry<String, StoredBlob> e : blobSnapshot.entrySet()) {
            StoredBlob b = e.getValue();
            if (b.bytes.length != b.size) {
                problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.CORRUPT_BLOB, e.getKey(),
                        "holds " + b.bytes.length + " bytes, expected " + b.size));
            } else if (!Digests.sha256Hex(b.bytes).equals(e.getKey())) {
                problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.CORRUPT_BLOB, e.getKey(),
                        "content does not hash to its address"));
            }
        }
        synchronized (documentLock) {
            List<DocumentKey> parents = new ArrayList<>(documents.keySet());
            parents.sort(null);
            for (DocumentKey parent : parents) {
                for (Map.Entry<String, StoredDocument> e : documents.get(parent).entrySet()) {
                    if (!e.getValue().intact()) {
                        problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.CORRUPT_DOCUMENT,
                                parent.child(e.getKey()).toString(), "stored checksum does not match the content"));
                    }
                }
            }
        }
        synchronized (journalLock) {
            String previous = JournalEntry.GENESIS_HASH;
            for (int i = 0; i < journal.size(); i++) {
                JournalEntry e = journal.get(i);
                String problem = e.sequence() != i + 1 ? "has sequence " + e.sequence() + " at position " + (i + 1)
                        : !e.previousHash().equals(previous) ? "does not link to the hash of the entry before it"
                        : !e.hashMatches() ? "content does not match its hash" : null;
                if (problem != null) {
                    problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.BROKEN_JOURNAL, "journal/" + (i + 1),
                            "journal entry " + (i + 1) + " " + problem + "; every later entry is unverified"));
                    break;
                }
                previous = e.hash();
            }
        }
        return problems;
    }

    /** Drops all data; every later operation throws {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        locks.close();
        synchronized (blobLock) {
            blobs.clear();
        }
        synchronized (documentLock) {
            documents.clear();
        }
        synchronized (journalLock) {
            journal.clear();
        }
    }

    @Override
    public String toString() {
        return "InMemoryStore[" + description + "]";
    }

    // ---- damage, for tests of corruption handling ------------------------------------------

    /** Flips the bits of one byte of a stored blob, keeping its length. */
    void damageBlob(String sha256) {
        synchronized (blobLock) {
            StoredBlob b = blobs.get(Digests.requireSha256(sha256));
            if (b == null) {
                throw new NotFoundException("no blob " + sha256 + " to damage");
            }
            if (b.bytes.length == 0) {
                throw new IllegalArgumentException("an empty blob cannot be damaged without changing its length");
            }
            byte[] damaged = b.bytes.clone();
            damaged[damaged.length / 2] ^= (byte) 0xff;
            blobs.put(sha256, new StoredBlob(damaged, b.size, b.storedAt));
        }
    }

    /** Truncates a stored document to half its length (or garbles an empty one), keeping the checksum. */
    void damageDocument(DocumentKey key) {
        synchronized (documentLock) {
            StoredDocument d = find(key);
            if (d == null) {
                throw new NotFoundException("no document " + key + " to damage");
            }
            byte[] damaged = d.content.length == 0 ? new byte[] {'?'}
                    : Arrays.copyOf(d.content, d.content.length / 2);
            documents.get(key.parent()).put(key.name(), new StoredDocument(d.revision, damaged, d.crc));
        }
    }

    /** Changes a journal entry's payload while keeping its stored hashes. */
    void damageJournalEntry(long sequence) {
        synchronized (journalLock) {
            if (sequence < 1 || sequence > journal.size()) {
                throw new NotFoundException("no journal entry " + sequence + " to damage");
            }
            JournalEntry e = journal.get((int) (sequence - 1));
            byte[] payload = e.payload();
            byte[] damaged = payload.length == 0 ? new byte[] {'?'} : payload;
            if (payload.length > 0) {
                damaged[0] ^= 0x01;
            }
            journal.set((int) (sequence - 1), new JournalEntry(e.sequence(), e.previousHash(), e.hash(), damaged));
        }
    }

    // ---- internals --------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store " + description + " is closed");
        }
    }

    private static void requireDocumentKey(DocumentKey key) {
        Objects.requireNonNull(key, "key");
        if (key.isRoot()) {
            throw new IllegalArgumentException("the root key can be listed, not read or written; expected a key"
                    + " with at least one segment");
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Caller holds {@link #documentLock}. */
    private StoredDocument find(DocumentKey key) {
        NavigableMap<String, StoredDocument> siblings = documents.get(key.parent());
        return siblings == null ? null : siblings.get(key.name());
    }

    /** Caller holds {@link #documentLock}. */
    private StoredDocument requireRevision(DocumentKey key, long expectedRevision, String operation) {
        StoredDocument current = find(key);
        if (current == null) {
            throw new NotFoundException("cannot " + operation + " document " + key + ": it does not exist in "
                    + description);
        }
        if (current.revision != expectedRevision) {
            throw new ConflictException("cannot " + operation + " document " + key + ": expected revision "
                    + expectedRevision + " but it is at revision " + current.revision);
        }
        return current;
    }

    private static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** A blob's bytes (never changed once stored), its recorded size and time. */
    private record StoredBlob(byte[] bytes, long size, Instant storedAt) {
        BlobInfo info(String sha256) {
            return new BlobInfo(sha256, size, storedAt);
        }
    }

    /** A document's revision and bytes (never changed once stored) with their checksum. */
    private record StoredDocument(long revision, byte[] content, int crc) {
        StoredDocument(long revision, byte[] content) {
            this(revision, content, crc32c(content));
        }

        boolean intact() {
            return crc32c(content) == crc;
        }

        Document toDocument(DocumentKey key) {
            return new Document(key, revision, content);
        }

        Document verified(DocumentKey key, String store) {
            if (!intact()) {
                throw new IntegrityException("document " + key + " in " + store
                        + " is damaged: its content does not match the checksum stored with it");
            }
            return toDocument(key);
        }
    }

    /**
     * Reads a blob's bytes while hashing them; when the last byte is delivered the hash must
     * match the address, otherwise {@link IntegrityException} is thrown instead of that data.
     * {@code skip} and {@code transferTo} are inherited from {@link InputStream}, which reads
     * through {@link #read(byte[], int, int)}, so skipped bytes are hashed too.
     */
    private static final class VerifyingInputStream extends InputStream {
        private final byte[] bytes;
        private final String sha256;
        private final MessageDigest md = Digests.sha256();
        private int position;
        private boolean verified;

        VerifyingInputStream(byte[] bytes, String sha256) {
            this.bytes = bytes;
            this.sha256 = sha256;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (position == bytes.length) {
                verify();
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, bytes.length - position);
            md.update(bytes, position, n);
            if (position + n == bytes.length) {
                verify();
            }
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return bytes.length - position;
        }

        private void verify() {
            if (verified) {
                return;
            }
            String actual = Digests.hex(md.digest());
            if (!actual.equals(sha256)) {
                throw new IntegrityException("blob " + sha256 + " is damaged: its content hashes to " + actual);
            }
            verified = true;
        }
    }
}
