package dev.mlops.registry.fs;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.StorageException;
import dev.mlops.api.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Reads a blob's content and hashes it on the way. The read that delivers the last recorded
 * byte checks the digest, so a reader that stops after exactly the blob's size is protected
 * too; end of stream, or bytes beyond the recorded length, are checked as well. It throws
 * {@link IntegrityException} instead of returning damaged data. Once failed, it keeps failing.
 */
final class VerifyingBlobStream extends InputStream {
    private final FileChannel channel;
    private final String sha256;
    private final Path file;
    private final long expectedLength;
    private final MessageDigest digest = Digests.sha256();
    private long count;
    private boolean digestChecked;
    private boolean verified;
    private IntegrityException failure;
    private boolean closed;

    /**
     * @param channel positioned at the first content byte; closed with this stream
     * @param sha256 the address
     * @param file for messages
     * @param expectedLength the length the header records
     */
    VerifyingBlobStream(FileChannel channel, String sha256, Path file, long expectedLength) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.sha256 = sha256;
        this.file = file;
        this.expectedLength = expectedLength;
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
        if (verified) {
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, len));
        if (n < 0) {
            verify();
            return -1;
        }
        if (digestChecked || count + n > expectedLength) {
            throw fail("the file holds more than the " + expectedLength + " bytes its header records"
                    + " (it was altered after it was stored)");
        }
        digest.update(b, off, n);
        count += n;
        if (count == expectedLength) {
            checkDigest();
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        if (closed || verified || failure != null) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, expectedLength - count));
    }

    private void verify() {
        if (count != expectedLength) {
            throw fail("the file ends after " + count + " bytes, its header records " + expectedLength);
        }
        if (!digestChecked) {
            checkDigest(); // the empty blob: no read delivered a last byte
        }
        verified = true;
    }

    private void checkDigest() {
        digestChecked = true;
        String actual = Digests.hex(digest.digest());
        if (!actual.equals(sha256)) {
            throw fail("its content hashes to " + actual + ", not to its address");
        }
    }

    private IntegrityException fail(String why) {
        failure = new IntegrityException("blob " + sha256 + " is damaged: " + why + "; file " + file);
        return failure;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new StorageException("could not close blob file " + file, e);
        }
    }
}
