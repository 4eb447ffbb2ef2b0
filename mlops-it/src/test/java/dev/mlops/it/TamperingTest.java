package dev.mlops.it;

import dev.mlops.registry.tck.process.RegistryChecks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.Digests;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 5: files of a filesystem store changed behind its back. The on-disk layout is the one
 * documented on {@code FileSystemStore}: {@code blobs/ab/<sha256>} (a 33-byte header, then the
 * content), {@code journal/<shard>/<19-digit sequence>} (a text header, then the payload),
 * {@code docs/models/NAME/versions/<10-digit N>@doc}. Every check opens a fresh instance after the
 * damage, so nothing cached hides it.
 */
@DisplayName("tampering on disk")
class TamperingTest {
    static final int BLOB_HEADER = 33;

    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private static byte[] content(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ModelVersion register(Mlops m, String model, byte[] content) {
        return m.models().register(model, NewModelVersion.builder().artifact(Artifact.bytes("model.bin", content)).build());
    }

    private Path blobFile(String sha) {
        Path f = store().resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha);
        assertThat(f).as("blob file of %s (layout of FileSystemStore)", sha).isRegularFile();
        return f;
    }

    private Path journalFile(long sequence) throws IOException {
        String name = String.format("%019d", sequence);
        try (Stream<Path> s = Files.walk(store().resolve("journal"))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().equals(name)).toList();
            assertThat(found).as("journal file of entry %d", sequence).hasSize(1);
            return found.get(0);
        }
    }

    private Path versionDocFile(String model, int version) {
        Path f = store().resolve("docs").resolve("models").resolve(model).resolve("versions")
                .resolve(String.format("%010d@doc", version));
        assertThat(f).as("document file of %s/%d (layout of FileSystemStore)", model, version).isRegularFile();
        return f;
    }

    private static byte[] readAll(Mlops m, String model, int version) throws IOException {
        try (InputStream in = m.models().openArtifact(ModelRef.version(model, version), "model.bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    @DisplayName("a blob with one flipped byte is reported by verify and refused with IntegrityException when read")
    void flippedByteInABlob() throws IOException {
        byte[] a = content(1, 5000);
        byte[] b = content(2, 3000);
        String shaA;
        try (Mlops m = Mlops.open(store())) {
            shaA = register(m, "x", a).artifact().digest();
            register(m, "x", b);
            assertThat(m.verify(VerifyOptions.check()).problems()).isEmpty();
        }
        Path blob = blobFile(shaA);
        byte[] raw = Files.readAllBytes(blob);
        assertThat(raw).hasSize(BLOB_HEADER + a.length);
        raw[BLOB_HEADER + 1234] ^= 0x01;
        Files.write(blob, raw);

        try (Mlops m = Mlops.open(store())) {
            IntegrityReport report = m.verify(VerifyOptions.check());
            assertThat(report.ok()).isFalse();
            assertThat(report.problems()).as("problems: %s", report.problems())
                    .anyMatch(p -> p.kind() == IntegrityProblem.Kind.CORRUPT_BLOB && p.location().contains(shaA));

            Throwable read = catchThrowable(() -> readAll(m, "x", 1));
            assertThat(read).as("reading the damaged version").isInstanceOf(IntegrityException.class);
            assertThat(read.getMessage()).contains(shaA);

            Path target = tmp.resolve("export");
            assertThatThrownBy(() -> m.models().exportArtifact(ModelRef.version("x", 1), target))
                    .isInstanceOf(IntegrityException.class);
            assertThat(target.resolve("model.bin")).as("no damaged file under its final name").doesNotExist();

            assertThat(readAll(m, "x", 2)).as("the other version").isEqualTo(b);
            IntegrityReport repaired = m.verify(VerifyOptions.repair());
            assertThat(repaired.ok()).as("a damaged blob is not 'repaired' away: %s", repaired.problems()).isFalse();
        }
    }

    @Test
    @DisplayName("a truncated blob is refused with IntegrityException and reported by verify")
    void truncatedBlob() throws IOException {
        byte[] a = content(3, 4000);
        String sha;
        try (Mlops m = Mlops.open(store())) {
            sha = register(m, "x", a).artifact().digest();
        }
        Path blob = blobFile(sha);
        try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.WRITE)) {
            ch.truncate(BLOB_HEADER + 1000);
        }
        try (Mlops m = Mlops.open(store())) {
            // when opened or, at the latest, by the read that should deliver the last byte
            assertThatThrownBy(() -> readAll(m, "x", 1)).isInstanceOf(IntegrityException.class);
            assertThat(m.verify(VerifyOptions.check()).problems())
                    .anyMatch(p -> p.kind() == IntegrityProblem.Kind.CORRUPT_BLOB && p.location().contains(sha));
        }
    }

    /** Registers and moves aliases as "alice", with one alias move by "tamperme" in the middle. */
    private long journalWithOneEntryByTamperme() {
        try (Mlops alice = Mlops.open(store())) {
            register(alice, "x", content(4, 100));
            register(alice, "x", content(5, 100));
            alice.models().setAlias("x", "production", 1);
            try (Mlops tamperme = Mlops.builder().store(dev.mlops.registry.fs.FileSystemStore.open(store()))
                    .actor("tamperme").build()) {
                tamperme.models().setAlias("x", "production", 2);
            }
            alice.models().setAlias("x", "champion", 1);
            register(alice, "x", content(6, 100));
            List<AuditEntry> entries = RegistryChecks.allEntries(alice.audit());
            List<AuditEntry> byTamperme = entries.stream().filter(e -> e.actor().equals("tamperme")).toList();
            assertThat(byTamperme).hasSize(1);
            assertThat(alice.audit().verify().ok()).isTrue();
            assertThat(byTamperme.get(0).sequence()).isLessThan(entries.size());
            return byTamperme.get(0).sequence();
        }
    }

    @Test
    @DisplayName("a journal entry edited on disk is reported by audit verify as the first bad entry")
    void editedJournalEntry() throws IOException {
        long sequence = journalWithOneEntryByTamperme();
        Path file = journalFile(sequence);
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("\"tamperme\"");
        Files.write(file, text.replace("\"tamperme\"", "\"tamperyo\"").getBytes(StandardCharsets.ISO_8859_1));

        try (Mlops m = Mlops.open(store())) {
            AuditVerification v = m.audit().verify();
            assertThat(v.ok()).isFalse();
            assertThat(v.firstBadSequence()).hasValue(sequence);
            assertThat(m.audit().entries(sequence, 1).get(0).actor()).as("entries are returned as stored").isEqualTo("tamperyo");
            IntegrityReport report = m.verify(VerifyOptions.check());
            assertThat(report.problems()).as("problems: %s", report.problems())
                    .anyMatch(p -> p.kind() == IntegrityProblem.Kind.BROKEN_JOURNAL);
        }
    }

    @Test
    @DisplayName("a journal entry removed on disk is reported by audit verify as the first bad entry")
    void removedJournalEntry() throws IOException {
        long sequence = journalWithOneEntryByTamperme();
        Files.delete(journalFile(sequence));
        try (Mlops m = Mlops.open(store())) {
            AuditVerification v = m.audit().verify();
            assertThat(v.ok()).isFalse();
            assertThat(v.firstBadSequence()).hasValue(sequence);
        }
    }

    @Test
    @DisplayName("two journal entries swapped on disk are reported by audit verify at the first of them")
    void reorderedJournalEntries() throws IOException {
        long sequence = journalWithOneEntryByTamperme();
        Path a = journalFile(sequence);
        Path b = journalFile(sequence + 1);
        byte[] ca = Files.readAllBytes(a);
        byte[] cb = Files.readAllBytes(b);
        Files.write(a, cb);
        Files.write(b, ca);
        try (Mlops m = Mlops.open(store())) {
            AuditVerification v = m.audit().verify();
            assertThat(v.ok()).isFalse();
            assertThat(v.firstBadSequence()).hasValue(sequence);
        }
    }

    @Test
    @DisplayName("a truncated version document gives an error naming it, while every other version stays readable")
    void truncatedVersionDocument() throws IOException {
        try (Mlops m = Mlops.open(store())) {
            for (int i = 1; i <= 4; i++) {
                register(m, "x", content(10 + i, 200 * i));
            }
            m.models().setAlias("x", "production", 3);
        }
        Path doc = versionDocFile("x", 2);
        long size = Files.size(doc);
        try (FileChannel ch = FileChannel.open(doc, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        String key = "models/x/versions/0000000002";

        try (Mlops m = Mlops.open(store())) {
            Throwable t = catchThrowable(() -> m.models().version("x", 2));
            assertThat(t).isInstanceOf(IntegrityException.class);
            assertThat(t.getMessage()).as("names the file or the key").satisfiesAnyOf(
                    msg -> assertThat(msg).contains(doc.getFileName().toString()),
                    msg -> assertThat(msg).contains(key));

            for (int v : new int[] {1, 3, 4}) {
                ModelVersion other = m.models().version("x", v);
                assertThat(Digests.sha256Hex(readAll(m, "x", v))).isEqualTo(other.artifact().digest());
            }
            assertThat(m.models().resolve(ModelRef.parse("x@production")).number()).isEqualTo(3);

            IntegrityReport report = m.verify(VerifyOptions.check());
            assertThat(report.problems()).as("problems: %s", report.problems())
                    .anyMatch(p -> p.kind() == IntegrityProblem.Kind.CORRUPT_DOCUMENT && p.location().contains(key));

            // the listing must survive one damaged document: the others are listed
            Throwable listing = catchThrowable(() -> RegistryChecks.allVersions(m.models(), "x"));
            assertThat(listing).as("listVersions with one damaged version document").isNull();
            assertThat(RegistryChecks.allVersions(m.models(), "x")).extracting(ModelVersion::number).contains(1, 3, 4);
            assertThat(m.models().listVersions("x", VersionQuery.builder().alias("production").build()).items())
                    .extracting(ModelVersion::number).containsExactly(3);
        }
    }
}
