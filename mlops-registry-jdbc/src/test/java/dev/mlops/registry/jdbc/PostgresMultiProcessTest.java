package dev.mlops.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Digests;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.ChildJvm;
import dev.mlops.registry.tck.process.MultiProcessKit;
import dev.mlops.registry.tck.process.Payloads;
import dev.mlops.registry.tck.process.StoreConfig;
import dev.mlops.registry.tck.process.StoreWorker;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process kit's store-level promises ({@link MultiProcessKit}) with several JVM processes on
 * one schema, each with its own connections; and a blob streamed through a JVM whose heap is
 * smaller than the blob.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgreSQL: several JVM processes on one schema")
class PostgresMultiProcessTest extends MultiProcessKit {

    @Override
    protected StoreConfig createStore(Path dir) {
        PostgresCluster cluster = PostgresCluster.require();
        return ClusterStores.forChildren(cluster, cluster.newSchema());
    }

    @Test
    @DisplayName("a 96 MiB blob goes in and out of a JVM whose whole heap is 32 MiB: it is streamed in chunks")
    void blobLargerThanTheHeap(@TempDir Path tmp) throws Exception {
        int mib = 96;
        PostgresCluster cluster = PostgresCluster.require();
        String schema = cluster.newSchema();
        StoreConfig config = ClusterStores.forChildren(cluster, schema);
        MessageDigest md = Digests.sha256();
        byte[] buffer = new byte[1 << 20];
        try (InputStream expected = Payloads.stream((long) mib << 20, 99)) {
            for (int n; (n = expected.read(buffer, 0, buffer.length)) != -1; ) {
                md.update(buffer, 0, n);
            }
        }
        String sha = Digests.hex(md.digest());

        ChildJvm child = ChildJvm.start(StoreWorker.class, "32m", tmp.resolve("bigblob.err"),
                config.args("bigblob", Integer.toString(mib), "w0", tmp.toString()));
        int exit = child.awaitExit(MultiProcessKit.HANG_GUARD_MILLIS);
        List<String> lines = child.lines();
        System.out.println("postgres bigblob child: " + String.join(" ", lines));
        assertThat(exit).as("child exit code; stdout %s; stderr in %s", lines, child.stderr()).isZero();
        assertThat(lines).contains("put " + sha + " " + ((long) mib << 20), "read " + sha + " " + ((long) mib << 20));
        try (PostgresStore store = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
            assertThat(store.blobInfo(sha)).hasValueSatisfying(b -> assertThat(b.size()).isEqualTo((long) mib << 20));
            assertThat(store.check(false)).isEmpty();
        }
    }
}
