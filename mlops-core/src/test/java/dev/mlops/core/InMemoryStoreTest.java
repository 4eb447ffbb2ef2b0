package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.testing.ManualTestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the in-memory store does beyond the compatibility kit. */
class InMemoryStoreTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void storedAtComesFromTheInjectedClockAndADedupHitRefreshesIt() {
        ManualTestClock clock = new ManualTestClock(T0);
        try (InMemoryStore store = new InMemoryStore(clock)) {
            BlobInfo first = store.putBlob(stream("model weights"));
            assertThat(first.storedAt()).isEqualTo(T0);

            clock.advance(Duration.ofHours(3));
            BlobInfo again = store.putBlob(stream("model weights"));
            assertThat(again.storedAt()).isEqualTo(T0.plus(Duration.ofHours(3)));
            assertThat(store.blobInfo(first.sha256()).orElseThrow().storedAt()).isEqualTo(again.storedAt());
        }
    }

    @Test
    void damageIsReportedEvenWhenTheReaderStopsAtTheExpectedLength() throws IOException {
        try (InMemoryStore store = new InMemoryStore()) {
            byte[] content = "0123456789".repeat(1000).getBytes(StandardCharsets.UTF_8);
            String sha = store.putBlob(new ByteArrayInputStream(content)).sha256();
            store.damageBlob(sha);

            try (InputStream in = store.openBlob(sha)) {
                assertThatThrownBy(() -> in.readNBytes(content.length)).isInstanceOf(IntegrityException.class)
                        .hasMessageContaining(sha);
            }
            try (InputStream in = store.openBlob(sha)) {
                assertThatThrownBy(() -> in.skip(content.length)).isInstanceOf(IntegrityException.class);
            }
        }
    }

    @Test
    void storingTheSameContentAgainHealsADamagedBlob() throws IOException {
        try (InMemoryStore store = new InMemoryStore()) {
            String sha = store.putBlob(stream("precious")).sha256();
            store.damageBlob(sha);
            assertThat(store.check(false)).extracting(IntegrityProblem::kind)
                    .containsExactly(IntegrityProblem.Kind.CORRUPT_BLOB);

            store.putBlob(stream("precious"));
            assertThat(store.check(false)).isEmpty();
            try (InputStream in = store.openBlob(sha)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("precious");
            }
        }
    }

    @Test
    void repairNeverRemovesDamagedData() {
        try (InMemoryStore store = new InMemoryStore()) {
            DocumentKey key = DocumentKey.of("models", "rain");
            store.create(key, "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8));
            store.damageDocument(key);

            assertThat(store.check(true)).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.CORRUPT_DOCUMENT);
                assertThat(p.location()).isEqualTo("models/rain");
                assertThat(p.repaired()).isFalse();
            });
            assertThat(store.check(false)).hasSize(1);
        }
    }

    @Test
    void brokenJournalIsReportedOnceAtTheFirstBadEntry() {
        try (InMemoryStore store = new InMemoryStore()) {
            for (int i = 0; i < 6; i++) {
                store.append(("entry " + i).getBytes(StandardCharsets.UTF_8));
            }
            store.damageJournalEntry(4);
            store.damageJournalEntry(5);

            assertThat(store.check(false)).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.BROKEN_JOURNAL);
                assertThat(p.location()).isEqualTo("journal/4");
            });
        }
    }

    @Test
    void closeIsIdempotentAndDescribeStillWorks() {
        InMemoryStore store = new InMemoryStore();
        store.close();
        assertThatNoException().isThrownBy(store::close);
        assertThat(store.describe()).startsWith("memory:");
    }

    @Test
    void clockIsRequired() {
        assertThatThrownBy(() -> new InMemoryStore(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("clock");
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
