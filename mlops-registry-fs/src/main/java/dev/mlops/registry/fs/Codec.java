package dev.mlops.registry.fs;

import dev.mlops.api.Names;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The byte formats of the files the store writes. Every format starts with a short ASCII header
 * line (so {@code head -c 100 file} explains a file) and is parsed strictly: a file that does
 * not match exactly is reported, never guessed at.
 *
 * <pre>
 * document:      "mlops-doc 1 &lt;revision&gt; &lt;length&gt; &lt;crc32c, 8 hex&gt;\n" content
 *                CRC32C over: key "\n" revision "\n" content (a copied or misplaced file fails too)
 * blob:          "mlops-blob 1 &lt;length, 19 digits&gt;\n" content          (33-byte header)
 * journal entry: "mlops-journal 1\n" "sequence &lt;n&gt;\n" "previous &lt;hex64&gt;\n" "hash &lt;hex64&gt;\n"
 *                "length &lt;n&gt;\n" "\n" payload
 * </pre>
 */
final class Codec {
    static final String DOC_MAGIC = "mlops-doc";
    static final String BLOB_MAGIC = "mlops-blob";
    static final String JOURNAL_MAGIC = "mlops-journal";
    static final int VERSION = 1;
    /** Length of a blob's header: "mlops-blob 1 " + 19 digits + "\n". */
    static final int BLOB_HEADER_LENGTH = 33;
    private static final int MAX_HEADER = 256;

    private Codec() {
    }

    /** A file's bytes did not parse; the caller adds which file and which key. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    // ---- documents ------------------------------------------------------------------------

    static byte[] encodeDocument(Document doc) {
        byte[] content = doc.content();
        String header = DOC_MAGIC + " " + VERSION + " " + doc.revision() + " " + content.length + " "
                + crcHex(documentCrc(doc.key(), doc.revision(), content)) + "\n";
        return concat(header.getBytes(StandardCharsets.US_ASCII), content);
    }

    static Document decodeDocument(DocumentKey key, byte[] file) throws FormatException {
        int nl = headerEnd(file, "document");
        String[] f = new String(file, 0, nl, StandardCharsets.US_ASCII).split(" ", -1);
        if (f.length != 5 || !f[0].equals(DOC_MAGIC)) {
            throw new FormatException("it does not start with a '" + DOC_MAGIC + "' header");
        }
        requireVersion(f[1]);
        long revision = parseLong(f[2], "revision");
        long length = parseLong(f[3], "content length");
        if (revision < 1) {
            throw new FormatException("its header holds revision " + revision + ", expected 1 or more");
        }
        long actual = file.length - (nl + 1L);
        if (actual != length) {
            throw new FormatException("its header says " + length + " bytes of content but the file holds "
                    + actual + (actual < length ? " (truncated)" : " (trailing bytes)"));
        }
        byte[] content = Arrays.copyOfRange(file, nl + 1, file.length);
        String expected = crcHex(documentCrc(key, revision, content));
        if (!expected.equals(f[4])) {
            throw new FormatException("its checksum is " + f[4] + " but the content and key give " + expected
                    + " (altered, or copied from another key)");
        }
        return new Document(key, revision, content);
    }

    private static long documentCrc(DocumentKey key, long revision, byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update((key + "\n" + revision + "\n").getBytes(StandardCharsets.US_ASCII));
        crc.update(content);
        return crc.getValue();
    }

    private static String crcHex(long crc) {
        return String.format("%08x", crc);
    }

    // ---- blobs ----------------------------------------------------------------------------

    static byte[] encodeBlobHeader(long length) {
        byte[] h = String.format("%s %d %019d\n", BLOB_MAGIC, VERSION, length).getBytes(StandardCharsets.US_ASCII);
        if (h.length != BLOB_HEADER_LENGTH) {
            throw new IllegalStateException("blob header has " + h.length + " bytes");
        }
        return h;
    }

    /** @return the content length the header records */
    static long decodeBlobHeader(byte[] header, int read) throws FormatException {
        if (read < BLOB_HEADER_LENGTH) {
            throw new FormatException("the file is " + read + " bytes long, shorter than the "
                    + BLOB_HEADER_LENGTH + "-byte header");
        }
        String h = new String(header, 0, BLOB_HEADER_LENGTH, StandardCharsets.US_ASCII);
        String prefix = BLOB_MAGIC + " " + VERSION + " ";
        if (!h.startsWith(prefix) || h.charAt(BLOB_HEADER_LENGTH - 1) != '\n') {
            throw new FormatException("it does not start with a '" + prefix + "' header");
        }
        String digits = h.substring(prefix.length(), BLOB_HEADER_LENGTH - 1);
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw new FormatException("its header length field " + digits + " is not a number");
            }
        }
        return Long.parseLong(digits);
    }

    // ---- journal --------------------------------------------------------------------------

    static byte[] encodeEntry(JournalEntry e) {
        byte[] payload = e.payload();
        String header = JOURNAL_MAGIC + " " + VERSION + "\n"
                + "sequence " + e.sequence() + "\n"
                + "previous " + e.previousHash() + "\n"
                + "hash " + e.hash() + "\n"
                + "length " + payload.length + "\n\n";
        return concat(header.getBytes(StandardCharsets.US_ASCII), payload);
    }

    static JournalEntry decodeEntry(byte[] file) throws FormatException {
        int pos = 0;
        String[] lines = new String[6];
        for (int i = 0; i < lines.length; i++) {
            int nl = indexOf(file, pos, (byte) '\n');
            if (nl < 0 || nl - pos > MAX_HEADER) {
                throw new FormatException("its header ends after " + i + " of 6 lines (truncated?)");
            }
            lines[i] = new String(file, pos, nl - pos, StandardCharsets.US_ASCII);
            pos = nl + 1;
        }
        if (!lines[0].equals(JOURNAL_MAGIC + " " + VERSION)) {
            throw new FormatException("it does not start with a '" + JOURNAL_MAGIC + " " + VERSION + "' header");
        }
        long sequence = parseLong(field(lines[1], "sequence"), "sequence");
        String previous = field(lines[2], "previous");
        String hash = field(lines[3], "hash");
        long length = parseLong(field(lines[4], "length"), "length");
        if (!lines[5].isEmpty()) {
            throw new FormatException("its header is not followed by an empty line");
        }
        long actual = file.length - (long) pos;
        if (actual != length) {
            throw new FormatException("its header says " + length + " bytes of payload but the file holds "
                    + actual + (actual < length ? " (truncated)" : " (trailing bytes)"));
        }
        try {
            return new JournalEntry(sequence, previous, hash, Arrays.copyOfRange(file, pos, file.length));
        } catch (RuntimeException ex) {
            throw new FormatException("its fields are invalid: " + ex.getMessage());
        }
    }

    private static String field(String line, String name) throws FormatException {
        if (!line.startsWith(name + " ")) {
            throw new FormatException("expected a '" + name + "' line, found " + Names.quote(line));
        }
        return line.substring(name.length() + 1);
    }

    // ---- helpers --------------------------------------------------------------------------

    private static int headerEnd(byte[] file, String what) throws FormatException {
        int nl = indexOf(file, 0, (byte) '\n');
        if (nl < 0 || nl > MAX_HEADER) {
            throw new FormatException("the " + what + " header line is missing or cut off (" + file.length
                    + " bytes in the file)");
        }
        return nl;
    }

    private static void requireVersion(String v) throws FormatException {
        if (!v.equals(Integer.toString(VERSION))) {
            throw new FormatException("its format version is " + Names.quote(v)
                    + ", this library reads version " + VERSION);
        }
    }

    private static long parseLong(String s, String what) throws FormatException {
        if (s.isEmpty() || s.length() > 19) {
            throw new FormatException("its " + what + " field " + Names.quote(s) + " is not a number");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new FormatException("its " + what + " field " + Names.quote(s) + " is not a number");
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new FormatException("its " + what + " field " + Names.quote(s) + " is out of range");
        }
    }

    private static int indexOf(byte[] a, int from, byte b) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
