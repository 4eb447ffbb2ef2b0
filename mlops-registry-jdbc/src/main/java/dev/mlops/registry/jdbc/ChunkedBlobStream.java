package dev.mlops.registry.jdbc;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Reads a blob chunk by chunk, one chunk (at most 1 MiB) in memory at a time, each fetched with a
 * connection borrowed for that fetch, and hashes it on the way. The read that delivers the last
 * recorded byte checks the digest, so a reader that stops after exactly the blob's size is
 * protected too; so does the end of the stream, and chunks holding more or fewer bytes than
 * recorded are reported. It throws {@link IntegrityException} instead of returning damaged data,
 * and once failed it keeps failing.
 *
 * <p>Chunk rows are immutable (a blob stored again gets a new upload id), so reading them in
 * separate transactions is consistent; a blob deleted while it is read ends the stream with a
 * {@link dev.mlops.api.StorageException}.
 */
final class ChunkedBlobStream extends InputStream {
    private final PostgresStore store;
    private final String sha256;
    private final long upload;
    private final int chunkCount;
    private final long size;
    private final MessageDigest digest = Digests.sha256();
    private byte[] chunk = new byte[0];
    private int position;
    private int nextChunk;
    private long count;
    private boolean digestChecked;
    private IntegrityException failure;
    private boolean closed;

    ChunkedBlobStream(PostgresStore store, String sha256, long upload, int chunkCount, long size) {
        this.store = store;
        this.sha256 = sha256;
        this.upload = upload;
        this.chunkCount = chunkCount;
        this.size = size;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream of blob " + sha256 + " is closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        while (position == chunk.length) {
            if (nextChunk == chunkCount) {
                end();
                return -1;
            }
            chunk = store.readChunk(sha256, upload, nextChunk, chunkCount);
            position = 0;
            nextChunk++;
        }
        int n = Math.min(len, chunk.length - position);
        if (count + n > size) {
            throw fail("its chunks hold more than the " + size + " bytes recorded");
        }
        digest.update(chunk, position, n);
        count += n;
        if (count == size) {
            checkDigest(); // before handing out the last bytes
        }
        System.arraycopy(chunk, position, b, off, n);
        position += n;
        if (position == chunk.length) {
            chunk = new byte[0]; // let the chunk go before the next fetch
            position = 0;
        }
        return n;
    }

    private void end() {
        if (count != size) {
            throw fail("its chunks end after " + count + " bytes, " + size + " are recorded");
        }
        if (!digestChecked) {
            checkDigest(); // the empty blob: no read delivered a last byte
        }
    }

    private void checkDigest() {
        digestChecked = true;
        String actual = Digests.hex(digest.digest());
        if (!actual.equals(sha256)) {
            throw fail("its content hashes to " + actual + ", not to its address");
        }
    }

    private IntegrityException fail(String why) {
        failure = new IntegrityException("blob " + sha256 + " in " + store.describe() + " is damaged: " + why);
        return failure;
    }

    @Override
    public int available() {
        if (closed || failure != null) {
            return 0;
        }
        return chunk.length - position;
    }

    @Override
    public void close() {
        closed = true;
        chunk = new byte[0];
    }
}
