package dev.mlops.registry.fs;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.Names;
import dev.mlops.api.StorageException;
import dev.mlops.api.Digests;
import dev.mlops.api.store.DocumentKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where everything lives under the store's root; see {@link FileSystemStore} for the picture.
 * Every path handed out is checked to stay under the root, and {@link #requireNoLinks} refuses
 * any symbolic link between the root and a path, so a planted link cannot lead a read or write
 * outside the store.
 */
final class Layout {
    static final String FORMAT_FILE = "FORMAT";
    static final String DOCS = "docs";
    static final String BLOBS = "blobs";
    static final String JOURNAL = "journal";
    static final String LOCKS = "locks";
    /** Suffix of a document file; '@' never occurs in a key segment, so no child directory has it. */
    static final String DOC_SUFFIX = "@doc";
    /** Prefix of temporary files: "." never starts a key segment, a digest or a journal name. */
    static final String TEMP_PREFIX = ".tmp-";
    /** Journal entries per shard directory. */
    static final long ENTRIES_PER_SHARD = 10_000;

    private static final long PID = ProcessHandle.current().pid();

    final Path root;
    final Path docs;
    final Path blobs;
    final Path journal;
    final Path locks;

    /** @param root the store's root, a real (link-free, absolute) path */
    Layout(Path root) {
        this.root = root;
        this.docs = root.resolve(DOCS);
        this.blobs = root.resolve(BLOBS);
        this.journal = root.resolve(JOURNAL);
        this.locks = root.resolve(LOCKS);
    }

    /** @return the directories of the layout: docs, blobs, journal, locks */
    List<Path> directories() {
        return List.of(docs, blobs, journal, locks);
    }

    /** @return this process's id, as written into temp file names */
    static long pid() {
        return PID;
    }

    // ---- documents ------------------------------------------------------------------------

    /** @return the file of the document at a non-root key */
    Path docFile(DocumentKey key) {
        if (key.isRoot()) {
            throw new IllegalArgumentException("the root key is only a parent: it can be listed, not read or written");
        }
        return confined(dirOf(key.parent()).resolve(segment(key.name()) + DOC_SUFFIX));
    }

    /** @return the directory holding the documents directly under {@code parent} */
    Path dirOf(DocumentKey parent) {
        Path p = docs;
        for (String s : parent.segments()) {
            p = p.resolve(segment(s));
        }
        return confined(p);
    }

    /** @return the segment of a document file name, or null if the name is not one */
    static String segmentOfDocFile(String fileName) {
        if (!fileName.endsWith(DOC_SUFFIX)) {
            return null;
        }
        String s = fileName.substring(0, fileName.length() - DOC_SUFFIX.length());
        return Names.isValid(Names.Kind.KEY_SEGMENT, s) ? s : null;
    }

    private static String segment(String s) {
        // DocumentKey has checked this already; checked again because it becomes a path
        return Names.requireValid(Names.Kind.KEY_SEGMENT, s);
    }

    // ---- blobs ----------------------------------------------------------------------------

    Path blobDir(String sha256) {
        return blobs.resolve(Digests.requireSha256(sha256).substring(0, 2));
    }

    Path blobFile(String sha256) {
        return confined(blobDir(sha256).resolve(sha256));
    }

    static boolean isBlobShard(String name) {
        return name.length() == 2 && isHex(name);
    }

    static boolean isBlobName(String name) {
        return name.length() == 64 && isHex(name);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    // ---- journal --------------------------------------------------------------------------

    Path shardDir(long sequence) {
        return journal.resolve(String.format("%015d", (sequence - 1) / ENTRIES_PER_SHARD));
    }

    Path entryFile(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("journal sequence must be >= 1, was " + sequence);
        }
        return shardDir(sequence).resolve(String.format("%019d", sequence));
    }

    static boolean isShardName(String name) {
        return name.length() == 15 && isDigits(name);
    }

    static boolean isEntryName(String name) {
        return name.length() == 19 && isDigits(name) && !name.equals("0".repeat(19));
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    // ---- temp files -----------------------------------------------------------------------

    /**
     * @return a fresh temp file name: {@code .tmp-<pid>-lock-<16 hex>}. Its writer holds a lock on
     *     it ({@link TempFile}); the process id is for people reading a listing, and keeps earlier
     *     versions, which judged temp files by it, from taking the file for nameless
     */
    static String tempName() {
        return TEMP_PREFIX + PID + LOCKED_TEMP_MARK + String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    /** Between the process id and the random part of a temp file whose writer holds its lock. */
    static final String LOCKED_TEMP_MARK = "-lock-";

    static boolean isTemp(String fileName) {
        return fileName.startsWith(TEMP_PREFIX);
    }

    /** How a temp file's writer is told alive or dead. */
    enum TempKind {
        /** By the lock its writer holds on it: {@code .tmp-PID-lock-RANDOM}. */
        LOCKED,
        /** By the process id in its name, from earlier versions: {@code .tmp-PID-RANDOM}. */
        LEGACY,
        /** Not at all: not a name the store writes. */
        UNKNOWN
    }

    /** @return how the writer of a temp file with this name is told alive */
    static TempKind tempKind(String fileName) {
        if (pidOfTemp(fileName).isEmpty()) {
            return TempKind.UNKNOWN;
        }
        String rest = fileName.substring(TEMP_PREFIX.length());
        int mark = rest.indexOf(LOCKED_TEMP_MARK);
        if (mark > 0 && isDigits(rest.substring(0, mark))) {
            String random = rest.substring(mark + LOCKED_TEMP_MARK.length());
            return random.length() == 16 && isHex(random) ? TempKind.LOCKED : TempKind.UNKNOWN;
        }
        return TempKind.LEGACY;
    }

    /** @return the writer's process id (in the writer's PID namespace) recorded in a temp file name, if any */
    static OptionalLong pidOfTemp(String fileName) {
        if (!isTemp(fileName)) {
            return OptionalLong.empty();
        }
        String rest = fileName.substring(TEMP_PREFIX.length());
        int dash = rest.indexOf('-');
        String digits = dash < 0 ? rest : rest.substring(0, dash);
        if (digits.isEmpty() || digits.length() > 18 || !isDigits(digits)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    // ---- confinement ----------------------------------------------------------------------

    /** Belt and braces: a resolved path must stay under the root. */
    Path confined(Path p) {
        Path n = p.normalize();
        if (!n.startsWith(root)) {
            throw new InvalidNameException("path " + Names.quote(p.toString()) + " leaves the store " + root);
        }
        return n;
    }

    /**
     * Refuses to go through a symbolic link: checks every existing component from the root down
     * to {@code p} (the root itself was resolved once, when the store was opened).
     *
     * @throws IntegrityException naming the link, if one is found
     */
    void requireNoLinks(Path p) {
        Path rel = root.relativize(p);
        Path cur = root;
        for (Path part : rel) {
            cur = cur.resolve(part);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(cur, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                throw new StorageException("could not inspect " + cur + ": " + e, e);
            }
            if (a.isSymbolicLink()) {
                throw new IntegrityException("refusing to follow the symbolic link " + cur + " inside the store "
                        + root + ": the store never follows links (someone placed it there)");
            }
        }
    }
}
