package dev.mlops.registry.fs;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.Names;
import dev.mlops.api.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The store's {@code FORMAT} file: what the directory is, its format version and its lock stripe
 * count, which every process on the store must agree on (processes striping differently do not
 * exclude each other). Written once, when the store is created:
 *
 * <pre>
 * mlops-fs-store
 * format 1
 * lock-stripes 64
 * check 1a2b3c4d        CRC32C of the three lines above, so an edit by hand is noticed
 * </pre>
 *
 * Earlier versions wrote the first three lines only, always with 64 stripes; such a file is read
 * as it is, and refused with any other stripe count. The check line catches an edit; it is not a
 * signature.
 */
final class StoreFormat {
    static final String MAGIC = "mlops-fs-store";
    static final int DEFAULT_STRIPES = 64;
    private static final String STRIPES = "lock-stripes ";
    private static final String CHECK = "check ";

    private StoreFormat() {
    }

    /** @return the three lines a format file of this version starts with */
    static String body(int stripes) {
        return MAGIC + "\nformat " + Codec.VERSION + "\n" + STRIPES + stripes + "\n";
    }

    /** @return the text of a new format file */
    static String text(int stripes) {
        String body = body(stripes);
        return body + CHECK + checksum(body) + "\n";
    }

    /** @return the check line's value for a format file's first three lines */
    static String checksum(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /** How to write a format file by hand, for messages. */
    static String handWritten() {
        return "the three lines '" + MAGIC + "', 'format " + Codec.VERSION + "', '" + STRIPES + DEFAULT_STRIPES + "'";
    }

    /**
     * Reads and checks a format file.
     *
     * @param format the file
     * @return its lock stripe count
     * @throws IntegrityException if it is a link, damaged or edited
     * @throws StorageException if it names a format version this library does not read, or cannot be read
     */
    static int read(Path format) {
        if (Files.isSymbolicLink(format)) {
            throw new IntegrityException("store format file " + format + " is a symbolic link; refusing to follow it");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(format, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StorageException("could not read the store format file " + format + ": " + e, e);
        }
        if (lines.size() < 3 || !lines.get(0).equals(MAGIC)) {
            throw new IntegrityException("store format file " + format + " does not start with '" + MAGIC
                    + "'; this directory is not an mlops filesystem store, or the file is damaged (a store's holds "
                    + handWritten() + ")");
        }
        if (!lines.get(1).equals("format " + Codec.VERSION)) {
            throw new StorageException("store " + format.getParent() + " has " + Names.quote(lines.get(1))
                    + " in its format file " + format + "; this library reads format " + Codec.VERSION
                    + " only: open it with the version that wrote it (or, if the file was edited, restore 'format "
                    + Codec.VERSION + "')");
        }
        String s = lines.get(2);
        int stripes;
        try {
            stripes = s.startsWith(STRIPES) ? Integer.parseInt(s.substring(STRIPES.length())) : -1;
        } catch (NumberFormatException e) {
            stripes = -1;
        }
        if (stripes < 1 || stripes > 4096) {
            throw new IntegrityException("store format file " + format + " has " + Names.quote(s)
                    + ", expected '" + STRIPES + "N' with N from 1 to 4096");
        }
        if (lines.size() == 3) {
            if (stripes != DEFAULT_STRIPES) {
                throw new IntegrityException("store format file " + format + " has " + Names.quote(s)
                        + " and no check line, but the versions that wrote no check line always wrote '" + STRIPES
                        + DEFAULT_STRIPES + "': the file was edited. Processes that stripe differently do not exclude"
                        + " each other; restore '" + STRIPES + DEFAULT_STRIPES + "'");
            }
            return stripes;
        }
        String expected = checksum(body(stripes));
        if (lines.size() != 4 || !lines.get(3).equals(CHECK + expected)) {
            throw new IntegrityException("store format file " + format + " was edited: its check line "
                    + (lines.size() < 4 ? "is missing" : Names.quote(lines.get(3)) + (lines.size() > 4
                    ? " is followed by more lines" : "")) + ", expected '" + CHECK + expected + "' after "
                    + Names.quote(s) + ". Processes that stripe differently do not exclude each other; restore the"
                    + " file from a backup, or write it as " + handWritten());
        }
        return stripes;
    }
}
