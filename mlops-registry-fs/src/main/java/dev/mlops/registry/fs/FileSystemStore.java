package dev.mlops.registry.fs;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.Digests;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default {@link Store}: a directory on a local file system, safe for many threads
 * and many JVM processes at once, and crash-safe: after a crash at any instant every document is
 * its old or its new revision, every blob absent or complete, every journal entry absent or
 * whole.
 *
 * <h2>On-disk layout</h2>
 * <pre>
 * ROOT/FORMAT                                  "mlops-fs-store", format version, lock stripe count, check line
 * ROOT/docs/models/rain@doc                    the document at key models/rain
 * ROOT/docs/models/rain/versions/0000000003@doc   ... and one of its children
 * ROOT/blobs/3a/3a7bd3e2...                    a blob, named by its SHA-256, in a shard of its first two hex digits
 * ROOT/journal/000000000000000/0000000000000000001   journal entry 1; 10,000 entries per shard directory
 * ROOT/locks/stripe-00.lock ... stripe-63.lock, journal.lock   OS lock files of writes (empty, permanent)
 * ROOT/locks/named-collection.lock             OS lock file of a named lock ({@link #lock}; empty, permanent)
 * any directory/.tmp-PID-lock-RANDOM          a writer's temporary file, locked by it (crashed writers leave them)
 * </pre>
 * A key is at once a document and a possible parent: its document file carries the suffix
 * {@code @doc} and its children live in a directory named by the plain segment. Key segments
 * match {@code [a-z0-9][a-z0-9._-]*} and never contain {@code @}, so a document file never
 * collides with a child directory; names starting with {@code .} (temp files) are never a
 * document, blob or journal entry, so every reader ignores them.
 *
 * <p>File formats (strictly parsed, see {@code Codec}): a document is a header line
 * {@code mlops-doc 1 REVISION LENGTH CRC32C} and the content, the checksum covering key,
 * revision and content; a blob is a 33-byte header recording its length and the raw content; a
 * journal entry is a short text header (sequence, previous hash, hash, payload length) and the
 * payload. A damaged document gives {@link IntegrityException} naming its file and key while
 * every other document stays readable.
 *
 * <h2>Durability</h2>
 * Every write goes to a temp file in the target's directory (blobs: in {@code blobs/}, since
 * the address is known only once the content is hashed, on the same file system), is flushed
 * with {@code force(true)}, published atomically (rename for a replace; hard link, or rename
 * under the key's lock where links are unsupported, for create-if-absent), and then the
 * directory is flushed. A failed flush fails the operation with {@link StorageException} and is
 * never retried: if the temp file could not be flushed the previous state is untouched; if the
 * directory could not be flushed after the rename, the new state is visible but its durability
 * unknown, and the caller learns the outcome by reading again. Directories are created, never
 * removed, so a writer never loses a directory it just made to a concurrent cleaner.
 *
 * <h2>Concurrency</h2>
 * Create, replace and delete of a document, publishing and deleting a blob, and appending to
 * the journal hold a lock per key: an in-JVM lock plus an exclusive OS file lock on one of 64
 * striped lock files ({@code StoreLocks}); OS locks die with their process, so a killed writer
 * leaves none behind. Reads take no lock: renames are atomic, so a reader sees a whole old or a
 * whole new file. Journal appends probe past their cached tail for entries other processes
 * added, and publish each entry with create-if-absent, so every appender gets the next number.
 * Named locks ({@link #lock}) have lock files of their own, so holding one never delays a write.
 * The lock files rely on the OS honouring {@code fcntl} locks: use a local file system, not a
 * network share.
 *
 * <h2>Leftovers</h2>
 * A writer killed mid-operation can leave a temp file; readers ignore it. A writer holds an OS
 * lock on its temp file for as long as the file exists, so {@link #check(boolean) check(true)}
 * deletes a temp file only when it can take that lock itself: its writer is dead, in whichever
 * PID namespace it ran (containers sharing the directory see each other's process ids as
 * meaningless numbers). Temp files named by earlier versions, which hold no lock, are deleted
 * when no process here has the id in their name and they have been unchanged for an hour.
 *
 * <h2>Tampering with the layout</h2>
 * The {@code FORMAT} file, the four directories and the lock files are never removed by the
 * store. A directory holding a store's data without its {@code FORMAT} file, or missing a
 * directory, is refused at open with {@link IntegrityException} saying how to recover
 * ({@link #openRecoveringLayout(Path)}), never silently started afresh: a new {@code FORMAT}
 * with another stripe count than running processes use would let writers pass each other. A
 * {@code FORMAT} file edited by hand (its check line no longer matches), a lock file that a
 * larger stripe count made, a lock file or directory replaced by a link, and a lock file removed
 * or replaced while the store is open are refused too, and {@link #check(boolean)} reports them.
 *
 * <p>Thread-safe. Several instances on one directory, in one JVM or many, are safe together.
 */
public final class FileSystemStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemStore.class);
    static final int MAX_LIMIT = 10_000;
    static final int DEFAULT_STRIPES = StoreFormat.DEFAULT_STRIPES;
    private static final int MAX_APPEND_ATTEMPTS = 1_000;
    private static final int BUFFER = 64 * 1024;
    private static final Set<String> OWN_NAMES =
            Set.of(Layout.FORMAT_FILE, Layout.DOCS, Layout.BLOBS, Layout.JOURNAL, Layout.LOCKS);

    private final Layout layout;
    private final Clock clock;
    private final Durability durability;
    private final StoreLocks locks;
    private final NamedLocks.Owner lockOwner;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The highest journal entry this instance knows of; other processes may have added more. */
    private final AtomicReference<Tail> tail = new AtomicReference<>();

    /** A journal position: the last sequence and, when known, that entry's hash. */
    private record Tail(long sequence, String hash) {
    }

    private FileSystemStore(Layout layout, Clock clock, Durability durability, int stripes) {
        this.layout = layout;
        this.clock = clock;
        this.durability = durability;
        this.locks = StoreLocks.acquire(layout, stripes);
        this.lockOwner = locks.named().newOwner(describe());
    }

    /**
     * Opens the store in {@code root}, creating the directory and the store's layout if absent.
     * Blob times ({@link BlobInfo#storedAt()}) come from the system UTC clock.
     *
     * <p>A directory that holds a store's data but lacks part of its layout (its {@code FORMAT}
     * file, or one of its directories, deleted by hand) is refused rather than silently started
     * afresh: see {@link #openRecoveringLayout(Path, Clock)}.
     *
     * @param root the store's directory; a symbolic link to it is resolved once, here
     * @return the open store; close it when done
     * @throws StorageException if the directory cannot be created or read, is a non-empty
     *     directory that holds no store, or holds a store of an unknown format version
     * @throws IntegrityException if the store's FORMAT file, a directory of its layout or a lock
     *     file is missing, edited, or replaced by a link; the message says how to recover
     */
    public static FileSystemStore open(Path root) {
        return open(root, Clock.systemUTC());
    }

    /**
     * Opens the store in {@code root} as {@link #open(Path)} does, taking blob times
     * ({@link BlobInfo#storedAt()}, which garbage collection compares against its grace period)
     * from {@code clock}, so they agree with the clock the registry was given.
     *
     * @param root the store's directory
     * @param clock source of blob times
     * @return the open store
     */
    public static FileSystemStore open(Path root, Clock clock) {
        return open(root, clock, Durability.SYSTEM, false);
    }

    /**
     * Opens a store whose layout lost a part, as {@link #open(Path)} refuses to: writes a new
     * {@code FORMAT} file with the default lock stripe count (64, the only count any version
     * wrote) and makes the missing directories of the layout, empty. Before it writes anything
     * it checks that the directory holds nothing but a store's layout, that no part of it is a
     * link, and that no lock file shows the store was used with more stripes. Stop every process
     * that uses the store first (one still running with another stripe count would not exclude
     * the others), and verify the store afterwards: what was in a removed directory is gone.
     * The same as the provider setting {@value FileSystemStoreProvider#RECOVER_LAYOUT}{@code =true}.
     * A store that is whole opens as with {@link #open(Path)}.
     *
     * @param root the store's directory
     * @return the open store
     * @throws IntegrityException if the layout is not a store's, or shows another stripe count
     */
    public static FileSystemStore openRecoveringLayout(Path root) {
        return openRecoveringLayout(root, Clock.systemUTC());
    }

    /**
     * {@link #openRecoveringLayout(Path)} with blob times from {@code clock}.
     *
     * @param root the store's directory
     * @param clock source of blob times
     * @return the open store
     */
    public static FileSystemStore openRecoveringLayout(Path root, Clock clock) {
        return open(root, clock, Durability.SYSTEM, true);
    }

    /** Opens with a chosen flush implementation; tests inject failing flushes through this. */
    static FileSystemStore open(Path root, Clock clock, Durability durability) {
        return open(root, clock, durability, false);
    }

    private static FileSystemStore open(Path root, Clock clock, Durability durability, boolean recoverLayout) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(durability, "durability");
        Path real;
        try {
            Path abs = root.toAbsolutePath().normalize();
            boolean existed = Files.isDirectory(abs);
            Files.createDirectories(abs);
            real = abs.toRealPath();
            if (!existed && real.getParent() != null) {
                durability.forceDirectory(real.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("could not create or open the store directory " + root + ": " + e, e);
        }
        Layout layout = new Layout(real);
        int stripes = initialise(layout, durability, recoverLayout);
        return new FileSystemStore(layout, clock, durability, stripes);
    }

    /**
     * Creates the layout and the FORMAT file of a new store (or of one whose creation a crash
     * cut short: an empty layout without FORMAT); checks the layout of an existing one, and
     * recovers it if asked; reads the lock stripe count.
     */
    private static int initialise(Layout layout, Durability durability, boolean recover) {
        Path format = layout.root.resolve(Layout.FORMAT_FILE);
        try {
            boolean hasFormat = Files.exists(format, LinkOption.NOFOLLOW_LINKS);
            if (!hasFormat) {
                requireOnlyOwnNames(layout);
            }
            List<Path> missing = LayoutCheck.missingDirectories(layout);
            if (!hasFormat) {
                Optional<String> data = LayoutCheck.firstData(layout);
                if (data.isPresent()) {
                    if (!recover) {
                        throw new IntegrityException(LayoutCheck.missingFormat(layout, data.get()));
                    }
                    LayoutCheck.requireStripesWithin(layout, DEFAULT_STRIPES, "cannot recover store " + layout.root
                            + " with a new " + Layout.FORMAT_FILE + " file saying 'lock-stripes " + DEFAULT_STRIPES + "'");
                    LOG.warn("store {} had no {} file (found {}); writing a new one with 'lock-stripes {}', as asked",
                            layout.root, Layout.FORMAT_FILE, data.get(), DEFAULT_STRIPES);
                }
            } else if (!missing.isEmpty()) {
                if (!recover) {
                    throw new IntegrityException(LayoutCheck.missingDirectories(layout, missing));
                }
                LOG.warn("store {} lacked {}; making them again, empty, as asked", layout.root, missing);
            }
            boolean created = false;
            for (Path d : missing) {
                try {
                    Files.createDirectory(d);
                    created = true;
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                        throw new StorageException(d + " exists and is not a directory; the store needs it to be one", e);
                    }
                }
            }
            if (!hasFormat) {
                try (TempFile tmp = writeTemp(durability, layout.root,
                        StoreFormat.text(DEFAULT_STRIPES).getBytes(StandardCharsets.US_ASCII),
                        "creating the store's format file")) {
                    publishNew(tmp, format);
                }
                created = true;
            }
            if (created) {
                durability.forceDirectory(layout.root);
            }
            int stripes = StoreFormat.read(format);
            LayoutCheck.requireStripesWithin(layout, stripes, "cannot open store " + layout.root + ", whose "
                    + Layout.FORMAT_FILE + " file says 'lock-stripes " + stripes + "'");
            return stripes;
        } catch (IOException e) {
            throw new StorageException("could not initialise the store in " + layout.root + ": " + e, e);
        }
    }

    /** Refuses a directory without FORMAT that holds anything but a store's layout and temp files. */
    private static void requireOnlyOwnNames(Layout layout) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!OWN_NAMES.contains(n) && !n.startsWith(".")) {
                    throw new StorageException("directory " + layout.root + " is not empty and holds no mlops"
                            + " store (no " + Layout.FORMAT_FILE + " file, found " + Names.quote(n)
                            + "); give an empty or new directory");
                }
            }
        }
    }

    /** @return the store's root directory (real path) */
    Path root() {
        return layout.root;
    }

    @Override
    public String describe() {
        return "fs:" + layout.root;
    }

    @Override
    public String toString() {
        return "FileSystemStore[" + layout.root + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- blobs ----------------------------------------------------------------------------

    @Override
    @SuppressWarnings("try") // "held" is the lock held for the whole try block; javac sees no use of it
    public BlobInfo putBlob(InputStream content) {
        Objects.requireNonNull(content, "content");
        ensureOpen();
        MessageDigest md = Digests.sha256();
        long size = 0;
        Instant now = now();
        // the temp file stays locked, so no check takes it for a dead writer's, until it is renamed or deleted
        try (TempFile tmp = TempFile.create(layout.blobs)) {
            FileChannel ch = tmp.channel();
            writeFully(ch, ByteBuffer.wrap(Codec.encodeBlobHeader(0)));
            byte[] buf = new byte[BUFFER];
            ByteBuffer bb = ByteBuffer.wrap(buf);
            for (int n = content.read(buf); n >= 0; n = content.read(buf)) {
                if (n > 0) {
                    md.update(buf, 0, n);
                    bb.clear().limit(n);
                    writeFully(ch, bb);
                    size += n;
                }
            }
            ByteBuffer header = ByteBuffer.wrap(Codec.encodeBlobHeader(size));
            for (long pos = 0; header.hasRemaining(); ) {
                pos += ch.write(header, pos);
            }
            Files.setLastModifiedTime(tmp.path(), FileTime.from(now));
            force(ch, tmp.path(), "storing a blob");
            String sha = Digests.hex(md.digest());
            Path dir = layout.blobDir(sha);
            Path target = layout.blobFile(sha);
            layout.requireNoLinks(target);
            ensureDirectory(dir);
            try (StoreLocks.Held held = locks.lock("blob:" + sha)) {
                Optional<BasicFileAttributes> existing = stat(target);
                if (existing.isPresent() && existing.get().size() == Codec.BLOB_HEADER_LENGTH + size) {
                    refreshTime(target, now);
                    return new BlobInfo(sha, size, now);
                }
                if (existing.isPresent()) {
                    LOG.warn("blob {} in {} has the wrong length ({} bytes); replacing it with the verified content"
                            + " just written", sha, target, existing.get().size());
                }
                Files.move(tmp.path(), target, StandardCopyOption.ATOMIC_MOVE);
                tmp.moved();
                forceDirectory(dir, "storing blob " + sha);
                return new BlobInfo(sha, size, now);
            }
        } catch (IOException e) {
            throw new StorageException("could not store a blob in " + describe() + ": " + e, e);
        }
    }

    private void refreshTime(Path target, Instant now) throws IOException {
        Files.setLastModifiedTime(target, FileTime.from(now));
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            force(ch, target, "refreshing the time of an existing blob");
        }
    }

    @Override
    public InputStream openBlob(String sha256) {
        Digests.requireSha256(sha256);
        ensureOpen();
        Path file = layout.blobFile(sha256);
        layout.requireNoLinks(file);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no blob " + sha256 + " in " + describe());
        } catch (IOException e) {
            throw new StorageException("could not open blob " + sha256 + " (" + file + "): " + e, e);
        }
        try {
            byte[] header = new byte[Codec.BLOB_HEADER_LENGTH];
            ByteBuffer hb = ByteBuffer.wrap(header);
            while (hb.hasRemaining() && ch.read(hb) >= 0) {
                // fill the header
            }
            long length = Codec.decodeBlobHeader(header, hb.position());
            long fileSize = ch.size();
            if (fileSize != Codec.BLOB_HEADER_LENGTH + length) {
                throw new IntegrityException("blob " + sha256 + " is damaged: its header records " + length
                        + " bytes but the file holds " + (fileSize - Codec.BLOB_HEADER_LENGTH) + "; file " + file);
            }
            return new VerifyingBlobStream(ch, sha256, file, length);
        } catch (Codec.FormatException e) {
            closeQuietly(ch);
            throw new IntegrityException("blob " + sha256 + " is damaged: " + e.getMessage() + "; file " + file, e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StorageException("could not read blob " + sha256 + " (" + file + "): " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public Optional<BlobInfo> blobInfo(String sha256) {
        Digests.requireSha256(sha256);
        ensureOpen();
        Path file = layout.blobFile(sha256);
        layout.requireNoLinks(file);
        try {
            return stat(file).map(a -> blobInfoOf(sha256, a));
        } catch (IOException e) {
            throw new StorageException("could not inspect blob " + sha256 + " (" + file + "): " + e, e);
        }
    }

    /** Size from the file length (the header is checked when the blob is opened or checked). */
    private static BlobInfo blobInfoOf(String sha256, BasicFileAttributes a) {
        return new BlobInfo(sha256, Math.max(0, a.size() - Codec.BLOB_HEADER_LENGTH), a.lastModifiedTime().toInstant());
    }

    @Override
    public Page<BlobInfo> listBlobs(Optional<String> startAfter, int limit) {
        Objects.requireNonNull(startAfter, "startAfter");
        startAfter.ifPresent(Digests::requireSha256);
        checkLimit(limit);
        ensureOpen();
        String after = startAfter.orElse("");
        String afterShard = after.isEmpty() ? "" : after.substring(0, 2);
        List<BlobInfo> items = new ArrayList<>();
        try {
            for (String shard : sortedNames(layout.blobs, n -> Layout.isBlobShard(n) && n.compareTo(afterShard) >= 0)) {
                Path dir = layout.blobs.resolve(shard);
                List<String> names = sortedNames(dir,
                        n -> Layout.isBlobName(n) && n.startsWith(shard) && n.compareTo(after) > 0);
                for (String name : names) {
                    if (items.size() == limit) {
                        return new Page<>(items, Optional.of(items.get(items.size() - 1).sha256()));
                    }
                    Optional<BasicFileAttributes> a = stat(dir.resolve(name));
                    if (a.isPresent() && a.get().isRegularFile()) {
                        items.add(blobInfoOf(name, a.get()));
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("could not list blobs in " + describe() + ": " + e, e);
        }
        return Page.last(items);
    }

    @Override
    @SuppressWarnings("try") // "held" is the lock held for the whole try block; javac sees no use of it
    public boolean deleteBlob(String sha256) {
        Digests.requireSha256(sha256);
        ensureOpen();
        Path file = layout.blobFile(sha256);
        layout.requireNoLinks(file);
        try (StoreLocks.Held held = locks.lock("blob:" + sha256)) {
            if (!Files.deleteIfExists(file)) {
                return false;
            }
            forceDirectory(file.getParent(), "deleting blob " + sha256);
            return true;
        } catch (IOException e) {
            throw new StorageException("could not delete blob " + sha256 + " (" + file + "): " + e, e);
        }
    }

    // ---- documents ------------------------------------------------------------------------

    @Override
    public Optional<Document> read(DocumentKey key) {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        Path file = layout.docFile(key);
        layout.requireNoLinks(file);
        return readDocument(key, file);
    }

    @Override
    @SuppressWarnings("try") // "held" is the lock held for the whole try block; javac sees no use of it
    public Document create(DocumentKey key, byte[] content) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        ensureOpen();
        Path file = layout.docFile(key);
        layout.requireNoLinks(file);
        Document doc = new Document(key, 1, content);
        try (StoreLocks.Held held = locks.lock(lockKey(key))) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConflictException("document " + quote(key) + " already exists in " + describe()
                        + "; expected none (create-if-absent)");
            }
            Path dir = file.getParent();
            ensureDirectory(dir);
            try (TempFile tmp = writeTemp(durability, dir, Codec.encodeDocument(doc), "creating document " + quote(key))) {
                if (!publishNew(tmp, file)) {
                    throw new ConflictException("document " + quote(key) + " already exists in " + describe()
                            + "; expected none (create-if-absent)");
                }
            }
            forceDirectory(dir, "creating document " + quote(key));
            return doc;
        } catch (IOException e) {
            throw new StorageException("could not create document " + quote(key) + " (" + file + "): " + e, e);
        }
    }

    @Override
    @SuppressWarnings("try") // "held" is the lock held for the whole try block; javac sees no use of it
    public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        ensureOpen();
        Path file = layout.docFile(key);
        layout.requireNoLinks(file);
        try (StoreLocks.Held held = locks.lock(lockKey(key))) {
            Document current = requireRevision(key, file, expectedRevision, "replace");
            Document next = new Document(key, current.revision() + 1, content);
            Path dir = file.getParent();
            try (TempFile tmp = writeTemp(durability, dir, Codec.encodeDocument(next), "replacing document " + quote(key))) {
                Files.move(tmp.path(), file, StandardCopyOption.ATOMIC_MOVE);
                tmp.moved();
            }
            forceDirectory(dir, "replacing document " + quote(key));
            return next;
        } catch (IOException e) {
            throw new StorageException("could not replace document " + quote(key) + " (" + file + "): " + e, e);
        }
    }

    @Override
    @SuppressWarnings("try") // "held" is the lock held for the whole try block; javac sees no use of it
    public void delete(DocumentKey key, long expectedRevision) {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        Path file = layout.docFile(key);
        layout.requireNoLinks(file);
        try (StoreLocks.Held held = locks.lock(lockKey(key))) {
            requireRevision(key, file, expectedRevision, "delete");
            Files.delete(file);
            forceDirectory(file.getParent(), "deleting document " + quote(key));
        } catch (IOException e) {
            throw new StorageException("could not delete document " + quote(key) + " (" + file + "): " + e, e);
        }
    }

    private Document requireRevision(DocumentKey key, Path file, long expectedRevision, String op) {
        Document current = readDocument(key, file).orElseThrow(() -> new NotFoundException(
                "cannot " + op + " document " + quote(key) + ": it does not exist in " + describe()));
        if (current.revision() != expectedRevision) {
            throw new ConflictException("cannot " + op + " document " + quote(key) + ": its revision is "
                    + current.revision() + ", expected " + expectedRevision + " (changed by another writer)");
        }
        return current;
    }

    @Override
    public Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit) {
        Path dir = layout.dirOf(Objects.requireNonNull(parent, "parent"));
        List<String> segments = childSegments(parent, startAfter, limit);
        List<Document> items = new ArrayList<>(Math.min(limit, segments.size()));
        for (String seg : segments) {
            if (items.size() == limit) {
                return new Page<>(items, Optional.of(items.get(items.size() - 1).key().name()));
            }
            // a document deleted since the directory was read is skipped
            readDocument(parent.child(seg), dir.resolve(seg + Layout.DOC_SUFFIX)).ifPresent(items::add);
        }
        return Page.last(items);
    }

    /** {@inheritDoc} */
    @Override
    public Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit) {
        List<String> segments = childSegments(parent, startAfter, limit);
        List<DocumentKey> keys = new ArrayList<>(Math.min(limit, segments.size()));
        for (String seg : segments) {
            if (keys.size() == limit) {
                return new Page<>(keys, Optional.of(keys.get(keys.size() - 1).name()));
            }
            keys.add(parent.child(seg));
        }
        return Page.last(keys);
    }

    /** Sorted segments of the documents under {@code parent} after {@code startAfter}. */
    private List<String> childSegments(DocumentKey parent, Optional<String> startAfter, int limit) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(startAfter, "startAfter");
        checkLimit(limit);
        ensureOpen();
        Path dir = layout.dirOf(parent);
        layout.requireNoLinks(dir);
        List<String> segments = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String seg = Layout.segmentOfDocFile(p.getFileName().toString());
                if (seg != null && (startAfter.isEmpty() || seg.compareTo(startAfter.get()) > 0)) {
                    segments.add(seg);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw new StorageException("could not list documents under " + quote(parent) + " (" + dir + "): " + e, e);
        }
        Collections.sort(segments);
        return segments;
    }

    private Optional<Document> readDocument(DocumentKey key, Path file) {
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            bytes = Channels.newInputStream(ch).readAllBytes();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("could not read document " + quote(key) + " from " + file + ": " + e, e);
        }
        try {
            return Optional.of(Codec.decodeDocument(key, bytes));
        } catch (Codec.FormatException e) {
            throw new IntegrityException("document " + quote(key) + " is damaged: file " + file + ": " + e.getMessage()
                    + "; other documents are not affected", e);
        }
    }

    private static String lockKey(DocumentKey key) {
        return "doc:" + key;
    }

    // ---- journal --------------------------------------------------------------------------

    @Override
    @SuppressWarnings("try") // "held" is the lock held for the whole try block; javac sees no use of it
    public JournalEntry append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        ensureOpen();
        try (StoreLocks.Held held = locks.lockJournal()) {
            for (int attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
                Tail t = probeForward(knownTail());
                String previous = t.hash() != null ? t.hash() : hashOf(t.sequence());
                long seq = t.sequence() + 1;
                JournalEntry entry = JournalEntry.chain(seq, previous, payload);
                Path file = layout.entryFile(seq);
                Path dir = file.getParent();
                layout.requireNoLinks(file);
                ensureDirectory(dir);
                boolean published;
                try (TempFile tmp = writeTemp(durability, dir, Codec.encodeEntry(entry), "appending journal entry " + seq)) {
                    published = publishNew(tmp, file);
                }
                if (published) {
                    forceDirectory(dir, "appending journal entry " + seq);
                    remember(new Tail(seq, entry.hash()));
                    return entry;
                }
                // another process took this number without our lock (it should not): re-read the tail
                LOG.warn("journal entry {} appeared while this process held the journal lock; retrying", seq);
            }
            throw new StorageException("could not append to the journal of " + describe() + " after "
                    + MAX_APPEND_ATTEMPTS + " attempts: every sequence number tried was taken");
        } catch (IOException e) {
            throw new StorageException("could not append to the journal of " + describe() + ": " + e, e);
        }
    }

    private String hashOf(long sequence) {
        if (sequence == 0) {
            return JournalEntry.GENESIS_HASH;
        }
        Path file = layout.entryFile(sequence);
        return readEntry(file).orElseThrow(() -> new IntegrityException("journal entry " + sequence
                + " vanished while appending after it; file " + file)).hash();
    }

    @Override
    public List<JournalEntry> readJournal(long fromSequence, int limit) {
        if (fromSequence < 1) {
            throw new IllegalArgumentException("fromSequence must be >= 1, was " + fromSequence);
        }
        checkLimit(limit);
        ensureOpen();
        long length = journalLength();
        List<JournalEntry> out = new ArrayList<>();
        // a missing entry (removed by hand) is skipped, so the reader sees the gap in the sequence
        for (long s = fromSequence; s <= length && out.size() < limit; s++) {
            Path file = layout.entryFile(s);
            layout.requireNoLinks(file);
            readEntry(file).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public long journalLength() {
        ensureOpen();
        return probeForward(knownTail()).sequence();
    }

    private Optional<JournalEntry> readEntry(Path file) {
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            bytes = Channels.newInputStream(ch).readAllBytes();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("could not read journal entry file " + file + ": " + e, e);
        }
        try {
            return Optional.of(Codec.decodeEntry(bytes));
        } catch (Codec.FormatException e) {
            throw new IntegrityException("journal entry file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private Tail knownTail() {
        Tail t = tail.get();
        if (t == null) {
            t = scanTail();
            remember(t);
            t = tail.get();
        }
        return t;
    }

    private void remember(Tail t) {
        tail.accumulateAndGet(t, (a, b) -> a == null || b.sequence() > a.sequence()
                || b.sequence() == a.sequence() && a.hash() == null ? b : a);
    }

    /** Follows entries appended (by any process) after {@code t}. */
    private Tail probeForward(Tail t) {
        Tail cur = t;
        while (Files.exists(layout.entryFile(cur.sequence() + 1), LinkOption.NOFOLLOW_LINKS)) {
            cur = new Tail(cur.sequence() + 1, null);
        }
        if (cur != t) {
            remember(cur);
        }
        return cur;
    }

    /** Finds the highest entry on disk (listing, not probing, so a gap does not hide the end). */
    private Tail scanTail() {
        try {
            List<String> shards = sortedNames(layout.journal, Layout::isShardName);
            for (int i = shards.size() - 1; i >= 0; i--) {
                List<String> entries = sortedNames(layout.journal.resolve(shards.get(i)), Layout::isEntryName);
                if (!entries.isEmpty()) {
                    return new Tail(Long.parseLong(entries.get(entries.size() - 1)), null);
                }
            }
            return new Tail(0, JournalEntry.GENESIS_HASH);
        } catch (IOException e) {
            throw new StorageException("could not read the journal of " + describe() + ": " + e, e);
        }
    }

    // ---- locks ----------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>Each name has its own lock file, {@code locks/named-NAME.lock}, apart from the files
     * that serialise document writes, so a lock held for as long as an upload takes never delays
     * a document's compare-and-set. Across processes the lock is an OS file lock, shared or
     * exclusive, which the OS releases when its process dies; within the JVM one table of
     * holders serves every store instance on the directory. Waiting polls the OS lock with short
     * back-off sleeps (at most 50 ms) until {@code wait} runs out; a release in this JVM wakes a
     * waiter at once. A waiting exclusive request holds back new shared requests, in this JVM and
     * in other processes, so registrations cannot starve garbage collection. Lock files are
     * permanent: one removed or replaced by hand while it is held makes {@link StoreLock#held()}
     * false, and is refused when the lock is next taken.
     */
    @Override
    public Optional<StoreLock> lock(String name, StoreLock.Mode mode, Duration wait) {
        StoreLock.requireValidRequest(name, mode, wait);
        ensureOpen();
        return locks.named().acquire(lockOwner, name, mode, wait);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The default check just before the delete is enough here: an OS file lock on a local file
     * system is not lost while its process lives and its file is in place (the store never closes
     * a lock's file while the lock is held), and {@link StoreLock#held()} also looks that the lock
     * file was not removed or replaced by hand.
     */
    @Override
    public boolean deleteBlob(String sha256, StoreLock fence) {
        return Store.super.deleteBlob(sha256, fence);
    }

    // ---- maintenance ----------------------------------------------------------------------

    @Override
    public List<IntegrityProblem> check(boolean repair) {
        ensureOpen();
        return new StoreCheck(layout, describe(), locks.stripeCount(), clock.instant()).run(repair);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            locks.named().close(lockOwner);
            locks.release();
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("store " + describe() + " is closed");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    private static String quote(DocumentKey key) {
        return Names.quote(key.toString());
    }

    private void force(FileChannel ch, Path file, String what) {
        forceFile(durability, ch, file, what);
    }

    private static void forceFile(Durability durability, FileChannel ch, Path file, String what) {
        try {
            durability.forceFile(ch, file);
        } catch (IOException e) {
            throw new StorageException("could not flush " + file + " to stable storage while " + what
                    + "; the operation failed, the previous state is unchanged, and it is not retried: " + e, e);
        }
    }

    private void forceDirectory(Path dir, String what) {
        try {
            durability.forceDirectory(dir);
        } catch (IOException e) {
            throw new StorageException("could not flush directory " + dir + " to stable storage after " + what
                    + "; the change is visible but may not survive a crash, and it is not retried (read again"
                    + " to learn the outcome): " + e, e);
        }
    }

    /** Creates {@code dir} and missing parents (under the root), flushing each new entry's parent. */
    private void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent == null || !parent.startsWith(layout.root)) {
            throw new StorageException("refusing to create " + dir + " outside the store " + layout.root);
        }
        ensureDirectory(parent);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new StorageException(dir + " exists and is not a directory (a link or a file)", e);
            }
        }
        forceDirectory(parent, "creating directory " + dir);
    }

    /** Writes a flushed temp file in {@code dir}, still locked; on failure nothing is left behind. */
    private static TempFile writeTemp(Durability durability, Path dir, byte[] bytes, String what) throws IOException {
        TempFile tmp = TempFile.create(dir);
        try {
            writeFully(tmp.channel(), ByteBuffer.wrap(bytes));
            forceFile(durability, tmp.channel(), tmp.path(), what);
        } catch (IOException | RuntimeException | Error e) {
            tmp.close();
            throw e;
        }
        return tmp;
    }

    /**
     * Publishes {@code tmp} at {@code target} only if nothing is there, atomically: a hard link
     * fails if the target exists. Where hard links are unsupported, falls back to
     * check-then-rename, which is safe because every caller holds the target's lock. Closing
     * {@code tmp} afterwards removes its name.
     *
     * @return false if the target already existed
     */
    private static boolean publishNew(TempFile tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp.path());
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Files.move(tmp.path(), target, StandardCopyOption.ATOMIC_MOVE);
            tmp.moved();
            return true;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static Optional<BasicFileAttributes> stat(Path p) throws IOException {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** @return the names in {@code dir} accepted by {@code filter}, sorted; empty if no such dir */
    static List<String> sortedNames(Path dir, Predicate<String> filter) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (filter.test(n)) {
                    names.add(n);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        Collections.sort(names);
        return names;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("could not close {}", ch, e);
        }
    }
}
