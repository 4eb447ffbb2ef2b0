package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditHead;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.store.ForwardingStore;
import dev.mlops.api.store.JournalEntry;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A head recorded outside the store finds a trail cut back or rewritten, which the chain alone cannot. */
@DisplayName("Audit head")
class AuditHeadTest {
    private final InMemoryStore store = new InMemoryStore();
    private final Mlops mlops = Mlops.builder().store(store).build();

    private void register(Mlops m, String content) {
        m.models().register("rain", NewModelVersion.builder().artifact(Artifact.bytes("m.bin", content.getBytes())).build());
    }

    /** The same journal with its last {@code cut} entries gone, as after someone removed them. */
    private Mlops cutBack(int cut) {
        return Mlops.builder().store(new ForwardingStore(store) {
            @Override
            public long journalLength() {
                return super.journalLength() - cut;
            }

            @Override
            public List<JournalEntry> readJournal(long fromSequence, int limit) {
                return super.readJournal(fromSequence, limit).stream()
                        .filter(e -> e.sequence() <= super.journalLength() - cut).toList();
            }
        }).build();
    }

    @Test
    @DisplayName("an empty trail has no head; each change moves the head to its entry")
    void headFollowsTheTrail() {
        assertThat(mlops.audit().head()).isEmpty();
        register(mlops, "a");
        AuditHead first = mlops.audit().head().orElseThrow();
        assertThat(first.sequence()).isEqualTo(mlops.audit().size());
        assertThat(first.hash()).isEqualTo(mlops.audit().entries(first.sequence(), 1).get(0).hash());
        register(mlops, "b");
        assertThat(mlops.audit().head().orElseThrow().sequence()).isGreaterThan(first.sequence());
        assertThat(mlops.audit().verify(first).ok()).as("later entries are appended after the head").isTrue();
    }

    @Test
    @DisplayName("a trail cut back before the recorded head verifies as a chain but fails against the head")
    void truncatedTailIsFound() {
        register(mlops, "a");
        register(mlops, "b");
        AuditHead recorded = mlops.audit().head().orElseThrow();
        Mlops cut = cutBack(1);
        assertThat(cut.audit().verify().ok()).as("the chain alone cannot tell").isTrue();
        AuditVerification v = cut.audit().verify(recorded);
        assertThat(v.ok()).isFalse();
        assertThat(v.detail()).contains("removed from its end");
    }

    @Test
    @DisplayName("a trail cut back and written again differs at the recorded head")
    void rewrittenTailIsFound() {
        register(mlops, "a");
        AuditHead recorded = mlops.audit().head().orElseThrow();
        InMemoryStore other = new InMemoryStore();
        Mlops rewritten = Mlops.builder().store(other).build();
        register(rewritten, "forged");
        while (rewritten.audit().size() < recorded.sequence()) {
            register(rewritten, "pad " + rewritten.audit().size());
        }
        AuditVerification v = rewritten.audit().verify(recorded);
        assertThat(v.ok()).isFalse();
        assertThat(v.detail()).contains("is not the recorded head");
    }

    @Test
    @DisplayName("a head reads and prints as SEQUENCE:HASH and refuses anything else")
    void textForm() {
        register(mlops, "a");
        AuditHead h = mlops.audit().head().orElseThrow();
        assertThat(AuditHead.parse(h.toString())).isEqualTo(h);
        assertThat(AuditHead.parse(" " + h + "\n")).isEqualTo(h);
        for (String bad : new String[] {"", "1", "0:" + h.hash(), "1:" + h.hash().toUpperCase(), h.hash(),
                "-1:" + h.hash(), "1:" + h.hash() + "0"}) {
            assertThatThrownBy(() -> AuditHead.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
