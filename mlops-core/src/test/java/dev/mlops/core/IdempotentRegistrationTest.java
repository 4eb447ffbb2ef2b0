package dev.mlops.core;

import dev.mlops.api.testing.ManualTestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.ConflictException;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.StorageException;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.ForwardingStore;
import dev.mlops.api.store.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A registration with an idempotency key is made once, however often it is retried. */
@DisplayName("Idempotent registration")
class IdempotentRegistrationTest {
    private final ManualTestClock clock = new ManualTestClock(Instant.parse("2026-04-01T08:00:00Z"));
    private final InMemoryStore store = new InMemoryStore(clock);
    private final Mlops mlops = Mlops.builder().store(store).clock(clock).actor("ci").build();

    /** Stands for a process killed right after its version was committed, before it could answer. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("killed after the commit");
        }
    }

    private static NewModelVersion spec(String content, String key) {
        return NewModelVersion.builder().artifact(Artifact.bytes("m.bin", content.getBytes(StandardCharsets.UTF_8)))
                .metric("auc", 0.9).idempotencyKey(key).build();
    }

    private int versions(String model) {
        return mlops.models().listVersions(model, VersionQuery.all()).items().size();
    }

    @Test
    @DisplayName("a retry after the caller lost the answer of a committed registration returns that version, no duplicate")
    void retryAfterLostAnswerReturnsTheSameVersion() {
        mlops.models().register("rain", spec("v1", "seed"));
        Mlops dying = Mlops.builder().store(new ForwardingStore(store) {
            @Override
            public JournalEntry append(byte[] payload) {
                throw new Killed(); // the first thing after the commit: the process is gone
            }
        }).clock(clock).actor("ci").build();
        assertThatThrownBy(() -> dying.models().register("rain", spec("v2", "job-42"))).isInstanceOf(Killed.class);
        assertThat(versions("rain")).as("the commit happened").isEqualTo(2);

        ModelVersion retried = mlops.models().register("rain", spec("v2", "job-42"));
        assertThat(retried.number()).isEqualTo(2);
        assertThat(versions("rain")).as("no duplicate").isEqualTo(2);
        assertThat(mlops.models().register("rain", spec("v2", "job-42")).number()).as("and again").isEqualTo(2);

        ModelVersion withoutKey = mlops.models().register("rain", NewModelVersion.builder()
                .artifact(Artifact.bytes("m.bin", "v2".getBytes(StandardCharsets.UTF_8))).metric("auc", 0.9).build());
        assertThat(withoutKey.number()).as("without a key a retry is a new version").isEqualTo(3);
        assertThat(mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO)).ok()).isTrue();
    }

    @Test
    @DisplayName("a retry after a failure before the commit registers exactly once")
    void retryAfterFailureBeforeCommit() {
        AtomicBoolean fail = new AtomicBoolean(true);
        Mlops flaky = Mlops.builder().store(new ForwardingStore(store) {
            @Override
            public Document create(DocumentKey key, byte[] content) {
                if (key.toString().contains("/versions/") && fail.getAndSet(false)) {
                    throw new StorageException("could not create " + key + ": No space left on device");
                }
                return super.create(key, content);
            }
        }).clock(clock).actor("ci").build();
        assertThatThrownBy(() -> flaky.models().register("rain", spec("v1", "job-1"))).isInstanceOf(StorageException.class);
        assertThat(mlops.models().findModel("rain")).as("a failed first registration leaves no model").isEmpty();
        assertThat(flaky.models().register("rain", spec("v1", "job-1")).number()).isEqualTo(1);
        assertThat(flaky.models().register("rain", spec("v1", "job-1")).number()).isEqualTo(1);
        assertThat(versions("rain")).isEqualTo(1);
    }

    @Test
    @DisplayName("a key reused for a different registration is refused with ConflictException naming the key")
    void keyReusedForOtherContent() {
        mlops.models().register("rain", spec("v1", "job-1"));
        assertThatThrownBy(() -> mlops.models().register("rain", spec("other weights", "job-1")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("job-1").hasMessageContaining("version 1");
        assertThat(versions("rain")).isEqualTo(1);
        assertThat(mlops.models().register("snow", spec("other weights", "job-1")).number())
                .as("keys are per model").isEqualTo(1);
    }

    @Test
    @DisplayName("8 threads retrying one registration at once get one version between them")
    void concurrentRetries() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ModelVersion>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> mlops.models().register("rain", spec("v1", "job-9"))));
            }
            for (Future<ModelVersion> f : results) {
                assertThat(f.get(1, TimeUnit.MINUTES).number()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(versions("rain")).isEqualTo(1);
        assertThat(mlops.audit().entriesFor("rain/1")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "-leading", "a/b", "\u202e", "k\n", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    @DisplayName("a malformed key is refused by the builder with IllegalArgumentException")
    void malformedKeys(String key) {
        assertThatThrownBy(() -> NewModelVersion.builder().idempotencyKey(key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotency key");
    }

    @Test
    @DisplayName("a UUID and a job:attempt id are valid keys")
    void validKeys() {
        NewModelVersion.builder().idempotencyKey("3F2504E0-4F89-11D3-9A0C-0305E82C3301");
        NewModelVersion.builder().idempotencyKey("nightly-2026-04-01:attempt_2.final");
    }
}
