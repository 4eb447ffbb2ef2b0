package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.JournalEntry;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.ByteRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

@Label("On-disk formats: round-trip, and every damage to a document file is detected")
class CodecPropertiesTest {
    private static final DocumentKey[] KEYS = {
        DocumentKey.of("models", "rain"), DocumentKey.of("models", "rain", "versions", "0000000001"), DocumentKey.of("a")
    };

    @Property(tries = 300)
    @Label("a document decodes to itself")
    void documentRoundTrip(@ForAll @Size(max = 2000) byte[] content, @ForAll @LongRange(min = 1) long revision,
                           @ForAll @IntRange(min = 0, max = 2) int key) throws Exception {
        Document d = new Document(KEYS[key], revision, content);
        assertThat(Codec.decodeDocument(KEYS[key], Codec.encodeDocument(d))).isEqualTo(d);
    }

    @Property(tries = 1000)
    @Label("changing any one byte of a document file, header or content, is detected")
    void anyByteChangeDetected(@ForAll @Size(max = 300) byte[] content, @ForAll @LongRange(min = 1) long revision,
                               @ForAll @IntRange(min = 0, max = 100_000) int where,
                               @ForAll @ByteRange(min = 1) byte xor) {
        DocumentKey key = KEYS[0];
        byte[] file = Codec.encodeDocument(new Document(key, revision, content));
        file[where % file.length] ^= xor;
        assertThatThrownBy(() -> Codec.decodeDocument(key, file)).isInstanceOf(Codec.FormatException.class);
    }

    @Property(tries = 500)
    @Label("a truncated document or journal entry is detected")
    void truncationDetected(@ForAll @Size(max = 300) byte[] content, @ForAll @IntRange(min = 1, max = 100_000) int cut) {
        DocumentKey key = KEYS[1];
        byte[] doc = Codec.encodeDocument(new Document(key, 7, content));
        byte[] shortDoc = Arrays.copyOf(doc, doc.length - 1 - (cut % doc.length));
        assertThatThrownBy(() -> Codec.decodeDocument(key, shortDoc)).isInstanceOf(Codec.FormatException.class);

        byte[] entry = Codec.encodeEntry(JournalEntry.chain(3, JournalEntry.GENESIS_HASH, content));
        byte[] shortEntry = Arrays.copyOf(entry, entry.length - 1 - (cut % entry.length));
        assertThatThrownBy(() -> Codec.decodeEntry(shortEntry)).isInstanceOf(Codec.FormatException.class);
    }

    @Property(tries = 300)
    @Label("a journal entry decodes to itself")
    void entryRoundTrip(@ForAll @Size(max = 2000) byte[] payload, @ForAll @LongRange(min = 1) long sequence) throws Exception {
        JournalEntry e = JournalEntry.chain(sequence, JournalEntry.GENESIS_HASH, payload);
        assertThat(Codec.decodeEntry(Codec.encodeEntry(e))).isEqualTo(e);
    }

    @Property(tries = 200)
    @Label("a blob header records any length and rejects any other header")
    void blobHeader(@ForAll @LongRange(min = 0) long length, @ForAll @IntRange(min = 0, max = 32) int where,
                    @ForAll @ByteRange(min = 1) byte xor) throws Exception {
        byte[] h = Codec.encodeBlobHeader(length);
        assertThat(Codec.decodeBlobHeader(h, h.length)).isEqualTo(length);
        if (where < 13 || where == 32) { // magic, version and newline are fixed: any change is refused
            h[where] ^= xor;
            assertThatThrownBy(() -> Codec.decodeBlobHeader(h, h.length)).isInstanceOf(Codec.FormatException.class);
        }
    }
}
