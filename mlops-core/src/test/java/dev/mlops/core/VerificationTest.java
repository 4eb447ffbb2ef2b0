package dev.mlops.core;

import dev.mlops.api.store.ForwardingStore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Verification")
class VerificationTest {

    private static NewModelVersion tiny(int i) {
        return NewModelVersion.builder().artifact(Artifact.bytes("m", new byte[] {(byte) i})).build();
    }

    @Test
    @DisplayName("a registration whose audit entry was lost is reported, and repair appends a recovered entry")
    void lostAuditEntry() {
        InMemoryStore store = new InMemoryStore();
        Mlops mlops = Mlops.builder().store(store).build();
        mlops.models().register("rain", tiny(1));
        // a second writer whose journal appends fail: it commits the version, then dies before auditing
        Store noJournal = new ForwardingStore(store) {
            @Override
            public JournalEntry append(byte[] payload) {
                throw new IllegalStateException("killed");
            }
        };
        Mlops dying = Mlops.builder().store(noJournal).build();
        try {
            dying.models().register("rain", tiny(2));
        } catch (IllegalStateException expected) {
            // the version is committed, its audit entry is not
        }
        assertThat(mlops.models().version("rain", 2)).isNotNull();

        // no writer is running any more: no grace period for entries still on their way
        IntegrityReport report = mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO));
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.MISSING_AUDIT_ENTRY);
            assertThat(p.location()).isEqualTo("rain/2");
        });
        assertThat(mlops.verify(VerifyOptions.repair().auditGracePeriod(java.time.Duration.ZERO)).ok()).isTrue();
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).problems()).isEmpty();
        assertThat(mlops.audit().entriesFor("rain/2")).singleElement()
                .satisfies(e -> assertThat(e.after()).containsEntry("recovered_by", "verify --repair"));
    }

    @Test
    @DisplayName("an altered, removed or reordered journal entry is named by the chain check")
    void tamperedChain() {
        InMemoryStore store = new InMemoryStore();
        Mlops mlops = Mlops.builder().store(store).build();
        for (int i = 0; i < 5; i++) {
            mlops.models().register("rain", tiny(i));
        }
        assertThat(mlops.audit().verify().ok()).isTrue();
        List<JournalEntry> real = store.readJournal(1, 100);

        AuditVerification altered = auditOver(store, entries -> entries.set(3,
                new JournalEntry(4, real.get(3).previousHash(), real.get(3).hash(), "{\"forged\":1}".getBytes())));
        assertThat(altered.ok()).isFalse();
        assertThat(altered.firstBadSequence()).hasValue(4);

        AuditVerification removed = auditOver(store, entries -> entries.remove(2));
        assertThat(removed.firstBadSequence()).hasValue(3);

        AuditVerification reordered = auditOver(store, entries -> {
            JournalEntry a = entries.get(1);
            entries.set(1, entries.get(2));
            entries.set(2, a);
        });
        assertThat(reordered.firstBadSequence()).hasValue(2);
    }

    private static AuditVerification auditOver(Store real, java.util.function.Consumer<List<JournalEntry>> tamper) {
        Store tampered = new ForwardingStore(real) {
            @Override
            public List<JournalEntry> readJournal(long from, int limit) {
                List<JournalEntry> all = new java.util.ArrayList<>(real.readJournal(1, 10_000));
                tamper.accept(all);
                return all.stream().skip(from - 1).limit(limit).toList();
            }
        };
        return Mlops.builder().store(tampered).build().audit().verify();
    }

    @Test
    @DisplayName("a missing archived chunk of an alias history is reported, and the rest is still checked")
    void missingHistoryChunk() {
        InMemoryStore store = new InMemoryStore();
        Mlops mlops = Mlops.builder().store(store).build();
        mlops.models().register("rain", tiny(1));
        mlops.models().register("rain", tiny(2));
        for (int i = 0; i <= 2 * ModelDoc.HISTORY_CHUNK; i++) {
            mlops.models().setAlias("rain", "production", 1 + i % 2);
        }
        dev.mlops.api.store.DocumentKey chunk = Keys.aliasHistory("rain", "production").child(Keys.number(0));
        store.delete(chunk, store.read(chunk).orElseThrow().revision());

        assertThat(mlops.verify(VerifyOptions.repair().auditGracePeriod(java.time.Duration.ZERO)).problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.INCONSISTENT);
            assertThat(p.location()).isEqualTo(chunk.toString());
            assertThat(p.detail()).contains("rain@production from move 1 is missing");
            assertThat(p.repaired()).isFalse();
        });
    }

    @Test
    @DisplayName("an interrupted delete is finished by repair")
    void interruptedDelete() {
        InMemoryStore store = new InMemoryStore();
        Mlops mlops = Mlops.builder().store(store).build();
        mlops.models().register("rain", tiny(1));
        mlops.models().register("rain", tiny(2));
        Store failsOnTombstone = new ForwardingStore(store) {
            @Override
            public dev.mlops.api.store.Document replace(dev.mlops.api.store.DocumentKey key, long rev, byte[] c) {
                if (key.toString().contains("/versions/")) {
                    throw new IllegalStateException("killed");
                }
                return super.replace(key, rev, c);
            }
        };
        try {
            Mlops.builder().store(failsOnTombstone).build().models().deleteVersion(ModelRef.version("rain", 1));
        } catch (IllegalStateException expected) {
            // marked deleted in the model, version document not yet a tombstone
        }
        assertThat(mlops.models().listVersions("rain", dev.mlops.api.VersionQuery.all()).items()).hasSize(1);
        assertThat(mlops.verify(VerifyOptions.check()).ok()).isFalse();
        assertThat(mlops.verify(VerifyOptions.repair()).ok()).isTrue();
        assertThat(mlops.verify(VerifyOptions.check()).problems()).isEmpty();
    }
}
