package dev.mlops.registry.tck.process;

import dev.mlops.api.Digests;
import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * The artifact bytes a worker registers, derived only from (seed, iteration), so the test that
 * started the worker can recompute them, and their SHA-256, from what the worker printed or from
 * the parameters stored with the version.
 */
public final class Payloads {
    private Payloads() {
    }

    /**
     * @param seed the worker's seed
     * @param iteration the worker's loop counter
     * @param maxSize largest size in bytes (inclusive)
     * @return the artifact bytes, 0 to {@code maxSize} long
     */
    public static byte[] bytes(long seed, int iteration, int maxSize) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + iteration);
        int size = r.nextInt(maxSize + 1);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    /** @return the SHA-256 of {@link #bytes}, lowercase hex */
    public static String sha256(long seed, int iteration, int maxSize) {
        return Digests.sha256Hex(bytes(seed, iteration, maxSize));
    }

    /**
     * @param length how many bytes the stream delivers
     * @param seed what they are derived from
     * @return a deterministic pseudo-random stream, generated as it is read: a blob larger than
     *     any heap, the same on every read
     */
    public static InputStream stream(long length, long seed) {
        return new GeneratedStream(length, seed);
    }

    private static final class GeneratedStream extends InputStream {
        private final long length;
        private long position;
        private long state;

        GeneratedStream(long length, long seed) {
            this.length = length;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            position += n;
            return n;
        }
    }
}
