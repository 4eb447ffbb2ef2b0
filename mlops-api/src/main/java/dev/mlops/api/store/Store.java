package dev.mlops.api.store;

import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.StorageException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The storage SPI: the only thing a backend implements. Registry and catalog rules live in
 * mlops-core and are written once against these primitives; {@code mlops-registry-tck} proves a
 * backend keeps every promise below.
 *
 * <p>Three kinds of data:
 * <ul>
 *   <li><b>Blobs</b>, content-addressed by SHA-256, computed while the content is written
 *       (one pass), deduplicated, verified when read back.</li>
 *   <li><b>Documents</b>, small byte arrays under {@link DocumentKey}s with a revision:
 *       create-if-absent and compare-and-set make concurrent writers safe, in one process
 *       and across processes.</li>
 *   <li><b>A journal</b>, append-only and hash-chained ({@link JournalEntry}).</li>
 * </ul>
 *
 * <p>Every operation is atomic and durable when it returns: after a crash at any instant a
 * document is either its old or its new revision, a blob either absent or complete, a journal
 * entry either absent or whole. An I/O failure, including a failed flush to stable storage,
 * throws {@link StorageException} and is never retried silently. Implementations are
 * thread-safe.
 *
 * <p>Argument errors throw {@link IllegalArgumentException}: the root key where a document key is
 * needed, a {@code limit} or {@code fromSequence} out of range. Paging: a page shorter than its
 * limit is the last one and carries no token; a full page may carry a token whose next page is
 * empty. A document deleted and created again starts over at revision 1, so revisions identify
 * states only between a create and a delete (core never deletes and re-creates documents it
 * compares revisions of). {@link #close()} is idempotent.
 */
public interface Store extends AutoCloseable {

    /** @return a short description for messages, such as {@code fs:/var/lib/mlops} */
    String describe();

    // ---- blobs ------------------------------------------------------------------------------

    /**
     * Stores the stream's bytes under their SHA-256, computed while writing. If a blob with that
     * digest exists, nothing is written twice and its {@code storedAt} is refreshed. The stream
     * is read to its end but not closed.
     *
     * @param content the bytes
     * @return the digest, size and time of the stored blob
     * @throws StorageException if writing fails; no partial blob becomes visible
     */
    BlobInfo putBlob(InputStream content);

    /**
     * Opens a blob for reading. The stream verifies the content while it is read: if the bytes
     * no longer hash to {@code sha256}, the read that delivers the last byte throws
     * {@link IntegrityException} (so a reader that stops after exactly {@code size} bytes is
     * protected too), and so does any later read.
     *
     * @param sha256 the digest
     * @return a stream the caller closes
     * @throws NotFoundException if no such blob exists
     * @throws IntegrityException if the blob is damaged in a way that is seen before reading
     */
    InputStream openBlob(String sha256);

    /**
     * @param sha256 the digest
     * @return what the store knows of the blob, if it exists
     */
    Optional<BlobInfo> blobInfo(String sha256);

    /**
     * Lists blobs in ascending digest order.
     *
     * @param startAfter list only digests greater than this one, or empty to start at the first
     * @param limit at most this many, 1 to 10,000
     * @return one page; its token is the last digest on it
     */
    Page<BlobInfo> listBlobs(Optional<String> startAfter, int limit);

    /**
     * Deletes a blob. Used by garbage collection, which decides what is unreferenced.
     *
     * @param sha256 the digest
     * @return true if a blob was deleted, false if none existed
     */
    boolean deleteBlob(String sha256);

    /**
     * Deletes a blob while {@code fence} is held, so that a holder that lost its lock (a
     * database session that ended) cannot delete what a writer it no longer excludes relies on.
     * A backend whose locks can be lost without the holder's knowledge checks the lock in the
     * same atomic step as the delete; the default checks it just before.
     *
     * @param sha256 the digest
     * @param fence a lock of this store, normally {@link StoreLock#COLLECTION} held exclusively
     * @return true if a blob was deleted, false if none existed
     * @throws ConflictException if the fence is no longer held; nothing is deleted
     */
    default boolean deleteBlob(String sha256, StoreLock fence) {
        if (!fence.held()) {
            throw new ConflictException("lock " + fence.name() + " is no longer held; blob " + sha256 + " not deleted");
        }
        return deleteBlob(sha256);
    }

    // ---- documents --------------------------------------------------------------------------

    /**
     * @param key a non-root key
     * @return the document, if it exists
     * @throws IntegrityException if the stored document is damaged (the message names it)
     */
    Optional<Document> read(DocumentKey key);

    /**
     * Creates a document at revision 1 if none exists at {@code key}. Of many concurrent
     * creators of one key, in any number of processes, exactly one succeeds.
     *
     * @param key a non-root key
     * @param content the bytes
     * @return the created document
     * @throws ConflictException if a document already exists at {@code key}
     */
    Document create(DocumentKey key, byte[] content);

    /**
     * Replaces a document if its revision is still {@code expectedRevision} (compare-and-set).
     * Linearizable: of concurrent replacers that saw the same revision, exactly one succeeds.
     *
     * @param key a non-root key
     * @param expectedRevision the revision the caller read
     * @param content the new bytes
     * @return the document at {@code expectedRevision + 1}
     * @throws ConflictException if the current revision differs
     * @throws NotFoundException if no document exists at {@code key}
     */
    Document replace(DocumentKey key, long expectedRevision, byte[] content);

    /**
     * Deletes a document if its revision is still {@code expectedRevision}.
     *
     * @param key a non-root key
     * @param expectedRevision the revision the caller read
     * @throws ConflictException if the current revision differs
     * @throws NotFoundException if no document exists at {@code key}
     */
    void delete(DocumentKey key, long expectedRevision);

    /**
     * Lists the documents directly under {@code parent} (one level, not deeper), ascending by
     * their last segment. A key may at once be a document and the parent of others.
     *
     * @param parent the parent key, or {@link DocumentKey#ROOT}
     * @param startAfter list only documents whose last segment is greater than this, or empty
     * @param limit at most this many, 1 to 10,000
     * @return one page; its token is the last segment on it
     */
    Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit);

    /**
     * Lists the keys of the documents directly under {@code parent}, like {@link #list} but
     * without reading them, so a damaged document is still listed (and can then be read, and
     * reported, on its own).
     *
     * @param parent the parent key, or {@link DocumentKey#ROOT}
     * @param startAfter list only keys whose last segment is greater than this, or empty
     * @param limit at most this many, 1 to 10,000
     * @return one page of keys, ascending by last segment; its token is the last segment on it
     */
    Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit);

    // ---- journal ----------------------------------------------------------------------------

    /**
     * Appends an entry chained to the current last entry. Concurrent appenders, in any number
     * of processes, get distinct consecutive sequence numbers.
     *
     * @param payload the entry's bytes
     * @return the appended entry with its sequence and hash
     */
    JournalEntry append(byte[] payload);

    /**
     * Reads entries in sequence order as stored, without checking the chain (that is the
     * reader's job, so a damaged journal can still be read and reported).
     *
     * @param fromSequence the first sequence to return, 1 or more
     * @param limit at most this many, 1 to 10,000
     * @return the entries, fewer than {@code limit} at the end of the journal
     */
    List<JournalEntry> readJournal(long fromSequence, int limit);

    /** @return the sequence number of the last entry, 0 for an empty journal */
    long journalLength();

    // ---- locks ------------------------------------------------------------------------------

    /**
     * Acquires a named lock ({@link StoreLock}), waiting at most {@code wait} for holders that
     * exclude it. Shared holders exclude only exclusive requests; an exclusive holder excludes
     * everyone. Holds across threads, store instances and processes on the same storage; released
     * by {@link StoreLock#close()}, by {@link #close()} and by the death of the holder's process.
     *
     * @param name the lock's name, matching {@link StoreLock#NAME}
     * @param mode shared or exclusive
     * @param wait how long to wait; {@link Duration#ZERO} tries once
     * @return the held lock, or empty if it could not be acquired within {@code wait}
     * @throws IllegalArgumentException for an invalid name or a negative wait
     * @throws StorageException if waiting was interrupted (the interrupt flag is set again) or
     *     the lock could not be taken for another reason
     */
    Optional<StoreLock> lock(String name, StoreLock.Mode mode, Duration wait);

    // ---- maintenance ------------------------------------------------------------------------

    /**
     * Checks what the store itself can check: every blob hashes to its address, every document
     * is readable, every journal entry is whole; reports leftovers of crashed writers.
     *
     * @param repair remove leftovers (never data that may be someone's only copy)
     * @return the problems found, empty when all is well
     */
    List<IntegrityProblem> check(boolean repair);

    /** Releases files, locks or connections. The store is unusable afterwards. */
    @Override
    void close();
}
