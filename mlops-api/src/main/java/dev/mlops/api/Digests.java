package dev.mlops.api;

import dev.mlops.api.InvalidNameException;
import dev.mlops.api.Names;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers shared by every store, so all of them address and chain content alike. */
public final class Digests {
    /** SHA-256 of the empty input, lowercase hex. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private Digests() {
    }

    /** @return a fresh SHA-256 digest */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /**
     * @param bytes any bytes
     * @return their SHA-256, lowercase hex
     */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /**
     * @param digest a finished digest's bytes
     * @return lowercase hex
     */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * @param sha256 a caller-supplied digest
     * @return it, when it is 64 lowercase hex characters
     * @throws InvalidNameException otherwise (a digest becomes a path in file stores)
     */
    public static String requireSha256(String sha256) {
        if (sha256 == null || sha256.length() != 64) {
            throw new InvalidNameException("expected a SHA-256 digest of 64 lowercase hex characters, got "
                    + (sha256 == null ? "null" : Names.quote(sha256)));
        }
        for (int i = 0; i < 64; i++) {
            char c = sha256.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new InvalidNameException("expected a SHA-256 digest of 64 lowercase hex characters, got "
                        + Names.quote(sha256));
            }
        }
        return sha256;
    }
}
