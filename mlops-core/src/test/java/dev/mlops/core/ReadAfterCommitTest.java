package dev.mlops.core;

import dev.mlops.api.testing.ManualTestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Page;
import dev.mlops.api.StorageException;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.ForwardingStore;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A change whose commit point (one compare-and-set of a document) succeeded must be answered as
 * a success, even if every read after it fails: a read that fails after the commit, to build
 * the answer, would report a committed change as failed, and a retry would apply it twice.
 */
@DisplayName("A read failing after the commit does not fail the committed change")
class ReadAfterCommitTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    /**
     * A store whose reads all fail once a document write has succeeded: the storage went away
     * after the commit. The version index's mark is written before the commit point, so a write
     * to the index does not count.
     */
    private static final class ReadsFailAfterFirstWrite extends ForwardingStore {
        private volatile boolean committed;

        ReadsFailAfterFirstWrite(Store delegate) {
            super(delegate);
        }

        private void readable() {
            if (committed) {
                throw new StorageException("reading from " + describe() + " failed: Input/output error (injected after"
                        + " the commit)");
            }
        }

        @Override
        public Document create(DocumentKey key, byte[] content) {
            Document d = super.create(key, content);
            committed |= !key.segments().contains("version-index");
            return d;
        }

        @Override
        public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
            Document d = super.replace(key, expectedRevision, content);
            committed |= !key.segments().contains("version-index");
            return d;
        }

        @Override
        public Optional<Document> read(DocumentKey key) {
            readable();
            return super.read(key);
        }

        @Override
        public Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit) {
            readable();
            return super.list(parent, startAfter, limit);
        }

        @Override
        public Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit) {
            readable();
            return super.listKeys(parent, startAfter, limit);
        }

        @Override
        public InputStream openBlob(String sha256) {
            readable();
            return super.openBlob(sha256);
        }

        @Override
        public Optional<BlobInfo> blobInfo(String sha256) {
            readable();
            return super.blobInfo(sha256);
        }

        @Override
        public List<JournalEntry> readJournal(long fromSequence, int limit) {
            readable();
            return super.readJournal(fromSequence, limit);
        }

        @Override
        public long journalLength() {
            readable();
            return super.journalLength();
        }
    }

    /** An operation on rain (versions 1 to 3, production moved 2 then 1, 3 archived). */
    record Case(String name, Consumer<Mlops> change) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> changes() {
        ModelRef.Version r2 = ModelRef.version("rain", 2);
        ModelRef.Version r3 = ModelRef.version("rain", 3);
        return Stream.of(
                new Case("set a new alias", m -> m.models().setAlias("rain", "staging", 2)),
                new Case("move an alias", m -> m.models().setAlias("rain", "production", 2)),
                new Case("roll an alias back", m -> m.models().rollback("rain", "production")),
                new Case("remove an alias", m -> m.models().removeAlias("rain", "production")),
                new Case("archive a version", m -> m.models().archive(r2)),
                new Case("restore a version", m -> m.models().restore(r3)),
                new Case("tag a version", m -> m.models().setVersionTag(r2, "stage", "prod")),
                new Case("add an attachment", m -> m.models().addAttachment(r2, "report",
                        "a report".getBytes(StandardCharsets.UTF_8))),
                new Case("describe a model", m -> m.models().setModelDescription("rain", "rain model")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    @DisplayName("the call returns, and its change is there")
    void committedChangeSucceeds(Case c) {
        InMemoryStore expectedStore = new InMemoryStore();
        Mlops expected = instance(expectedStore);
        baseline(expected);
        c.change().accept(expected);

        InMemoryStore store = new InMemoryStore();
        baseline(instance(store));
        Mlops failing = instance(new ReadsFailAfterFirstWrite(store));
        c.change().accept(failing); // throws if the answer needs a read after the commit

        assertThat(state(instance(store))).isEqualTo(state(expected));
    }

    private static Mlops instance(Store store) {
        return Mlops.builder().store(store).clock(new ManualTestClock(START)).actor("alice").build();
    }

    private static void baseline(Mlops m) {
        for (int i = 1; i <= 3; i++) {
            m.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.bin", ("rain " + i).getBytes(StandardCharsets.UTF_8))).build());
        }
        m.models().archive(ModelRef.version("rain", 3));
        m.models().setAlias("rain", "production", 2);
        m.models().setAlias("rain", "production", 1);
    }

    /** What a reader sees of rain. */
    private static List<String> state(Mlops m) {
        List<String> lines = new ArrayList<>();
        lines.add("model " + m.models().model("rain"));
        for (ModelVersion v : m.models().listVersions("rain", VersionQuery.builder().includeArchived(true).build())
                .items()) {
            lines.add("version " + v.number() + " " + v.status() + " tags=" + v.tags() + " attachments="
                    + v.attachments().keySet() + " aliases=" + v.aliases());
        }
        for (String alias : m.models().model("rain").aliases().keySet()) {
            lines.add("history " + alias + " " + m.models().aliasHistory("rain", alias));
        }
        return lines;
    }
}
