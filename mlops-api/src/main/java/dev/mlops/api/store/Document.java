package dev.mlops.api.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A small stored document: opaque bytes (mlops-core writes JSON) at a key, with a revision that
 * starts at 1 on creation and grows by one on every replace. The revision is what
 * compare-and-set compares.
 *
 * @param key where the document lives
 * @param revision 1 after create, +1 per replace
 * @param content the bytes; copied in and out, so a document is immutable
 */
public record Document(DocumentKey key, long revision, byte[] content) {

    /** Checks and copies. */
    public Document {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1, was " + revision);
        }
        content = content.clone();
    }

    /** @return a copy of the content */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** @return the content length in bytes, without copying */
    public int size() {
        return content.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Document d && d.key.equals(key) && d.revision == revision
                && Arrays.equals(d.content, content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, revision, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "Document[" + key + " rev " + revision + ", " + content.length + " bytes]";
    }
}
