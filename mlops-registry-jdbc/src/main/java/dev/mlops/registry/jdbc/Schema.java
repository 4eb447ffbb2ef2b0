package dev.mlops.registry.jdbc;

import dev.mlops.api.NotFoundException;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.JournalEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's tables, qualified with the schema they live in, and the migrations that create
 * and evolve them.
 *
 * <p>Every table name is qualified with the schema that was the connection's
 * {@code current_schema()} when the store was opened, so later changes of a pooled connection's
 * {@code search_path} cannot point the store at other tables.
 *
 * <p>Migrations are numbered from 1. {@link #migrate} applies the missing ones in one
 * transaction under a transaction-scoped advisory lock keyed by the schema name, so processes
 * opening the store at once wait for each other instead of racing, and a process killed during a
 * migration leaves the schema as it was (PostgreSQL's DDL is transactional). A schema whose
 * recorded version is newer than {@link #CURRENT_VERSION} is refused: this code would not know
 * what the newer version changed.
 */
final class Schema {
    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    /** The schema version this code reads and writes. */
    static final int CURRENT_VERSION = 1;

    /** First key of the advisory lock taken while migrating ("mlop" in ASCII). */
    static final int MIGRATION_LOCK_CLASS = 0x6d6c6f70;

    /** One migration: the statements that take the schema from {@code version - 1} to {@code version}. */
    record Migration(int version, String description, List<String> statements) {
    }

    final String name;
    final String versions;
    final String documents;
    final String blobs;
    final String chunks;
    final String uploadIds;
    final String journal;
    final String journalTail;

    /**
     * @param name the schema's name as PostgreSQL reports it (unquoted)
     */
    Schema(String name) {
        this.name = name;
        String q = quoteIdentifier(name) + ".";
        versions = q + "mlops_schema_version";
        documents = q + "mlops_document";
        blobs = q + "mlops_blob";
        chunks = q + "mlops_blob_chunk";
        uploadIds = q + "mlops_blob_upload_seq";
        journal = q + "mlops_journal";
        journalTail = q + "mlops_journal_tail";
    }

    /** @return {@code "name"} with embedded quotes doubled: a safe SQL identifier */
    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** @return every migration, in order; version N is at index N - 1 */
    List<Migration> migrations() {
        return List.of(new Migration(1, "documents, chunked blobs, hash-chained journal", List.of(
                "CREATE TABLE " + documents + " ("
                        + " parent text COLLATE \"C\" NOT NULL,"
                        + " segment text COLLATE \"C\" NOT NULL,"
                        + " revision bigint NOT NULL CHECK (revision >= 1),"
                        + " content bytea NOT NULL,"
                        + " checksum integer NOT NULL,"
                        + " PRIMARY KEY (parent, segment))",
                "CREATE TABLE " + blobs + " ("
                        + " sha256 text COLLATE \"C\" PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),"
                        + " size bigint NOT NULL CHECK (size >= 0),"
                        + " chunk_count integer NOT NULL CHECK (chunk_count >= 0),"
                        + " upload_id bigint NOT NULL UNIQUE,"
                        + " stored_at timestamptz NOT NULL)",
                "CREATE SEQUENCE " + uploadIds,
                // chunks are written before their blob row (the digest is known only at the end), so
                // the reference is checked at commit; deleting a blob deletes its chunks
                "CREATE TABLE " + chunks + " ("
                        + " upload_id bigint NOT NULL REFERENCES " + blobs + " (upload_id)"
                        + "   ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
                        + " idx integer NOT NULL CHECK (idx >= 0),"
                        + " data bytea NOT NULL,"
                        + " PRIMARY KEY (upload_id, idx))",
                // artifacts are mostly incompressible: store chunks out of line without pglz
                "ALTER TABLE " + chunks + " ALTER COLUMN data SET STORAGE EXTERNAL",
                "CREATE TABLE " + journal + " ("
                        + " sequence bigint PRIMARY KEY CHECK (sequence >= 1),"
                        + " previous_hash text NOT NULL,"
                        + " hash text NOT NULL,"
                        + " payload bytea NOT NULL)",
                "CREATE TABLE " + journalTail + " ("
                        + " id integer PRIMARY KEY CHECK (id = 1),"
                        + " sequence bigint NOT NULL CHECK (sequence >= 0),"
                        + " hash text NOT NULL)",
                "INSERT INTO " + journalTail + " (id, sequence, hash) VALUES (1, 0, '" + JournalEntry.GENESIS_HASH + "')")));
    }

    /**
     * Brings the schema of {@code c}'s {@code current_schema()} to {@link #CURRENT_VERSION}.
     *
     * @param c a connection in auto-commit mode; left in auto-commit mode
     * @param create whether the tables may be created in a schema that has none; tables of an
     *     older version are migrated either way
     * @return the schema, migrated
     * @throws NotFoundException if the connection names no existing schema, or the schema has no
     *     tables of the store and {@code create} is false
     * @throws StorageException if the schema is newer than this code, or a migration fails
     *     (nothing of it is kept)
     */
    static Schema migrate(Connection c, boolean create) throws SQLException {
        String name;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            name = rs.getString(1);
        }
        if (name == null) {
            // current_schema() skips schemas that do not exist and those the user has no USAGE on
            throw new NotFoundException("the connection's search_path names no existing schema that the user may"
                    + " use, so the store has nowhere to create its tables; create the schema first (the user needs"
                    + " USAGE on it, and CREATE for the first open), or name an existing one with the JDBC URL"
                    + " parameter currentSchema");
        }
        Schema schema = new Schema(name);
        OptionalInt found = schema.installedVersion(c);
        if (found.isPresent() && found.getAsInt() == CURRENT_VERSION) {
            return schema; // the common case: no lock, no transaction
        }
        schema.refuseNewer(found);
        if (found.isEmpty() && !create) {
            throw new NotFoundException("schema " + quoteIdentifier(name) + " holds no mlops store: its table "
                    + schema.versions + " does not exist, and this open may not create the store's tables");
        }
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                lock.setInt(1, MIGRATION_LOCK_CLASS);
                lock.setString(2, name);
                lock.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + schema.versions + " ("
                        + " version integer PRIMARY KEY,"
                        + " description text NOT NULL,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
            }
            // read again under the lock: another process may have migrated while this one waited
            int installed = schema.installedVersion(c).orElse(0);
            schema.refuseNewer(OptionalInt.of(installed));
            for (Migration m : schema.migrations()) {
                if (m.version() <= installed) {
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    for (String sql : m.statements()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + schema.versions
                        + " (version, description) VALUES (?, ?)")) {
                    ins.setInt(1, m.version());
                    ins.setString(2, m.description());
                    ins.executeUpdate();
                }
                LOG.info("mlops store schema {} migrated to version {} ({})", name, m.version(), m.description());
            }
            c.commit();
            return schema;
        } catch (SQLException | RuntimeException e) {
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
                LOG.debug("could not restore auto-commit after migrating", e);
            }
        }
    }

    private void refuseNewer(OptionalInt found) {
        if (found.isPresent() && found.getAsInt() > CURRENT_VERSION) {
            throw new StorageException("the mlops tables in schema " + quoteIdentifier(name) + " are at schema version "
                    + found.getAsInt() + ", newer than this library knows (" + CURRENT_VERSION + "); use a newer"
                    + " mlops-registry-jdbc, the one that migrated them");
        }
    }

    /** @return the highest applied migration, empty if the version table does not exist yet */
    OptionalInt installedVersion(Connection c) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, versions);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return OptionalInt.empty();
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + versions)) {
            rs.next();
            return OptionalInt.of(rs.getInt(1));
        }
    }
}
