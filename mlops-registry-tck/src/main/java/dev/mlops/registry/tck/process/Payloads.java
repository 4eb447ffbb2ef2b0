package dev.mlops.registry.tck.process;

import dev.mlops.api.store.Digests;
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
}
