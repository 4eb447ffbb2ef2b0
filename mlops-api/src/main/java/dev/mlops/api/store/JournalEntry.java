package dev.mlops.api.store;

import dev.mlops.api.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a store's append-only journal. Entries are numbered from 1 without gaps and
 * chained: {@code hash = SHA-256(sequence "\n" previousHash "\n" payload)}, with
 * {@link #GENESIS_HASH} before entry 1. Changing, removing or reordering any entry breaks every
 * hash after it.
 *
 * @param sequence 1, 2, 3...
 * @param previousHash the hash of entry {@code sequence - 1}, or {@link #GENESIS_HASH}
 * @param hash this entry's chained hash
 * @param payload the entry's bytes (mlops-core writes a JSON audit record)
 */
public record JournalEntry(long sequence, String previousHash, String hash, byte[] payload) {

    /** The previous hash of entry 1: 64 zeros. */
    public static final String GENESIS_HASH = "0".repeat(64);

    /** Checks and copies. */
    public JournalEntry {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
        }
        Digests.requireSha256(previousHash);
        Digests.requireSha256(hash);
        payload = Objects.requireNonNull(payload, "payload").clone();
    }

    /**
     * Builds the entry that follows {@code previousHash}, computing its hash.
     *
     * @param sequence the entry's number
     * @param previousHash hash of the entry before, or {@link #GENESIS_HASH}
     * @param payload the bytes
     * @return the chained entry
     */
    public static JournalEntry chain(long sequence, String previousHash, byte[] payload) {
        return new JournalEntry(sequence, previousHash, chainHash(sequence, previousHash, payload), payload);
    }

    /**
     * @param sequence entry number
     * @param previousHash hash of the entry before
     * @param payload entry bytes
     * @return the hash an entry with these fields must carry
     */
    public static String chainHash(long sequence, String previousHash, byte[] payload) {
        MessageDigest md = Digests.sha256();
        md.update((sequence + "\n" + previousHash + "\n").getBytes(StandardCharsets.US_ASCII));
        md.update(payload);
        return Digests.hex(md.digest());
    }

    /** @return true when {@link #hash} is the hash of this entry's fields */
    public boolean hashMatches() {
        return MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                chainHash(sequence, previousHash, payload).getBytes(StandardCharsets.US_ASCII));
    }

    /** @return a copy of the payload */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEntry e && e.sequence == sequence && e.previousHash.equals(previousHash)
                && e.hash.equals(hash) && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, hash);
    }

    @Override
    public String toString() {
        return "JournalEntry[" + sequence + " " + hash.substring(0, 12) + "..., " + payload.length + " bytes]";
    }
}
