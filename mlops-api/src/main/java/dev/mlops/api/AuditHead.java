package dev.mlops.api;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last entry of an audit trail: its position and chain hash. Record it somewhere the store's
 * writers cannot reach (a ticket, a log shipped elsewhere, a signed release note), and later
 * check with {@link AuditLog#verify(AuditHead)} that the trail still holds it: a trail cut back
 * or rewritten from an earlier entry no longer does, even though its own chain verifies.
 *
 * @param sequence the entry's position, from 1
 * @param hash the entry's chain hash, 64 lower-case hex digits
 */
public record AuditHead(long sequence, String hash) {
    private static final Pattern TEXT = Pattern.compile("([1-9][0-9]{0,18}):([0-9a-f]{64})");

    /** Checks arguments. */
    public AuditHead {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be 1 or more, was " + sequence);
        }
        Objects.requireNonNull(hash, "hash");
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("hash must be 64 lower-case hex digits, was " + Names.quote(hash));
        }
    }

    /**
     * @param text {@code SEQUENCE:HASH}, as {@link #toString()} writes it
     * @return the head
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static AuditHead parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("audit head " + Names.quote(text) + " is not of the form SEQUENCE:HASH"
                    + " (an entry number, a colon and 64 lower-case hex digits, as 'audit --head' prints it)");
        }
        return new AuditHead(Long.parseLong(m.group(1)), m.group(2));
    }

    /** @return {@code SEQUENCE:HASH} */
    @Override
    public String toString() {
        return sequence + ":" + hash;
    }
}
