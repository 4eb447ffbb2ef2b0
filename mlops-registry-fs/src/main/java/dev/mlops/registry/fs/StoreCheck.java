package dev.mlops.registry.fs;

import dev.mlops.api.Names;
import dev.mlops.api.Digests;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.IntegrityProblem.Kind;
import dev.mlops.api.store.JournalEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FileSystemStore#check(boolean)}: rehashes every blob, parses every document, walks the
 * journal chain, and finds temp files of writers that are gone. Repair only ever deletes such
 * temp files: a temp file is never the only copy of anything an operation reported as done.
 *
 * <p>A temp file's writer is alive while it holds the file's lock ({@link TempFile#inspect}),
 * whichever PID namespace it runs in. Temp files of earlier versions, which hold no lock, are
 * judged by the process id in their name, and, since that id may be another namespace's, removed
 * only once also unchanged for {@link #LEGACY_TEMP_AGE}.
 */
final class StoreCheck {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCheck.class);

    /**
     * How long a temp file named by an earlier version ({@code .tmp-PID-RANDOM}, no lock) must have
     * been left unchanged before a repair removes it, when no process of this PID namespace has its
     * process id: its writer may run in another PID namespace, and writes it all the while.
     */
    static final Duration LEGACY_TEMP_AGE = Duration.ofHours(1);

    private final Layout layout;
    private final String store;
    private final int stripes;
    private final Instant now;
    private final List<IntegrityProblem> problems = new ArrayList<>();

    /**
     * @param layout the store's layout
     * @param store the store's description, for the log
     * @param stripes the lock stripe count the store was opened with
     * @param now the time, from the store's clock, that temp files' ages are measured against
     */
    StoreCheck(Layout layout, String store, int stripes, Instant now) {
        this.layout = layout;
        this.store = store;
        this.stripes = stripes;
        this.now = now;
    }

    List<IntegrityProblem> run(boolean repair) {
        problems.addAll(LayoutCheck.problems(layout, stripes));
        checkBlobs();
        checkDocuments();
        checkJournal();
        checkLeftovers(repair);
        LOG.debug("checked {}: {} problem(s)", store, problems.size());
        return List.copyOf(problems);
    }

    private void problem(Kind kind, String location, String detail) {
        problems.add(IntegrityProblem.unrepairable(kind, location, detail));
    }

    // ---- blobs ----------------------------------------------------------------------------

    private void checkBlobs() {
        try {
            for (String shard : FileSystemStore.sortedNames(layout.blobs, Layout::isBlobShard)) {
                Path dir = layout.blobs.resolve(shard);
                if (Files.isSymbolicLink(dir)) {
                    problem(Kind.CORRUPT_BLOB, dir.toString(), "blob shard " + dir + " is a symbolic link; not followed");
                    continue;
                }
                for (String name : FileSystemStore.sortedNames(dir, n -> !n.startsWith("."))) {
                    checkBlob(shard, dir.resolve(name), name);
                }
            }
        } catch (IOException e) {
            problem(Kind.CORRUPT_BLOB, layout.blobs.toString(), "could not list blobs: " + e);
        }
    }

    private void checkBlob(String shard, Path file, String name) {
        if (!Layout.isBlobName(name) || !name.startsWith(shard)) {
            problem(Kind.CORRUPT_BLOB, file.toString(), "file " + file + " is not named by a SHA-256 digest of its"
                    + " shard " + shard + "; it is not a blob and is ignored");
            return;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                problem(Kind.CORRUPT_BLOB, name, "blob file " + file + " is not a regular file (a link or a"
                        + " directory); not followed");
                return;
            }
        } catch (NoSuchFileException e) {
            return; // deleted meanwhile
        } catch (IOException e) {
            problem(Kind.CORRUPT_BLOB, name, "blob file " + file + " cannot be inspected: " + e);
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             InputStream in = Channels.newInputStream(ch)) {
            byte[] header = in.readNBytes(Codec.BLOB_HEADER_LENGTH);
            long length = Codec.decodeBlobHeader(header, header.length);
            MessageDigest md = Digests.sha256();
            byte[] buf = new byte[64 * 1024];
            long count = 0;
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
                count += n;
            }
            String actual = Digests.hex(md.digest());
            if (count != length) {
                problem(Kind.CORRUPT_BLOB, name, "blob file " + file + " holds " + count + " bytes of content, its"
                        + " header records " + length);
            } else if (!actual.equals(name)) {
                problem(Kind.CORRUPT_BLOB, name, "blob file " + file + " hashes to " + actual
                        + ", not to its address (its bytes were altered)");
            }
        } catch (NoSuchFileException e) {
            // deleted meanwhile (garbage collection)
        } catch (Codec.FormatException e) {
            problem(Kind.CORRUPT_BLOB, name, "blob file " + file + " is damaged: " + e.getMessage());
        } catch (IOException e) {
            problem(Kind.CORRUPT_BLOB, name, "blob file " + file + " cannot be read: " + e);
        }
    }

    // ---- documents ------------------------------------------------------------------------

    private void checkDocuments() {
        try {
            Files.walkFileTree(layout.docs, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(".")) {
                        return FileVisitResult.CONTINUE; // temp files: see checkLeftovers
                    }
                    if (attrs.isSymbolicLink()) {
                        problem(Kind.CORRUPT_DOCUMENT, layout.root.relativize(file).toString(), "symbolic link "
                                + file + " inside the document tree; the store never follows links");
                    } else if (name.endsWith(Layout.DOC_SUFFIX)) {
                        checkDocument(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (!(e instanceof NoSuchFileException)) {
                        problem(Kind.CORRUPT_DOCUMENT, file.toString(), "cannot be read: " + e);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problem(Kind.CORRUPT_DOCUMENT, layout.docs.toString(), "could not walk the documents: " + e);
        }
    }

    private void checkDocument(Path file) {
        List<String> segments = new ArrayList<>();
        for (Path part : layout.docs.relativize(file)) {
            segments.add(part.toString());
        }
        String last = Layout.segmentOfDocFile(segments.get(segments.size() - 1));
        segments.set(segments.size() - 1, last == null ? "" : last);
        if (!segments.stream().allMatch(s -> Names.isValid(Names.Kind.KEY_SEGMENT, s))) {
            problem(Kind.CORRUPT_DOCUMENT, file.toString(), "document file " + file
                    + " is not at a valid key path; it cannot be read through the store");
            return;
        }
        DocumentKey key = new DocumentKey(segments);
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            bytes = Channels.newInputStream(ch).readAllBytes();
        } catch (NoSuchFileException e) {
            return; // deleted meanwhile
        } catch (IOException e) {
            problem(Kind.CORRUPT_DOCUMENT, key.toString(), "document file " + file + " cannot be read: " + e);
            return;
        }
        try {
            Codec.decodeDocument(key, bytes);
        } catch (Codec.FormatException e) {
            problem(Kind.CORRUPT_DOCUMENT, key.toString(), "document file " + file + " is damaged: " + e.getMessage());
        }
    }

    // ---- journal --------------------------------------------------------------------------

    private void checkJournal() {
        List<Long> sequences = new ArrayList<>();
        try {
            for (String shard : FileSystemStore.sortedNames(layout.journal, Layout::isShardName)) {
                Path dir = layout.journal.resolve(shard);
                for (String name : FileSystemStore.sortedNames(dir, Layout::isEntryName)) {
                    long seq = Long.parseLong(name);
                    if (!layout.entryFile(seq).equals(dir.resolve(name))) {
                        problem(Kind.BROKEN_JOURNAL, Long.toString(seq), "journal entry file " + dir.resolve(name)
                                + " is in the wrong shard directory (moved by hand?)");
                        continue;
                    }
                    sequences.add(seq);
                }
            }
        } catch (IOException e) {
            problem(Kind.BROKEN_JOURNAL, layout.journal.toString(), "could not list the journal: " + e);
            return;
        }
        sequences.sort(null);
        long expected = 1;
        String previousHash = JournalEntry.GENESIS_HASH;
        for (long seq : sequences) {
            Path file = layout.entryFile(seq);
            if (seq > expected) {
                problem(Kind.BROKEN_JOURNAL, Long.toString(expected), "journal entries " + expected
                        + (seq - 1 > expected ? " to " + (seq - 1) : "") + " are missing (removed?); next present is " + seq);
                previousHash = null;
            }
            expected = seq + 1;
            JournalEntry e;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                e = Codec.decodeEntry(Channels.newInputStream(ch).readAllBytes());
            } catch (IOException | Codec.FormatException ex) {
                problem(Kind.BROKEN_JOURNAL, Long.toString(seq), "journal entry file " + file + " is unreadable: "
                        + ex.getMessage());
                previousHash = null;
                continue;
            }
            if (e.sequence() != seq) {
                problem(Kind.BROKEN_JOURNAL, Long.toString(seq), "journal entry file " + file + " holds sequence "
                        + e.sequence() + " (entries reordered?)");
            }
            if (!e.hashMatches()) {
                problem(Kind.BROKEN_JOURNAL, Long.toString(seq), "journal entry " + seq + " was altered: its stored"
                        + " hash does not match its content; file " + file);
            }
            if (previousHash != null && !previousHash.equals(e.previousHash())) {
                problem(Kind.BROKEN_JOURNAL, Long.toString(seq), "journal entry " + seq + " does not chain to entry "
                        + (seq - 1) + " (its previous hash differs: an entry was altered, removed or reordered); file "
                        + file);
            }
            previousHash = e.hash();
        }
    }

    // ---- leftovers ------------------------------------------------------------------------

    private void checkLeftovers(boolean repair) {
        try {
            Files.walkFileTree(layout.root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (Layout.isTemp(file.getFileName().toString()) && !attrs.isDirectory()) {
                        leftover(file, attrs, repair);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // vanished meanwhile, or reported by the other checks
                }
            });
        } catch (IOException e) {
            problem(Kind.LEFTOVER, layout.root.toString(), "could not walk the store to find leftovers: " + e);
        }
    }

    private void leftover(Path file, BasicFileAttributes attrs, boolean repair) {
        String location = layout.root.relativize(file).toString();
        String name = file.getFileName().toString();
        Layout.TempKind kind = attrs.isRegularFile() ? Layout.tempKind(name) : Layout.TempKind.UNKNOWN;
        String detail;
        switch (kind) {
            case LOCKED -> {
                TempFile.Writer writer;
                try {
                    writer = TempFile.inspect(file, repair);
                } catch (IOException e) {
                    problems.add(IntegrityProblem.unrepairable(Kind.LEFTOVER, location, "temp file " + file
                            + " cannot be inspected: " + e));
                    return;
                }
                if (writer != TempFile.Writer.GONE) {
                    return; // a live writer's file in progress (in any PID namespace), or gone meanwhile
                }
                detail = "temp file " + file + " of a writer that is gone (no process holds its lock)";
                if (repair) {
                    problems.add(IntegrityProblem.repairable(Kind.LEFTOVER, location, detail + "; deleted", true));
                } else {
                    problems.add(IntegrityProblem.repairable(Kind.LEFTOVER, location, detail, false));
                }
                return;
            }
            case LEGACY -> {
                long pid = Layout.pidOfTemp(name).orElseThrow();
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    return; // perhaps its writer, still writing
                }
                Instant changed = attrs.lastModifiedTime().toInstant();
                if (changed.plus(LEGACY_TEMP_AGE).isAfter(now)) {
                    // written by an earlier version, which holds no lock: its writer may live in another
                    // PID namespace, where this process id means another process
                    return;
                }
                detail = "temp file " + file + " of an earlier version's writer, process " + pid + ", which is not"
                        + " running here, unchanged since " + changed;
            }
            default -> {
                problems.add(IntegrityProblem.unrepairable(Kind.LEFTOVER, location, "temp file " + file + " is not"
                        + " one the store writes (no writer process id" + (attrs.isRegularFile() ? "" : ", not a regular file")
                        + "); it is left for a person to remove"));
                return;
            }
        }
        if (!repair) {
            problems.add(IntegrityProblem.repairable(Kind.LEFTOVER, location, detail, false));
            return;
        }
        try {
            Files.deleteIfExists(file);
            problems.add(IntegrityProblem.repairable(Kind.LEFTOVER, location, detail + "; deleted", true));
        } catch (IOException e) {
            problems.add(IntegrityProblem.unrepairable(Kind.LEFTOVER, location, detail + "; could not delete it: " + e));
        }
    }
}
