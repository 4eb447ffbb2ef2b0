package dev.mlops.registry.jdbc;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.Names;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} in a PostgreSQL database: one registry that many processes on many machines
 * share, through the same SPI as the embedded filesystem store.
 *
 * <pre>{@code
 * DataSource ds = ...;                       // a pool (HikariCP, the application server's) or PGSimpleDataSource
 * try (Mlops mlops = Mlops.builder().store(PostgresStore.open(ds)).build()) { ... }
 * }</pre>
 *
 * <h2>Tables</h2>
 * The store creates its tables on first open in the connection's {@code current_schema()} and
 * migrates them when a newer version of this library opens them ({@code mlops_schema_version}
 * records what was applied; a schema newer than this code is refused):
 * <ul>
 *   <li>{@code mlops_document (parent, segment, revision, content, checksum)}: one row per
 *       document, keyed by its parent key ({@code models/rain}) and last segment, both
 *       {@code COLLATE "C"} so listing order is character order; the checksum is a CRC32C over key,
 *       revision and content, checked on every read.</li>
 *   <li>{@code mlops_blob (sha256, size, chunk_count, upload_id, stored_at)} and
 *       {@code mlops_blob_chunk (upload_id, idx, data)}: a blob is stored as chunks of 1 MiB under
 *       an upload id drawn from a sequence, and becomes visible when its blob row is inserted in
 *       the same transaction; chunks reference the blob row through a foreign key checked at
 *       commit, so no chunk can exist without its blob.</li>
 *   <li>{@code mlops_journal (sequence, previous_hash, hash, payload)}, append-only, and
 *       {@code mlops_journal_tail}, one row holding the last sequence and hash.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * Every operation is one transaction: after a crash of the client or the server at any instant,
 * a document is its old or its new revision, a blob absent or complete, a journal entry absent or
 * whole; a client killed mid-transaction leaves nothing behind, because PostgreSQL rolls back
 * the transaction of a lost connection. Create is an {@code INSERT ... ON CONFLICT DO NOTHING},
 * compare-and-set an {@code UPDATE ... WHERE revision = ?}: row locks make both linearizable
 * across any number of processes. An append locks the tail row ({@code SELECT ... FOR UPDATE}),
 * so concurrent appenders anywhere get consecutive numbers and an unbroken chain. A blob is
 * streamed in: hashed while its chunks are written, never held whole in memory, and read back
 * chunk by chunk, verified by the read that delivers its last byte. Durability is the server's:
 * a commit returns once PostgreSQL has made it durable under its settings ({@code fsync},
 * {@code synchronous_commit}).
 *
 * <h2>Locks</h2>
 * {@link #lock} takes a PostgreSQL session-level advisory lock keyed by the schema and the lock's
 * name, on a database session of its own that it keeps until the lock is released, so locks
 * hold across threads, store instances and processes, and a holder whose process dies loses its
 * session and with it the lock. {@link StoreLock#held()} asks that session whether it still holds
 * the lock, and {@link #deleteBlob(String, StoreLock)} deletes on that session in one statement
 * that checks the lock, so a holder whose session ended deletes nothing. The key, the session
 * settings and how a wait is queued are described in the package-private {@code AdvisoryLocks}
 * and in {@code docs/storage.md}.
 *
 * <p>Connections come from the given {@link DataSource}, one per operation, returned before the
 * operation returns (a blob stream borrows one per chunk). Pass a pooling data source for speed;
 * a plain one opens a connection per operation. A held lock keeps a connection of its own for as
 * long as it is held: from the lock sessions' data source given to
 * {@link #open(DataSource, DataSource, Clock)} (an unpooled one, so that held locks take nothing
 * from the pool), else from the same data source. The store leaves each connection as it found
 * it (auto-commit on, settings as they were). Thread-safe; any number of instances in any number
 * of processes may share one schema.
 */
public final class PostgresStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    static final int MAX_LIMIT = 10_000;
    /** Bytes per blob chunk row. */
    static final int CHUNK_SIZE = 1 << 20;
    /** Rows per page when {@link #check} walks a table. */
    private static final int CHECK_PAGE = 500;

    private final DataSource dataSource;
    private final Clock clock;
    private final Schema schema;
    private final String description;
    private final AutoCloseable owned;
    private final AdvisoryLocks locks;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresStore(DataSource dataSource, DataSource lockSessions, Clock clock, Schema schema,
                          String description, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.schema = schema;
        this.description = description;
        this.owned = owned;
        this.locks = new AdvisoryLocks(lockSessions, schema.name, description);
    }

    /**
     * Opens the store in the schema that {@code dataSource}'s connections have as their
     * {@code current_schema()} (the first existing schema on the {@code search_path}; choose one
     * with the JDBC URL parameter {@code currentSchema}), creating or migrating its tables.
     * Blob times ({@link BlobInfo#storedAt()}) come from the system UTC clock.
     *
     * @param dataSource where connections come from; the store does not close it
     * @return the open store
     * @throws NotFoundException if the schema does not exist
     * @throws StorageException if the database cannot be reached, or the store's tables are at a
     *     schema version newer than this library knows
     */
    public static PostgresStore open(DataSource dataSource) {
        return open(dataSource, Clock.systemUTC());
    }

    /**
     * Opens the store as {@link #open(DataSource)} does, taking blob times
     * ({@link BlobInfo#storedAt()}, which garbage collection compares against its grace period)
     * from {@code clock}, so they agree with the clock the registry was given.
     *
     * @param dataSource where connections come from; the store does not close it
     * @param clock source of blob times
     * @return the open store
     */
    public static PostgresStore open(DataSource dataSource, Clock clock) {
        return open(dataSource, dataSource, clock, null, true);
    }

    /**
     * Opens the store as {@link #open(DataSource, Clock)} does, taking the connection that each
     * held lock keeps for as long as it is held from {@code lockSessions}. Give an unpooled data
     * source of the same database and user (a {@code PGSimpleDataSource}) when
     * {@code dataSource} is a pool of bounded size, so that held locks take no connection from
     * it: a registration holds a lock while it uploads, garbage collection while it runs.
     *
     * @param dataSource where the operations' connections come from; the store does not close it
     * @param lockSessions where the held locks' sessions come from; the store does not close it
     * @param clock source of blob times
     * @return the open store
     */
    public static PostgresStore open(DataSource dataSource, DataSource lockSessions, Clock clock) {
        Objects.requireNonNull(lockSessions, "lockSessions");
        return open(dataSource, lockSessions, clock, null, true);
    }

    /**
     * @param lockSessions where held locks' sessions come from
     * @param owned closed with the store (a pool the store's provider made), or null
     * @param create whether the tables may be created in a schema that has none
     *     ({@link Schema#migrate})
     */
    static PostgresStore open(DataSource dataSource, DataSource lockSessions, Clock clock, AutoCloseable owned,
                              boolean create) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(clock, "clock");
        try (Connection c = dataSource.getConnection()) {
            Schema schema = Schema.migrate(c, create);
            String description = "postgres:" + describeUrl(c.getMetaData().getURL()) + " schema " + schema.name;
            return new PostgresStore(dataSource, lockSessions, clock, schema, description, owned);
        } catch (SQLException | RuntimeException e) {
            closeOwned(owned, e);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new StorageException("could not open the PostgreSQL store: " + sqlMessage((SQLException) e), e);
        }
    }

    /**
     * The URL {@link JdbcUrls#redact redacted}, without its query and fragment (the driver
     * reports every setting there) and with {@code jdbc:postgresql:} dropped.
     */
    static String describeUrl(String url) {
        if (url == null) {
            return "(unknown URL)";
        }
        String shown = JdbcUrls.redact(url);
        int end = shown.length();
        for (char c : new char[] {'?', '#'}) {
            int at = shown.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String base = shown.substring(0, end);
        return base.startsWith("jdbc:postgresql:") ? base.substring("jdbc:postgresql:".length()) : base;
    }

    /** @return the schema the store's tables live in */
    Schema schema() {
        return schema;
    }

    /** @return where connections come from */
    DataSource dataSource() {
        return dataSource;
    }

    /**
     * @return {@code postgres://HOST:PORT/DATABASE schema NAME}, with user information hidden
     *     ({@link JdbcUrls})
     */
    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "PostgresStore[" + description + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- blobs ------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: the content is read in chunks of 1 MiB, each hashed and inserted under
     * a fresh upload id, and the blob row is inserted last. If a blob with the digest exists
     * (stored before, or by a concurrent writer that committed first), its {@code storedAt} is
     * refreshed and this upload's chunks are deleted in the same transaction.
     */
    @Override
    public BlobInfo putBlob(InputStream content) {
        Objects.requireNonNull(content, "content");
        ensureOpen();
        Instant now = now();
        return inTransaction("storing a blob", c -> {
            long upload;
            try (PreparedStatement next = c.prepareStatement("SELECT nextval('" + schema.uploadIds.replace("'", "''")
                    + "')"); ResultSet rs = next.executeQuery()) {
                rs.next();
                upload = rs.getLong(1);
            }
            MessageDigest md = Digests.sha256();
            byte[] buffer = new byte[CHUNK_SIZE];
            long size = 0;
            int chunks = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + schema.chunks
                    + " (upload_id, idx, data) VALUES (?, ?, ?)")) {
                while (true) {
                    int n = readFully(content, buffer);
                    if (n > 0) {
                        md.update(buffer, 0, n);
                        insert.setLong(1, upload);
                        insert.setInt(2, chunks);
                        insert.setBinaryStream(3, new ByteArrayInputStream(buffer, 0, n), n);
                        insert.executeUpdate();
                        chunks++;
                        size += n;
                    }
                    if (n < buffer.length) {
                        break;
                    }
                }
            }
            String sha = Digests.hex(md.digest());
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + schema.blobs
                    + " AS b (sha256, size, chunk_count, upload_id, stored_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (sha256) DO UPDATE SET stored_at = greatest(b.stored_at, excluded.stored_at)"
                    + " RETURNING upload_id, stored_at")) {
                upsert.setString(1, sha);
                upsert.setLong(2, size);
                upsert.setInt(3, chunks);
                upsert.setLong(4, upload);
                upsert.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                long kept;
                Instant storedAt;
                try (ResultSet rs = upsert.executeQuery()) {
                    rs.next();
                    kept = rs.getLong(1);
                    storedAt = instant(rs, 2);
                }
                if (kept != upload && chunks > 0) {
                    // a dedup hit: the blob row (now locked by this transaction) keeps its own chunks
                    try (PreparedStatement drop = c.prepareStatement("DELETE FROM " + schema.chunks
                            + " WHERE upload_id = ?")) {
                        drop.setLong(1, upload);
                        drop.executeUpdate();
                    }
                }
                return new BlobInfo(sha, size, storedAt);
            }
        });
    }

    /** Reads until {@code buffer} is full or the stream ends; @return bytes read */
    private static int readFully(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checks first that the chunk rows add up to the recorded size and count; the stream then
     * fetches one chunk at a time, each with a connection borrowed for that fetch.
     */
    @Override
    public InputStream openBlob(String sha256) {
        Digests.requireSha256(sha256);
        ensureOpen();
        return withConnection("opening blob " + sha256, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT b.size, b.chunk_count, b.upload_id,"
                    + " (SELECT count(*) FROM " + schema.chunks + " k WHERE k.upload_id = b.upload_id),"
                    + " (SELECT coalesce(sum(octet_length(k.data)), 0) FROM " + schema.chunks
                    + " k WHERE k.upload_id = b.upload_id)"
                    + " FROM " + schema.blobs + " b WHERE b.sha256 = ?")) {
                ps.setString(1, sha256);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("no blob " + sha256 + " in " + description);
                    }
                    long size = rs.getLong(1);
                    int chunkCount = rs.getInt(2);
                    long upload = rs.getLong(3);
                    long rows = rs.getLong(4);
                    long bytes = rs.getLong(5);
                    if (rows != chunkCount || bytes != size) {
                        throw new IntegrityException("blob " + sha256 + " in " + description + " is damaged: it records "
                                + size + " bytes in " + chunkCount + " chunks, but " + rows + " chunk rows hold "
                                + bytes + " bytes");
                    }
                    return new ChunkedBlobStream(this, sha256, upload, chunkCount, size);
                }
            }
        });
    }

    /**
     * Fetches one chunk of a blob for {@link ChunkedBlobStream}.
     *
     * @return the chunk's bytes
     * @throws IntegrityException if the chunk is missing although its blob still exists
     * @throws StorageException if the blob was deleted while it was being read
     */
    byte[] readChunk(String sha256, long upload, int index, int chunkCount) {
        ensureOpen();
        return withConnection("reading blob " + sha256, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM " + schema.chunks
                    + " WHERE upload_id = ? AND idx = ?")) {
                ps.setLong(1, upload);
                ps.setInt(2, index);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getBytes(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + schema.blobs
                    + " WHERE sha256 = ? AND upload_id = ?")) {
                ps.setString(1, sha256);
                ps.setLong(2, upload);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StorageException("blob " + sha256 + " was deleted from " + description
                                + " while it was being read (at chunk " + (index + 1) + " of " + chunkCount + ")");
                    }
                }
            }
            throw new IntegrityException("blob " + sha256 + " in " + description + " is damaged: chunk " + (index + 1)
                    + " of " + chunkCount + " is missing");
        });
    }

    @Override
    public Optional<BlobInfo> blobInfo(String sha256) {
        Digests.requireSha256(sha256);
        ensureOpen();
        return withConnection("looking up blob " + sha256, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT size, stored_at FROM " + schema.blobs
                    + " WHERE sha256 = ?")) {
                ps.setString(1, sha256);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new BlobInfo(sha256, rs.getLong(1), instant(rs, 2)))
                            : Optional.<BlobInfo>empty();
                }
            }
        });
    }

    @Override
    public Page<BlobInfo> listBlobs(Optional<String> startAfter, int limit) {
        Objects.requireNonNull(startAfter, "startAfter");
        startAfter.ifPresent(Digests::requireSha256);
        checkLimit(limit);
        ensureOpen();
        return withConnection("listing blobs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256, size, stored_at FROM " + schema.blobs
                    + " WHERE sha256 > ? ORDER BY sha256 LIMIT ?")) {
                ps.setString(1, startAfter.orElse(""));
                ps.setInt(2, limit + 1);
                List<BlobInfo> items = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (items.size() == limit) {
                            return new Page<>(items, Optional.of(items.get(items.size() - 1).sha256()));
                        }
                        items.add(new BlobInfo(rs.getString(1), rs.getLong(2), instant(rs, 3)));
                    }
                }
                return Page.last(items);
            }
        });
    }

    /** {@inheritDoc} Its chunks go with it (the foreign key cascades), in one statement. */
    @Override
    public boolean deleteBlob(String sha256) {
        Digests.requireSha256(sha256);
        ensureOpen();
        return withConnection("deleting blob " + sha256, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema.blobs + " WHERE sha256 = ?")) {
                ps.setString(1, sha256);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs on the fence's own database session, as one statement that deletes only if that
     * session holds the fence at that moment: a fence whose session ended (terminated, timed
     * out, the server restarted) cannot delete, and the call throws {@link ConflictException}.
     *
     * @throws IllegalArgumentException if {@code fence} is not a lock of this store instance
     */
    @Override
    public boolean deleteBlob(String sha256, StoreLock fence) {
        Digests.requireSha256(sha256);
        Objects.requireNonNull(fence, "fence");
        ensureOpen();
        AdvisoryLocks.Held lock = locks.own(fence);
        String what = "deleting blob " + sha256;
        Long deleted = lock.onSession(what, c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH fence AS (SELECT " + lock.heldCondition() + " AS held),"
                    + " gone AS (DELETE FROM " + schema.blobs + " WHERE sha256 = ? AND (SELECT held FROM fence)"
                    + " RETURNING 1)"
                    + " SELECT (SELECT held FROM fence), (SELECT count(*) FROM gone)")) {
                ps.setString(1, sha256);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1) ? rs.getLong(2) : null;
                }
            }
        });
        if (deleted == null) {
            lock.lose("its database session no longer holds it");
            throw lock.notHeld(what);
        }
        return deleted > 0;
    }

    // ---- documents --------------------------------------------------------------------------

    @Override
    public Optional<Document> read(DocumentKey key) {
        requireDocumentKey(key);
        ensureOpen();
        return withConnection("reading document " + quote(key), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT revision, content, checksum FROM "
                    + schema.documents + " WHERE parent = ? AND segment = ?")) {
                ps.setString(1, key.parent().toString());
                ps.setString(2, key.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(verified(key, rs.getLong(1), rs.getBytes(2), rs.getInt(3)))
                            : Optional.<Document>empty();
                }
            }
        });
    }

    /** {@inheritDoc} One {@code INSERT ... ON CONFLICT DO NOTHING}. */
    @Override
    public Document create(DocumentKey key, byte[] content) {
        requireDocumentKey(key);
        Objects.requireNonNull(content, "content");
        Document doc = new Document(key, 1, content);
        ensureOpen();
        return withConnection("creating document " + quote(key), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema.documents
                    + " (parent, segment, revision, content, checksum) VALUES (?, ?, 1, ?, ?)"
                    + " ON CONFLICT (parent, segment) DO NOTHING")) {
                byte[] bytes = doc.content();
                ps.setString(1, key.parent().toString());
                ps.setString(2, key.name());
                ps.setBytes(3, bytes);
                ps.setInt(4, checksum(key, 1, bytes));
                if (ps.executeUpdate() == 0) {
                    throw new ConflictException("document " + quote(key) + " already exists in " + description
                            + "; expected none (create-if-absent)");
                }
                return doc;
            }
        });
    }

    /** {@inheritDoc} One {@code UPDATE ... WHERE revision = ?}. */
    @Override
    public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
        requireDocumentKey(key);
        Objects.requireNonNull(content, "content");
        ensureOpen();
        if (expectedRevision < 1) {
            // no stored revision is below 1; report what the key holds, as for any stale revision
            throw refusal(key, expectedRevision, "replace");
        }
        Document next = new Document(key, expectedRevision + 1, content);
        return withConnection("replacing document " + quote(key), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + schema.documents
                    + " SET revision = ?, content = ?, checksum = ? WHERE parent = ? AND segment = ? AND revision = ?")) {
                byte[] bytes = next.content();
                ps.setLong(1, next.revision());
                ps.setBytes(2, bytes);
                ps.setInt(3, checksum(key, next.revision(), bytes));
                ps.setString(4, key.parent().toString());
                ps.setString(5, key.name());
                ps.setLong(6, expectedRevision);
                if (ps.executeUpdate() == 0) {
                    throw refusal(c, key, expectedRevision, "replace");
                }
                return next;
            }
        });
    }

    /** {@inheritDoc} One {@code DELETE ... WHERE revision = ?}. */
    @Override
    public void delete(DocumentKey key, long expectedRevision) {
        requireDocumentKey(key);
        ensureOpen();
        withConnection("deleting document " + quote(key), c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema.documents
                    + " WHERE parent = ? AND segment = ? AND revision = ?")) {
                ps.setString(1, key.parent().toString());
                ps.setString(2, key.name());
                ps.setLong(3, expectedRevision);
                if (ps.executeUpdate() == 0) {
                    throw refusal(c, key, expectedRevision, "delete");
                }
                return null;
            }
        });
    }

    private RuntimeException refusal(DocumentKey key, long expectedRevision, String op) {
        return withConnection("reading document " + quote(key), c -> refusal(c, key, expectedRevision, op));
    }

    /** Why a conditional write changed no row: the document is absent, or at another revision. */
    private RuntimeException refusal(Connection c, DocumentKey key, long expectedRevision, String op)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT revision FROM " + schema.documents
                + " WHERE parent = ? AND segment = ?")) {
            ps.setString(1, key.parent().toString());
            ps.setString(2, key.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new NotFoundException("cannot " + op + " document " + quote(key) + ": it does not exist in "
                            + description);
                }
                return new ConflictException("cannot " + op + " document " + quote(key) + ": its revision is "
                        + rs.getLong(1) + ", expected " + expectedRevision + " (changed by another writer)");
            }
        }
    }

    @Override
    public Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(startAfter, "startAfter");
        checkLimit(limit);
        ensureOpen();
        return withConnection("listing documents under " + quote(parent), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT segment, revision, content, checksum FROM "
                    + schema.documents + " WHERE parent = ? AND segment > ? ORDER BY segment LIMIT ?")) {
                ps.setString(1, parent.toString());
                ps.setString(2, startAfter.orElse(""));
                ps.setInt(3, limit + 1);
                List<Document> items = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (items.size() == limit) {
                            return new Page<>(items, Optional.of(items.get(items.size() - 1).key().name()));
                        }
                        items.add(verified(parent.child(rs.getString(1)), rs.getLong(2), rs.getBytes(3), rs.getInt(4)));
                    }
                }
                return Page.last(items);
            }
        });
    }

    @Override
    public Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(startAfter, "startAfter");
        checkLimit(limit);
        ensureOpen();
        return withConnection("listing document keys under " + quote(parent), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT segment FROM " + schema.documents
                    + " WHERE parent = ? AND segment > ? ORDER BY segment LIMIT ?")) {
                ps.setString(1, parent.toString());
                ps.setString(2, startAfter.orElse(""));
                ps.setInt(3, limit + 1);
                List<DocumentKey> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (keys.size() == limit) {
                            return new Page<>(keys, Optional.of(keys.get(keys.size() - 1).name()));
                        }
                        keys.add(parent.child(rs.getString(1)));
                    }
                }
                return Page.last(keys);
            }
        });
    }

    /** A stored row as a document, if its checksum matches. */
    private Document verified(DocumentKey key, long revision, byte[] content, int storedChecksum) {
        if (revision < 1 || checksum(key, revision, content) != storedChecksum) {
            throw new IntegrityException("document " + quote(key) + " in " + description + " is damaged: its revision ("
                    + revision + ") and content (" + content.length + " bytes) do not match the checksum stored"
                    + " with them; other documents are not affected");
        }
        return new Document(key, revision, content);
    }

    /** CRC32C over the key, the revision and the content: a row changed or moved by hand shows. */
    static int checksum(DocumentKey key, long revision, byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update((key + "\n" + revision + "\n").getBytes(StandardCharsets.UTF_8));
        crc.update(content);
        return (int) crc.getValue();
    }

    // ---- journal ----------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: lock the tail row ({@code SELECT ... FOR UPDATE}), insert the entry
     * chained to the tail's hash, move the tail. Appenders in other processes wait on the row
     * lock, so numbers are consecutive and the chain unbroken.
     */
    @Override
    public JournalEntry append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        byte[] bytes = payload.clone();
        ensureOpen();
        return inTransaction("appending to the journal", c -> {
            long last;
            String lastHash;
            try (PreparedStatement ps = c.prepareStatement("SELECT sequence, hash FROM " + schema.journalTail
                    + " WHERE id = 1 FOR UPDATE"); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IntegrityException("the journal tail row of " + description + " is missing; the journal"
                            + " cannot be appended to");
                }
                last = rs.getLong(1);
                lastHash = rs.getString(2);
            }
            JournalEntry entry;
            try {
                entry = JournalEntry.chain(last + 1, lastHash, bytes);
            } catch (InvalidNameException e) {
                throw new IntegrityException("the journal tail of " + description + " holds a malformed hash "
                        + Names.quote(lastHash) + "; the journal cannot be appended to", e);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema.journal
                    + " (sequence, previous_hash, hash, payload) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, entry.sequence());
                ps.setString(2, entry.previousHash());
                ps.setString(3, entry.hash());
                ps.setBytes(4, bytes);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + schema.journalTail
                    + " SET sequence = ?, hash = ? WHERE id = 1")) {
                ps.setLong(1, entry.sequence());
                ps.setString(2, entry.hash());
                ps.executeUpdate();
            }
            return entry;
        });
    }

    @Override
    public List<JournalEntry> readJournal(long fromSequence, int limit) {
        if (fromSequence < 1) {
            throw new IllegalArgumentException("fromSequence must be >= 1, was " + fromSequence);
        }
        checkLimit(limit);
        ensureOpen();
        return withConnection("reading the journal", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sequence, previous_hash, hash, payload FROM "
                    + schema.journal + " WHERE sequence >= ? ORDER BY sequence LIMIT ?")) {
                ps.setLong(1, fromSequence);
                ps.setInt(2, limit);
                List<JournalEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
                return out;
            }
        });
    }

    private JournalEntry entry(ResultSet rs) throws SQLException {
        long sequence = rs.getLong(1);
        try {
            return new JournalEntry(sequence, rs.getString(2), rs.getString(3), rs.getBytes(4));
        } catch (InvalidNameException e) {
            throw new IntegrityException("journal entry " + sequence + " in " + description + " is damaged: "
                    + e.getMessage(), e);
        }
    }

    /** {@inheritDoc} The highest stored sequence (an index lookup). */
    @Override
    public long journalLength() {
        ensureOpen();
        return withConnection("reading the journal length", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(sequence), 0) FROM " + schema.journal);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---- locks ------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>A PostgreSQL session-level advisory lock on a session of its own (see the class
     * description). A request that must wait queues in the server, so an exclusive request
     * holds back shared ones that come after it.
     */
    @Override
    public Optional<StoreLock> lock(String name, StoreLock.Mode mode, Duration wait) {
        StoreLock.requireValidRequest(name, mode, wait);
        ensureOpen();
        return locks.acquire(name, mode, wait);
    }

    /** @return the locks this instance holds now */
    int heldLocks() {
        return locks.heldCount();
    }

    // ---- maintenance ------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>Runs in one read-only {@code REPEATABLE READ} transaction, so it sees one consistent
     * state while others keep writing: every blob's chunks are re-read and re-hashed, every
     * document's checksum recomputed, the journal's chain followed from entry 1 and compared with
     * the tail row. There are no leftovers to report or repair: a writer that dies mid-operation
     * dies mid-transaction, and PostgreSQL discards the transaction, chunks included (the foreign
     * key from chunks to blobs makes an orphaned chunk impossible), so {@code repair} changes
     * nothing.
     */
    @Override
    public List<IntegrityProblem> check(boolean repair) {
        ensureOpen();
        return withConnection("checking the store", c -> {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                List<IntegrityProblem> problems = new PostgresCheck(c, schema, description).run();
                c.commit();
                return problems;
            } finally {
                try {
                    c.rollback();
                    c.setReadOnly(false);
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    c.setAutoCommit(true);
                } catch (SQLException e) {
                    LOG.debug("could not restore the connection after checking {}", description, e);
                }
            }
        });
    }

    /**
     * {@inheritDoc} Releases the locks this instance holds (each unlocked before its session is
     * given back, so that others may take it at once) and ends its waits for locks; closes the
     * connection pool only if this store's provider made it.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            locks.close();
            closeOwned(owned, null);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Work on a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /** Runs {@code work} on a connection borrowed for it, mapping failures to {@link StorageException}. */
    <T> T withConnection(String what, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(what + " in " + description + " failed: " + sqlMessage(e), e);
        } catch (IOException e) {
            throw new StorageException(what + " in " + description + " failed reading the input: " + e
                    + "; nothing was stored", e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     * A failed commit is reported as such: the outcome is then unknown until read again.
     */
    private <T> T inTransaction(String what, SqlWork<T> work) {
        return withConnection(what, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                try {
                    c.commit();
                } catch (SQLException e) {
                    throw new StorageException(what + " in " + description + " failed at commit: " + sqlMessage(e)
                            + "; whether the change was applied is unknown, read again to learn it", e);
                }
                return result;
            } catch (SQLException | IOException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException e) {
                    LOG.debug("could not restore auto-commit on a connection of {}", description, e);
                }
            }
        });
    }

    static String sqlMessage(SQLException e) {
        return e.getMessage() + (e.getSQLState() != null ? " (SQLState " + e.getSQLState() + ")" : "");
    }

    private static void closeOwned(AutoCloseable owned, Exception failure) {
        if (owned == null) {
            return;
        }
        try {
            owned.close();
        } catch (Exception e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                throw new StorageException("could not close the connections of the PostgreSQL store: " + e, e);
            }
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("store " + description + " is closed");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static void requireDocumentKey(DocumentKey key) {
        Objects.requireNonNull(key, "key");
        if (key.isRoot()) {
            throw new IllegalArgumentException("the root key can be listed, not read or written; expected a key"
                    + " with at least one segment");
        }
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    private static String quote(DocumentKey key) {
        return Names.quote(key.toString());
    }
}
