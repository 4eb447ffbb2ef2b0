package dev.mlops.registry.jdbc;

import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.StoreCompatibilityKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole store kit against a real PostgreSQL server. Each test gets a new schema; the kit's
 * directory only remembers which one, so "reopening" opens the same schema again.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgresStore passes the store compatibility kit")
class PostgresStoreCompatibilityTest extends StoreCompatibilityKit {
    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    @Override
    protected Store createStore(Path dir) {
        Path marker = dir.resolve("schema");
        try {
            String schema;
            if (Files.exists(marker)) {
                schema = Files.readString(marker);
            } else {
                schema = cluster.newSchema();
                Files.writeString(marker, schema);
            }
            return ClusterStores.open(cluster, schema, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flips one byte in the middle of the blob's first chunk; the length stays. */
    @Override
    protected void corruptBlob(Store store, String sha256) {
        Schema s = ((PostgresStore) store).schema();
        update(store, "UPDATE " + s.chunks + " SET data = set_byte(data, octet_length(data) / 2,"
                + " get_byte(data, octet_length(data) / 2) # 90)"
                + " WHERE idx = 0 AND upload_id = (SELECT upload_id FROM " + s.blobs + " WHERE sha256 = ?)", sha256);
    }

    /** Truncates the content to half (or garbles empty content); the stored checksum stays. */
    @Override
    protected void corruptDocument(Store store, DocumentKey key) {
        Schema s = ((PostgresStore) store).schema();
        update(store, "UPDATE " + s.documents + " SET content = CASE WHEN octet_length(content) = 0 THEN '\\x3f'::bytea"
                + " ELSE substring(content FROM 1 FOR octet_length(content) / 2) END"
                + " WHERE parent = ? AND segment = ?", key.parent().toString(), key.name());
    }

    /** Flips a bit of the payload (or gives an empty one a byte); the stored hashes stay. */
    @Override
    protected void corruptJournalEntry(Store store, long sequence) {
        Schema s = ((PostgresStore) store).schema();
        update(store, "UPDATE " + s.journal + " SET payload = CASE WHEN octet_length(payload) = 0 THEN '\\x3f'::bytea"
                + " ELSE set_byte(payload, 0, get_byte(payload, 0) # 1) END WHERE sequence = ?", sequence);
    }

    private static void update(Store store, String sql, Object... params) {
        try (Connection c = ((PostgresStore) store).dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("expected to damage exactly one row: " + sql + " with "
                        + java.util.Arrays.toString(params));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
