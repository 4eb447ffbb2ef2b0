package dev.mlops.registry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compatibility kit every {@link Store} backend must pass: one JUnit 5 suite, grouped by
 * promise of the storage SPI (documents, listing, compare-and-set under contention, blobs,
 * journal, corruption, closing, reopening). A backend proves itself by extending this class in
 * its own tests and naming how to build a store and how to damage its data:
 *
 * <pre>{@code
 * class FileSystemStoreCompatibilityTest extends StoreCompatibilityKit {
 *     @Override protected Store createStore(Path dir) { return FileSystemStore.open(dir); }
 *
 *     @Override protected void corruptBlob(Store store, String sha256) {
 *         flipOneByte(dir.resolve("blobs").resolve(sha256));        // same length, other bytes
 *     }
 *     @Override protected void corruptDocument(Store store, DocumentKey key) { truncate(fileOf(key)); }
 *     @Override protected void corruptJournalEntry(Store store, long sequence) { editPayload(sequence); }
 * }
 * }</pre>
 *
 * <p>The kit gives every test a fresh temporary directory, calls {@link #createStore} once
 * before the test and closes every store it created after it. Stores that keep nothing in the
 * directory (such as an in-memory store) override {@link #persistent()} to return false, which
 * skips the "reopening" group. Concurrency tests are bounded by operation counts, never by
 * time; a generous timeout only guards against a hung store.
 */
public abstract class StoreCompatibilityKit {

    /** Guards the concurrency tests against a store that deadlocks; not a performance bound. */
    private static final long HANG_GUARD_MINUTES = 10;

    private final List<Store> openStores = new ArrayList<>();
    private Path directory;

    /** The store under test, created by {@link #createStore} before each test. */
    protected Store store;

    /** Subclasses are instantiated by JUnit. */
    protected StoreCompatibilityKit() {
    }

    /**
     * Creates a store in {@code dir}. Called once before every test with a fresh empty directory
     * and, by the reopening tests, again with the same directory after the first store was
     * closed.
     *
     * @param dir a directory the store may use as it likes
     * @return an open store
     */
    protected abstract Store createStore(Path dir);

    /**
     * Damages the stored bytes of a blob without changing its length, the way a flipped bit on
     * disk would. Afterwards reading the blob must fail with {@link IntegrityException}.
     *
     * @param store the store that holds the blob (the one from {@link #createStore})
     * @param sha256 the blob's digest
     */
    protected abstract void corruptBlob(Store store, String sha256);

    /**
     * Damages the stored form of a document (truncates or garbles it). Afterwards reading it must
     * fail with {@link IntegrityException} naming the key, and every other document must stay
     * readable.
     *
     * @param store the store that holds the document
     * @param key the document's key
     */
    protected abstract void corruptDocument(Store store, DocumentKey key);

    /**
     * Alters the payload of one stored journal entry while keeping the hash stored with it, the
     * way someone editing the audit trail would. Afterwards the entry must still be readable and
     * the chain must no longer verify.
     *
     * @param store the store that holds the journal
     * @param sequence the entry's sequence number
     */
    protected abstract void corruptJournalEntry(Store store, long sequence);

    /**
     * Whether a store created again on the same directory sees what an earlier, closed store
     * wrote there. True by default; an in-memory store returns false and the reopening tests are
     * skipped.
     *
     * @return true for durable stores
     */
    protected boolean persistent() {
        return true;
    }

    /**
     * Creates the store under test in a fresh temporary directory.
     *
     * @param dir the directory JUnit created for this test
     */
    @BeforeEach
    protected final void openStoreUnderTest(@TempDir Path dir) {
        this.directory = dir;
        this.store = open();
    }

    /** Closes every store the test created and did not close itself. */
    @AfterEach
    protected final void closeStoresUnderTest() {
        List<Store> stores = new ArrayList<>(openStores);
        openStores.clear();
        for (Store s : stores) {
            s.close();
        }
    }

    private Store open() {
        Store s = createStore(directory);
        assertThat(s).as("createStore(%s)", directory).isNotNull();
        openStores.add(s);
        return s;
    }

    /** Closes a store now; the kit will not close it again. */
    private void closeNow(Store s) {
        openStores.remove(s);
        s.close();
    }

    // =========================================================================================

    @Nested
    @DisplayName("Documents")
    class Documents {

        @Test
        @DisplayName("create stores the content at revision 1, and read returns it")
        void createThenRead() {
            DocumentKey key = DocumentKey.of("models", "rain");
            Document created = store.create(key, utf8("{\"a\":1}"));

            assertThat(created.key()).isEqualTo(key);
            assertThat(created.revision()).isEqualTo(1);
            assertThat(created.content()).isEqualTo(utf8("{\"a\":1}"));
            assertThat(store.read(key)).contains(created);
        }

        @Test
        @DisplayName("reading a key that was never written gives an empty Optional")
        void readAbsent() {
            assertThat(store.read(DocumentKey.of("models", "nothing"))).isEmpty();
        }

        @Test
        @DisplayName("creating an existing key throws ConflictException and keeps the first document")
        void createTwice() {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("first"));

            assertThatThrownBy(() -> store.create(key, utf8("second"))).isInstanceOf(ConflictException.class);
            assertThat(store.read(key)).hasValueSatisfying(d -> {
                assertThat(d.revision()).isEqualTo(1);
                assertThat(d.content()).isEqualTo(utf8("first"));
            });
        }

        @Test
        @DisplayName("replace with the current revision stores the new content at the next revision")
        void replaceWithRightRevision() {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("v1"));

            Document second = store.replace(key, 1, utf8("v2"));
            assertThat(second.key()).isEqualTo(key);
            assertThat(second.revision()).isEqualTo(2);
            assertThat(second.content()).isEqualTo(utf8("v2"));
            assertThat(store.read(key)).contains(second);
        }

        @Test
        @DisplayName("every replace raises the revision by exactly one")
        void revisionsGrowByOne() {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("0"));
            for (int i = 1; i <= 20; i++) {
                assertThat(store.replace(key, i, utf8(Integer.toString(i))).revision()).isEqualTo(i + 1);
            }
            assertThat(store.read(key)).hasValueSatisfying(d -> {
                assertThat(d.revision()).isEqualTo(21);
                assertThat(d.content()).isEqualTo(utf8("20"));
            });
        }

        @Test
        @DisplayName("replace with a stale or future revision throws ConflictException and changes nothing")
        void replaceWithWrongRevision() {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("v1"));
            store.replace(key, 1, utf8("v2"));

            assertThatThrownBy(() -> store.replace(key, 1, utf8("stale"))).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> store.replace(key, 3, utf8("future"))).isInstanceOf(ConflictException.class);
            assertThat(store.read(key)).hasValueSatisfying(d -> {
                assertThat(d.revision()).isEqualTo(2);
                assertThat(d.content()).isEqualTo(utf8("v2"));
            });
        }

        @Test
        @DisplayName("replacing or deleting a key that holds no document throws NotFoundException")
        void replaceOrDeleteAbsent() {
            DocumentKey key = DocumentKey.of("absent");
            assertThatThrownBy(() -> store.replace(key, 1, utf8("x"))).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.delete(key, 1)).isInstanceOf(NotFoundException.class);
            assertThat(store.read(key)).isEmpty();
        }

        @Test
        @DisplayName("delete with the current revision removes the document; afterwards it is absent")
        void deleteWithRightRevision() {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("v1"));
            store.replace(key, 1, utf8("v2"));

            store.delete(key, 2);
            assertThat(store.read(key)).isEmpty();
            assertThatThrownBy(() -> store.replace(key, 2, utf8("v3"))).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.delete(key, 2)).isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("delete with a wrong revision throws ConflictException and keeps the document")
        void deleteWithWrongRevision() {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("v1"));
            store.replace(key, 1, utf8("v2"));

            assertThatThrownBy(() -> store.delete(key, 1)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> store.delete(key, 3)).isInstanceOf(ConflictException.class);
            assertThat(store.read(key)).hasValueSatisfying(d -> assertThat(d.revision()).isEqualTo(2));
        }

        @Test
        @DisplayName("a key created again after delete starts over at revision 1")
        void createAfterDelete() {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("old"));
            store.delete(key, 1);

            Document again = store.create(key, utf8("new"));
            assertThat(again.revision()).isEqualTo(1);
            assertThat(store.read(key)).contains(again);
        }

        @Test
        @DisplayName("the root key cannot be read, created, replaced or deleted")
        void rootKeyRejected() {
            DocumentKey root = DocumentKey.ROOT;
            assertThatThrownBy(() -> store.read(root)).isInstanceOfAny(IllegalArgumentException.class,
                    InvalidNameException.class);
            assertThatThrownBy(() -> store.create(root, utf8("x"))).isInstanceOfAny(IllegalArgumentException.class,
                    InvalidNameException.class);
            assertThatThrownBy(() -> store.replace(root, 1, utf8("x")))
                    .isInstanceOfAny(IllegalArgumentException.class, InvalidNameException.class);
            assertThatThrownBy(() -> store.delete(root, 1)).isInstanceOfAny(IllegalArgumentException.class,
                    InvalidNameException.class);
            assertThat(store.list(DocumentKey.ROOT, Optional.empty(), 10).items()).isEmpty();
        }

        @Test
        @DisplayName("content is copied in: changing the caller's array afterwards changes nothing stored")
        void contentCopiedIn() {
            DocumentKey key = DocumentKey.of("k");
            byte[] content = utf8("original");
            store.create(key, content);
            Arrays.fill(content, (byte) 'X');
            assertThat(store.read(key).orElseThrow().content()).isEqualTo(utf8("original"));

            byte[] replacement = utf8("replaced");
            store.replace(key, 1, replacement);
            Arrays.fill(replacement, (byte) 'Y');
            assertThat(store.read(key).orElseThrow().content()).isEqualTo(utf8("replaced"));

            byte[] fromRead = store.read(key).orElseThrow().content();
            Arrays.fill(fromRead, (byte) 'Z');
            assertThat(store.read(key).orElseThrow().content()).isEqualTo(utf8("replaced"));
        }

        @Test
        @DisplayName("empty content is a valid document, on create and on replace")
        void emptyContent() {
            DocumentKey key = DocumentKey.of("empty");
            assertThat(store.create(key, new byte[0]).size()).isZero();
            assertThat(store.read(key)).hasValueSatisfying(d -> assertThat(d.content()).isEmpty());

            store.replace(key, 1, utf8("x"));
            store.replace(key, 2, new byte[0]);
            assertThat(store.read(key)).hasValueSatisfying(d -> {
                assertThat(d.revision()).isEqualTo(3);
                assertThat(d.content()).isEmpty();
            });
        }

        @Test
        @DisplayName("content is opaque bytes: every byte value and invalid UTF-8 round-trip unchanged")
        void binaryContent() {
            byte[] content = new byte[4096];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) i;
            }
            DocumentKey key = DocumentKey.of("binary");
            store.create(key, content);
            assertThat(store.read(key).orElseThrow().content()).isEqualTo(content);
        }

        @Test
        @DisplayName("a key can be a document and the parent of documents at once, each independent")
        void documentAndParent() {
            DocumentKey parent = DocumentKey.of("models", "rain");
            DocumentKey child = parent.child("versions").child("0000000001");
            store.create(child, utf8("child"));
            store.create(parent, utf8("parent"));

            assertThat(store.read(parent).orElseThrow().content()).isEqualTo(utf8("parent"));
            assertThat(store.read(child).orElseThrow().content()).isEqualTo(utf8("child"));

            store.delete(parent, 1);
            assertThat(store.read(parent)).isEmpty();
            assertThat(store.read(child).orElseThrow().content()).isEqualTo(utf8("child"));
            assertThat(store.list(DocumentKey.of("models"), Optional.empty(), 10).items()).isEmpty();

            store.delete(child, 1);
            assertThat(store.create(parent, utf8("again")).revision()).isEqualTo(1);
        }

        @Test
        @DisplayName("a 100-character segment and a 12-level key work like any other key")
        void longAndDeepKeys() {
            DocumentKey longKey = DocumentKey.of("models", "m" + "x".repeat(98) + "z", "versions", "0000000001");
            DocumentKey deepKey = DocumentKey.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
            store.create(longKey, utf8("long"));
            store.create(deepKey, utf8("deep"));

            assertThat(store.read(longKey).orElseThrow().content()).isEqualTo(utf8("long"));
            assertThat(store.read(deepKey).orElseThrow().content()).isEqualTo(utf8("deep"));
            assertThat(keys(store.list(longKey.parent(), Optional.empty(), 10).items())).containsExactly(longKey);
            assertThat(keys(store.list(deepKey.parent(), Optional.empty(), 10).items())).containsExactly(deepKey);
        }

        @Test
        @DisplayName("a 1 MiB document round-trips unchanged")
        void largeDocument() {
            byte[] content = randomBytes(1024 * 1024, 11);
            DocumentKey key = DocumentKey.of("big");
            store.create(key, content);
            store.replace(key, 1, content);
            assertThat(store.read(key)).hasValueSatisfying(d -> {
                assertThat(d.revision()).isEqualTo(2);
                assertThat(d.content()).isEqualTo(content);
            });
        }

        @Test
        @DisplayName("segments that look like file suffixes or temporary names are ordinary, distinct keys")
        void fileLikeSegments() {
            List<String> names = List.of("x", "x.json", "x.tmp", "x.lock", "x.doc", "x-tmp", "tmp", "lock");
            for (String n : names) {
                store.create(DocumentKey.of("files", n), utf8(n));
            }
            assertThat(store.check(true)).isEmpty();
            for (String n : names) {
                assertThat(store.read(DocumentKey.of("files", n)).orElseThrow().content()).isEqualTo(utf8(n));
            }
            assertThat(segments(store.list(DocumentKey.of("files"), Optional.empty(), 100).items()))
                    .containsExactlyElementsOf(names.stream().sorted().toList());
        }
    }

    // =========================================================================================

    @Nested
    @DisplayName("Listing")
    class Listing {

        @Test
        @DisplayName("listKeys pages through the same keys, in the same order, as list")
        void listKeysMatchesList() {
            for (int i = 0; i < 60; i++) {
                store.create(DocumentKey.of("p", String.format("k%03d", (i * 37) % 60)), utf8("v" + i));
            }
            store.create(DocumentKey.of("p", "k001", "grandchild"), utf8("deep"));
            List<DocumentKey> viaList = new ArrayList<>();
            List<DocumentKey> viaKeys = new ArrayList<>();
            Optional<String> token = Optional.empty();
            do {
                Page<Document> page = store.list(DocumentKey.of("p"), token, 7);
                page.items().forEach(d -> viaList.add(d.key()));
                token = page.nextPageToken();
            } while (token.isPresent());
            do {
                Page<DocumentKey> page = store.listKeys(DocumentKey.of("p"), token, 7);
                viaKeys.addAll(page.items());
                token = page.nextPageToken();
            } while (token.isPresent());
            assertThat(viaKeys).hasSize(60).isEqualTo(viaList);
            assertThat(store.listKeys(DocumentKey.of("p"), Optional.of("k057"), 10).items())
                    .containsExactly(DocumentKey.of("p", "k058"), DocumentKey.of("p", "k059"));
            assertThat(store.listKeys(DocumentKey.of("nothing"), Optional.empty(), 10).items()).isEmpty();
            assertThatThrownBy(() -> store.listKeys(DocumentKey.of("p"), Optional.empty(), 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }


        @Test
        @DisplayName("lists the documents directly under a parent, not grandchildren")
        void directChildrenOnly() {
            store.create(DocumentKey.of("a"), utf8("a"));
            store.create(DocumentKey.of("a", "b"), utf8("ab"));
            store.create(DocumentKey.of("a", "b", "c"), utf8("abc"));
            store.create(DocumentKey.of("a", "d"), utf8("ad"));
            store.create(DocumentKey.of("e", "f"), utf8("ef"));

            assertThat(keys(store.list(DocumentKey.ROOT, Optional.empty(), 100).items()))
                    .containsExactly(DocumentKey.of("a"));
            assertThat(keys(store.list(DocumentKey.of("a"), Optional.empty(), 100).items()))
                    .containsExactly(DocumentKey.of("a", "b"), DocumentKey.of("a", "d"));
            assertThat(keys(store.list(DocumentKey.of("a", "b"), Optional.empty(), 100).items()))
                    .containsExactly(DocumentKey.of("a", "b", "c"));
            assertThat(keys(store.list(DocumentKey.of("e"), Optional.empty(), 100).items()))
                    .containsExactly(DocumentKey.of("e", "f"));
        }

        @Test
        @DisplayName("listed documents carry their current revision and content")
        void listedDocumentsAreComplete() {
            DocumentKey key = DocumentKey.of("p", "one");
            store.create(key, utf8("1"));
            store.replace(key, 1, utf8("2"));

            assertThat(store.list(DocumentKey.of("p"), Optional.empty(), 10).items())
                    .containsExactly(store.read(key).orElseThrow());
        }

        @Test
        @DisplayName("orders children ascending by last segment, by character code, whatever the creation order")
        void ascendingBySegment() {
            List<String> names = new ArrayList<>(List.of("b", "a", "a-b", "a.b", "a_b", "a0", "ab", "a9z", "0", "z",
                    "10", "9", "aa"));
            Collections.shuffle(names, new Random(7));
            for (String n : names) {
                store.create(DocumentKey.of("sorted", n), utf8(n));
            }
            assertThat(segments(store.list(DocumentKey.of("sorted"), Optional.empty(), 100).items()))
                    .containsExactlyElementsOf(names.stream().sorted().toList());
        }

        @Test
        @DisplayName("paging through 250 documents 7 at a time yields each exactly once, in order")
        void pagingThroughAll() {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                expected.add(String.format("d%04d", i));
            }
            List<String> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new Random(42));
            for (String n : shuffled) {
                store.create(DocumentKey.of("many", n), utf8(n));
            }

            List<String> seen = pageAllDocuments(DocumentKey.of("many"), 7);
            assertThat(seen).containsExactlyElementsOf(expected);
        }

        @Test
        @DisplayName("paging ends cleanly when the count is a multiple of the page size")
        void pagingExactMultiple() {
            for (int i = 0; i < 14; i++) {
                store.create(DocumentKey.of("m", "n" + (char) ('a' + i)), utf8("x"));
            }
            assertThat(pageAllDocuments(DocumentKey.of("m"), 7)).hasSize(14).doesNotHaveDuplicates();
        }

        @Test
        @DisplayName("startAfter skips every segment up to and including it, present or not")
        void startAfter() {
            for (int i = 1; i <= 9; i++) {
                store.create(DocumentKey.of("s", "d" + i), utf8("x"));
            }
            DocumentKey parent = DocumentKey.of("s");
            assertThat(segments(store.list(parent, Optional.of("d5"), 100).items()))
                    .containsExactly("d6", "d7", "d8", "d9");
            assertThat(segments(store.list(parent, Optional.of("d55"), 100).items()))
                    .containsExactly("d6", "d7", "d8", "d9");
            assertThat(segments(store.list(parent, Optional.of("a"), 2).items())).containsExactly("d1", "d2");
            Page<Document> past = store.list(parent, Optional.of("d9"), 100);
            assertThat(past.items()).isEmpty();
            assertThat(past.hasNext()).isFalse();
        }

        @Test
        @DisplayName("a page's token is the last segment on it")
        void tokenIsLastSegment() {
            for (int i = 1; i <= 5; i++) {
                store.create(DocumentKey.of("t", "d" + i), utf8("x"));
            }
            Page<Document> first = store.list(DocumentKey.of("t"), Optional.empty(), 2);
            assertThat(segments(first.items())).containsExactly("d1", "d2");
            assertThat(first.nextPageToken()).contains("d2");
        }

        @ParameterizedTest(name = "limit {0} is rejected")
        @ValueSource(ints = {0, -1, 10_001, Integer.MIN_VALUE, Integer.MAX_VALUE})
        @DisplayName("a limit outside 1 to 10,000 throws IllegalArgumentException")
        void limitBounds(int limit) {
            assertThatThrownBy(() -> store.list(DocumentKey.ROOT, Optional.empty(), limit))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("limits 1 and 10,000 are accepted")
        void limitExtremesAccepted() {
            store.create(DocumentKey.of("a"), utf8("x"));
            store.create(DocumentKey.of("b"), utf8("x"));
            assertThat(segments(store.list(DocumentKey.ROOT, Optional.empty(), 1).items())).containsExactly("a");
            assertThat(segments(store.list(DocumentKey.ROOT, Optional.empty(), 10_000).items()))
                    .containsExactly("a", "b");
        }

        @Test
        @DisplayName("a parent without children, or an empty store, gives an empty last page")
        void emptyParent() {
            Page<Document> emptyStore = store.list(DocumentKey.ROOT, Optional.empty(), 10);
            assertThat(emptyStore.items()).isEmpty();
            assertThat(emptyStore.hasNext()).isFalse();

            store.create(DocumentKey.of("leaf"), utf8("x"));
            Page<Document> underLeaf = store.list(DocumentKey.of("leaf"), Optional.empty(), 10);
            assertThat(underLeaf.items()).isEmpty();
            assertThat(underLeaf.hasNext()).isFalse();

            Page<Document> nowhere = store.list(DocumentKey.of("no", "such", "parent"), Optional.empty(), 10);
            assertThat(nowhere.items()).isEmpty();
            assertThat(nowhere.hasNext()).isFalse();
        }

        @Test
        @DisplayName("a parent whose only child was deleted lists nothing")
        void deletedChildNotListed() {
            store.create(DocumentKey.of("p", "c"), utf8("x"));
            store.delete(DocumentKey.of("p", "c"), 1);
            assertThat(store.list(DocumentKey.of("p"), Optional.empty(), 10).items()).isEmpty();
            assertThat(store.list(DocumentKey.ROOT, Optional.empty(), 10).items()).isEmpty();
        }

        private List<String> pageAllDocuments(DocumentKey parent, int limit) {
            List<String> seen = new ArrayList<>();
            Optional<String> token = Optional.empty();
            int maxPages = 1_000;
            for (int pages = 0; ; pages++) {
                assertThat(pages).as("pages read; the listing does not end").isLessThan(maxPages);
                Page<Document> page = store.list(parent, token, limit);
                assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
                for (Document d : page.items()) {
                    assertThat(d.key().parent()).isEqualTo(parent);
                    seen.add(d.key().name());
                }
                if (page.items().size() < limit) {
                    assertThat(page.hasNext()).as("a page shorter than the limit is the last page").isFalse();
                }
                if (!page.hasNext()) {
                    return seen;
                }
                assertThat(page.items()).as("a page with a next-page token is not empty").isNotEmpty();
                assertThat(page.nextPageToken()).contains(page.items().get(page.items().size() - 1).key().name());
                token = page.nextPageToken();
            }
        }
    }

    // =========================================================================================

    @Nested
    @DisplayName("Compare-and-set under contention")
    class CompareAndSetUnderContention {

        @Test
        @DisplayName("8 threads x 250 compare-and-set increments with retry give exactly 2000: no lost update")
        void noLostUpdate() throws Exception {
            int threads = 8;
            int increments = 250;
            DocumentKey key = DocumentKey.of("counter");
            store.create(key, utf8("0"));

            List<List<Long>> written = runConcurrently(threads, t -> () -> {
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < increments; i++) {
                    for (int attempt = 0; ; attempt++) {
                        assertThat(attempt).as("attempts for one increment").isLessThan(100_000);
                        Document d = store.read(key).orElseThrow();
                        long next = Long.parseLong(new String(d.content(), StandardCharsets.UTF_8)) + 1;
                        try {
                            Document r = store.replace(key, d.revision(), utf8(Long.toString(next)));
                            assertThat(r.revision()).isEqualTo(d.revision() + 1);
                            mine.add(next);
                            break;
                        } catch (ConflictException lost) {
                            // another thread won this revision; read again
                        }
                    }
                }
                return mine;
            });

            Document last = store.read(key).orElseThrow();
            assertThat(new String(last.content(), StandardCharsets.UTF_8)).isEqualTo("2000");
            assertThat(last.revision()).isEqualTo(2001);
            List<Long> all = written.stream().flatMap(List::stream).sorted().toList();
            assertThat(all).as("each successful compare-and-set wrote a distinct next value")
                    .containsExactlyElementsOf(closedRange(1, 2000));
            for (List<Long> mine : written) {
                assertThat(mine).as("one thread's writes are increasing").isSorted();
            }
        }

        @Test
        @DisplayName("16 threads racing to create one key: exactly one wins, 15 get ConflictException (10 rounds)")
        void createRace() throws Exception {
            int threads = 16;
            for (int round = 0; round < 10; round++) {
                DocumentKey key = DocumentKey.of("race", "r" + round);
                List<Outcome> outcomes = runConcurrently(threads, t -> () -> {
                    try {
                        store.create(key, utf8("thread-" + t));
                        return Outcome.won(t);
                    } catch (ConflictException e) {
                        return Outcome.CONFLICT;
                    }
                });
                assertExactlyOneWinner(outcomes, key, 1);
            }
        }

        @Test
        @DisplayName("16 threads replacing the same revision: exactly one wins, 15 get ConflictException (10 rounds)")
        void replaceRace() throws Exception {
            int threads = 16;
            for (int round = 0; round < 10; round++) {
                DocumentKey key = DocumentKey.of("cas", "r" + round);
                store.create(key, utf8("start"));
                List<Outcome> outcomes = runConcurrently(threads, t -> () -> {
                    try {
                        store.replace(key, 1, utf8("thread-" + t));
                        return Outcome.won(t);
                    } catch (ConflictException e) {
                        return Outcome.CONFLICT;
                    }
                });
                assertExactlyOneWinner(outcomes, key, 2);
            }
        }

        @Test
        @DisplayName("16 threads deleting the same revision: exactly one succeeds, the others are refused (10 rounds)")
        void deleteRace() throws Exception {
            int threads = 16;
            for (int round = 0; round < 10; round++) {
                DocumentKey key = DocumentKey.of("del", "r" + round);
                store.create(key, utf8("doomed"));
                List<Outcome> outcomes = runConcurrently(threads, t -> () -> {
                    try {
                        store.delete(key, 1);
                        return Outcome.won(t);
                    } catch (ConflictException | NotFoundException e) {
                        return Outcome.CONFLICT;
                    }
                });
                assertThat(outcomes.stream().filter(Outcome::isWin).count()).isEqualTo(1);
                assertThat(store.read(key)).isEmpty();
            }
        }

        @Test
        @DisplayName("readers running alongside a writer always see a whole revision with its own content")
        void noTornReads() throws Exception {
            DocumentKey key = DocumentKey.of("torn");
            store.create(key, revisionContent(1));
            int writes = 300;
            int readsPerReader = 300;
            List<Long> lastSeen = runConcurrently(4, t -> () -> {
                if (t == 0) {
                    for (long rev = 1; rev <= writes; rev++) {
                        store.replace(key, rev, revisionContent(rev + 1));
                    }
                    return (long) writes + 1;
                }
                long previous = 0;
                for (int i = 0; i < readsPerReader; i++) {
                    Document d = store.read(key).orElseThrow();
                    assertThat(d.content()).as("content of revision %d", d.revision())
                            .isEqualTo(revisionContent(d.revision()));
                    assertThat(d.revision()).as("revisions seen by one reader never go back")
                            .isGreaterThanOrEqualTo(previous);
                    previous = d.revision();
                }
                return previous;
            });
            assertThat(lastSeen.get(0)).isEqualTo(writes + 1L);
            assertThat(store.read(key).orElseThrow().revision()).isEqualTo(writes + 1L);
        }

        /** Content that names its revision and is long enough that a torn write would show. */
        private byte[] revisionContent(long revision) {
            return utf8(("revision " + revision + ";").repeat(2_000));
        }

        private void assertExactlyOneWinner(List<Outcome> outcomes, DocumentKey key, long revision) {
            List<Outcome> wins = outcomes.stream().filter(Outcome::isWin).toList();
            assertThat(wins).as("winners for %s", key).hasSize(1);
            assertThat(outcomes).as("losers for %s", key).filteredOn(o -> !o.isWin()).hasSize(outcomes.size() - 1);
            Document d = store.read(key).orElseThrow();
            assertThat(d.revision()).isEqualTo(revision);
            assertThat(new String(d.content(), StandardCharsets.UTF_8)).isEqualTo("thread-" + wins.get(0).thread());
        }
    }

    // =========================================================================================

    @Nested
    @DisplayName("Blobs")
    class Blobs {

        @Test
        @DisplayName("putBlob reports the SHA-256 and size computed independently with MessageDigest")
        void digestAndSize() {
            byte[] content = randomBytes(100_003, 1);
            BlobInfo info = store.putBlob(new ByteArrayInputStream(content));

            assertThat(info.sha256()).isEqualTo(sha256Hex(content));
            assertThat(info.size()).isEqualTo(content.length);
            assertThat(store.blobInfo(info.sha256())).hasValueSatisfying(i -> {
                assertThat(i.sha256()).isEqualTo(info.sha256());
                assertThat(i.size()).isEqualTo(content.length);
            });
        }

        @Test
        @DisplayName("openBlob returns exactly the bytes that were put, in bulk and one byte at a time")
        void openReturnsExactBytes() throws IOException {
            byte[] content = randomBytes(70_001, 2);
            String sha = store.putBlob(new ByteArrayInputStream(content)).sha256();

            try (InputStream in = store.openBlob(sha)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
            try (InputStream in = store.openBlob(sha)) {
                byte[] one = new byte[content.length];
                for (int i = 0; i < one.length; i++) {
                    int b = in.read();
                    assertThat(b).as("byte %d", i).isNotNegative();
                    one[i] = (byte) b;
                }
                assertThat(in.read()).isEqualTo(-1);
                assertThat(one).isEqualTo(content);
            }
        }

        @Test
        @DisplayName("identical content put twice is stored once, with the same digest and a storedAt not earlier")
        void deduplicated() {
            byte[] content = randomBytes(5_000, 3);
            BlobInfo first = store.putBlob(new ByteArrayInputStream(content));
            BlobInfo second = store.putBlob(new ByteArrayInputStream(content));

            assertThat(second.sha256()).isEqualTo(first.sha256());
            assertThat(second.size()).isEqualTo(first.size());
            assertThat(second.storedAt()).isAfterOrEqualTo(first.storedAt());
            assertThat(store.blobInfo(first.sha256()).orElseThrow().storedAt()).isAfterOrEqualTo(first.storedAt());
            assertThat(store.listBlobs(Optional.empty(), 100).items()).extracting(BlobInfo::sha256)
                    .containsExactly(first.sha256());
        }

        @Test
        @DisplayName("putBlob reads the stream to its end and does not close it")
        void streamReadToEndNotClosed() {
            GeneratedStream in = new GeneratedStream(10_000, 4);
            store.putBlob(in);
            assertThat(in.reachedEnd()).isTrue();
            assertThat(in.closed()).isFalse();
        }

        @Test
        @DisplayName("a digest that was never stored: openBlob throws NotFoundException, blobInfo is empty")
        void unknownDigest() {
            String sha = sha256Hex(utf8("never stored"));
            assertThatThrownBy(() -> store.openBlob(sha)).isInstanceOf(NotFoundException.class);
            assertThat(store.blobInfo(sha)).isEmpty();
            assertThat(store.deleteBlob(sha)).isFalse();
        }

        @ParameterizedTest(name = "digest \"{0}\" is rejected")
        @ValueSource(strings = {"", "abc", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",
                "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "../../../../../../../../../../../../../../../../../../etc/passwd",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85/"})
        @DisplayName("a malformed digest throws InvalidNameException on open, info and delete")
        void malformedDigest(String digest) {
            assertThatThrownBy(() -> store.openBlob(digest)).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.blobInfo(digest)).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.deleteBlob(digest)).isInstanceOf(InvalidNameException.class);
        }

        @Test
        @DisplayName("an empty stream is a blob of size 0 with the SHA-256 of nothing")
        void emptyBlob() throws IOException {
            BlobInfo info = store.putBlob(new ByteArrayInputStream(new byte[0]));
            assertThat(info.sha256()).isEqualTo(sha256Hex(new byte[0]));
            assertThat(info.size()).isZero();
            try (InputStream in = store.openBlob(info.sha256())) {
                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(store.blobInfo(info.sha256())).isPresent();
        }

        @Test
        @DisplayName("a 32 MiB blob streams in and out with the right digest, without the test holding it in memory")
        void largeBlobStreamed() throws IOException {
            long size = 32L * 1024 * 1024;
            String expected = sha256Hex(new GeneratedStream(size, 5));

            BlobInfo info = store.putBlob(new GeneratedStream(size, 5));
            assertThat(info.sha256()).isEqualTo(expected);
            assertThat(info.size()).isEqualTo(size);

            MessageDigest md = newSha256();
            long read = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = store.openBlob(info.sha256())) {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    md.update(buffer, 0, n);
                    read += n;
                }
            }
            assertThat(read).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(expected);
        }

        @Test
        @DisplayName("listBlobs pages through every blob in ascending digest order, each exactly once")
        void listBlobsPaging() {
            Set<String> stored = new HashSet<>();
            for (int i = 0; i < 25; i++) {
                stored.add(store.putBlob(new ByteArrayInputStream(utf8("blob " + i))).sha256());
            }
            List<String> seen = new ArrayList<>();
            Optional<String> token = Optional.empty();
            for (int pages = 0; ; pages++) {
                assertThat(pages).as("pages read; the listing does not end").isLessThan(100);
                Page<BlobInfo> page = store.listBlobs(token, 4);
                assertThat(page.items()).hasSizeLessThanOrEqualTo(4);
                page.items().forEach(b -> seen.add(b.sha256()));
                if (page.items().size() < 4) {
                    assertThat(page.hasNext()).as("a page shorter than the limit is the last page").isFalse();
                }
                if (!page.hasNext()) {
                    break;
                }
                assertThat(page.items()).isNotEmpty();
                assertThat(page.nextPageToken()).contains(page.items().get(page.items().size() - 1).sha256());
                token = page.nextPageToken();
            }
            assertThat(seen).containsExactlyElementsOf(stored.stream().sorted().toList());

            String middle = seen.get(10);
            assertThat(store.listBlobs(Optional.of(middle), 100).items()).extracting(BlobInfo::sha256)
                    .containsExactlyElementsOf(seen.subList(11, seen.size()));
        }

        @Test
        @DisplayName("listBlobs on an empty store is an empty last page; a limit outside 1 to 10,000 is rejected")
        void listBlobsEdges() {
            Page<BlobInfo> empty = store.listBlobs(Optional.empty(), 10);
            assertThat(empty.items()).isEmpty();
            assertThat(empty.hasNext()).isFalse();
            for (int limit : new int[] {0, -1, 10_001}) {
                assertThatThrownBy(() -> store.listBlobs(Optional.empty(), limit))
                        .as("limit %d", limit).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatCode(() -> store.listBlobs(Optional.empty(), 10_000)).doesNotThrowAnyException();
        }

        @Test
        @DisplayName("deleteBlob removes a blob once; it can be stored again afterwards")
        void deleteBlob() throws IOException {
            byte[] content = utf8("short-lived");
            String sha = store.putBlob(new ByteArrayInputStream(content)).sha256();
            String other = store.putBlob(new ByteArrayInputStream(utf8("stays"))).sha256();

            assertThat(store.deleteBlob(sha)).isTrue();
            assertThat(store.deleteBlob(sha)).isFalse();
            assertThat(store.blobInfo(sha)).isEmpty();
            assertThatThrownBy(() -> store.openBlob(sha)).isInstanceOf(NotFoundException.class);
            assertThat(store.listBlobs(Optional.empty(), 10).items()).extracting(BlobInfo::sha256)
                    .containsExactly(other);

            assertThat(store.putBlob(new ByteArrayInputStream(content)).sha256()).isEqualTo(sha);
            try (InputStream in = store.openBlob(sha)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
        }

        @Test
        @DisplayName("a stream failing mid-way leaves no blob and surfaces as StorageException or the IOException")
        void failingStreamLeavesNoBlob() throws IOException {
            byte[] prefix = randomBytes(1024 * 1024, 6);
            IOException failure = new IOException("simulated read failure after 1 MiB");
            InputStream failing = new FailingStream(prefix, failure);

            Throwable thrown = catchAny(() -> store.putBlob(failing));
            assertThat(thrown).as("putBlob of a failing stream").isNotNull();
            boolean storageException = thrown instanceof StorageException;
            boolean carriesCause = causes(thrown).contains(failure);
            assertThat(storageException || carriesCause)
                    .as("expected StorageException or the IOException as a cause, got %s", thrown).isTrue();

            assertThat(store.listBlobs(Optional.empty(), 10).items()).isEmpty();
            assertThat(store.blobInfo(sha256Hex(prefix))).isEmpty();
            assertThat(store.check(false)).extracting(IntegrityProblem::kind)
                    .doesNotContain(IntegrityProblem.Kind.CORRUPT_BLOB);

            BlobInfo whole = store.putBlob(new ByteArrayInputStream(prefix));
            try (InputStream in = store.openBlob(whole.sha256())) {
                assertThat(in.readAllBytes()).isEqualTo(prefix);
            }
        }

        @Test
        @DisplayName("8 threads putting the same 1 MiB content at once all get the one blob, whole")
        void concurrentIdenticalPuts() throws Exception {
            byte[] content = randomBytes(1024 * 1024, 10);
            String expected = sha256Hex(content);
            for (int round = 0; round < 3; round++) {
                List<BlobInfo> infos = runConcurrently(8, t -> () -> store.putBlob(new ByteArrayInputStream(content)));
                assertThat(infos).extracting(BlobInfo::sha256).containsOnly(expected);
                assertThat(infos).extracting(BlobInfo::size).containsOnly((long) content.length);
                assertThat(store.listBlobs(Optional.empty(), 10).items()).extracting(BlobInfo::sha256)
                        .containsExactly(expected);
                try (InputStream in = store.openBlob(expected)) {
                    assertThat(in.readAllBytes()).isEqualTo(content);
                }
                assertThat(store.deleteBlob(expected)).isTrue();
            }
            assertThat(store.check(false)).isEmpty();
        }

        @Test
        @DisplayName("content is copied in: a later change to the caller's bytes does not reach the blob")
        void blobContentCopied() throws IOException {
            byte[] content = utf8("immutable");
            String sha = store.putBlob(new ByteArrayInputStream(content)).sha256();
            Arrays.fill(content, (byte) 0);
            try (InputStream in = store.openBlob(sha)) {
                assertThat(in.readAllBytes()).isEqualTo(utf8("immutable"));
            }
        }
    }

    // =========================================================================================

    @Nested
    @DisplayName("Journal")
    class Journal {

        @Test
        @DisplayName("an empty journal has length 0 and reads as no entries")
        void emptyJournal() {
            assertThat(store.journalLength()).isZero();
            assertThat(store.readJournal(1, 10)).isEmpty();
        }

        @Test
        @DisplayName("entries are numbered 1..n and chained: entry 1 follows GENESIS, each follows its predecessor")
        void chained() {
            List<JournalEntry> appended = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                appended.add(store.append(utf8("{\"n\":" + i + "}")));
            }
            assertThat(appended).extracting(JournalEntry::sequence)
                    .containsExactlyElementsOf(closedRange(1, 10));
            assertThat(store.journalLength()).isEqualTo(10);

            List<JournalEntry> read = store.readJournal(1, 100);
            assertThat(read).containsExactlyElementsOf(appended);
            assertChainIntact(read);
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).payload()).isEqualTo(utf8("{\"n\":" + (i + 1) + "}"));
            }
        }

        @Test
        @DisplayName("payloads are opaque bytes, including empty and every byte value")
        void binaryPayloads() {
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            byte[] caller = all.clone();
            store.append(new byte[0]);
            store.append(caller);
            Arrays.fill(caller, (byte) 1);

            List<JournalEntry> read = store.readJournal(1, 10);
            assertThat(read).hasSize(2);
            assertThat(read.get(0).payload()).isEmpty();
            assertThat(read.get(1).payload()).isEqualTo(all);
            assertChainIntact(read);
        }

        @Test
        @DisplayName("readJournal pages from any sequence; past the end it returns nothing")
        void paging() {
            for (int i = 1; i <= 25; i++) {
                store.append(utf8("e" + i));
            }
            List<Long> seen = new ArrayList<>();
            for (long from = 1; ; ) {
                List<JournalEntry> page = store.readJournal(from, 4);
                assertThat(page).hasSizeLessThanOrEqualTo(4);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(e -> seen.add(e.sequence()));
                from = page.get(page.size() - 1).sequence() + 1;
                assertThat(seen).as("entries read; the journal does not end").hasSizeLessThanOrEqualTo(25);
            }
            assertThat(seen).containsExactlyElementsOf(closedRange(1, 25));

            assertThat(store.readJournal(25, 10)).extracting(JournalEntry::sequence).containsExactly(25L);
            assertThat(store.readJournal(10, 3)).extracting(JournalEntry::sequence).containsExactly(10L, 11L, 12L);
            assertThat(store.readJournal(26, 10)).isEmpty();
            assertThat(store.readJournal(1_000_000, 10)).isEmpty();
        }

        @Test
        @DisplayName("fromSequence below 1 or a limit outside 1 to 10,000 throws IllegalArgumentException")
        void bounds() {
            store.append(utf8("x"));
            assertThatThrownBy(() -> store.readJournal(0, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.readJournal(-5, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.readJournal(1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.readJournal(1, 10_001)).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.readJournal(1, 10_000)).hasSize(1);
        }

        @Test
        @DisplayName("4 threads x 50 concurrent appends give 200 consecutive entries with an intact chain")
        void concurrentAppends() throws Exception {
            int threads = 4;
            int perThread = 50;
            List<List<JournalEntry>> appended = runConcurrently(threads, t -> () -> {
                List<JournalEntry> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(store.append(utf8("t" + t + "-" + i)));
                }
                return mine;
            });

            assertThat(store.journalLength()).isEqualTo(threads * perThread);
            List<JournalEntry> read = store.readJournal(1, 10_000);
            assertThat(read).extracting(JournalEntry::sequence)
                    .containsExactlyElementsOf(closedRange(1, threads * perThread));
            assertChainIntact(read);

            List<JournalEntry> all = appended.stream().flatMap(List::stream)
                    .sorted((a, b) -> Long.compare(a.sequence(), b.sequence())).toList();
            assertThat(all).as("what append returned is what was stored").containsExactlyElementsOf(read);
            for (List<JournalEntry> mine : appended) {
                assertThat(mine).extracting(JournalEntry::sequence).as("one thread's appends are in order").isSorted();
            }
            Set<String> payloads = read.stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8))
                    .collect(Collectors.toSet());
            assertThat(payloads).hasSize(threads * perThread);
        }
    }

    // =========================================================================================

    @Nested
    @DisplayName("Corruption")
    class Corruption {

        @Test
        @DisplayName("a healthy store, after every kind of operation, checks clean with and without repair")
        void healthyStoreChecksClean() throws IOException {
            store.create(DocumentKey.of("a"), utf8("1"));
            store.replace(DocumentKey.of("a"), 1, utf8("2"));
            store.create(DocumentKey.of("a", "b"), utf8("child"));
            store.create(DocumentKey.of("gone"), utf8("x"));
            store.delete(DocumentKey.of("gone"), 1);
            String sha = store.putBlob(new ByteArrayInputStream(randomBytes(10_000, 7))).sha256();
            String deleted = store.putBlob(new ByteArrayInputStream(utf8("deleted"))).sha256();
            store.deleteBlob(deleted);
            store.putBlob(new ByteArrayInputStream(new byte[0]));
            store.append(utf8("one"));
            store.append(utf8("two"));

            assertThat(store.check(false)).isEmpty();
            assertThat(store.check(true)).isEmpty();
            assertThat(store.read(DocumentKey.of("a")).orElseThrow().revision()).isEqualTo(2);
            try (InputStream in = store.openBlob(sha)) {
                assertThat(in.readAllBytes()).isEqualTo(randomBytes(10_000, 7));
            }
            assertThat(store.journalLength()).isEqualTo(2);
        }

        @Test
        @DisplayName("a damaged document is still listed by listKeys, so it can be read and reported on its own")
        void damagedDocumentListedByKey() {
            store.create(DocumentKey.of("m", "a"), utf8("fine"));
            store.create(DocumentKey.of("m", "b"), utf8("to be damaged"));
            store.create(DocumentKey.of("m", "c"), utf8("fine too"));
            corruptDocument(store, DocumentKey.of("m", "b"));
            assertThat(store.listKeys(DocumentKey.of("m"), Optional.empty(), 10).items())
                    .containsExactly(DocumentKey.of("m", "a"), DocumentKey.of("m", "b"), DocumentKey.of("m", "c"));
            assertThatThrownBy(() -> store.read(DocumentKey.of("m", "b"))).isInstanceOf(IntegrityException.class);
            assertThat(store.read(DocumentKey.of("m", "c"))).isPresent();
        }

        @Test
        @DisplayName("a reader that stops after exactly the blob's size still gets IntegrityException for a corrupted blob")
        void corruptBlobDetectedByExactLengthReader() throws IOException {
            byte[] content = randomBytes(70_000, 9);
            String sha = store.putBlob(new ByteArrayInputStream(content)).sha256();
            corruptBlob(store, sha);
            assertThatThrownBy(() -> {
                try (InputStream in = store.openBlob(sha)) {
                    in.readNBytes(content.length);
                }
            }).isInstanceOf(IntegrityException.class);
        }

        @Test
        @DisplayName("a corrupted blob is refused with IntegrityException and check reports CORRUPT_BLOB at its digest")
        void corruptBlobDetected() throws IOException {
            byte[] content = randomBytes(200_000, 8);
            String sha = store.putBlob(new ByteArrayInputStream(content)).sha256();
            byte[] healthy = utf8("healthy neighbour");
            String other = store.putBlob(new ByteArrayInputStream(healthy)).sha256();

            corruptBlob(store, sha);

            assertThatThrownBy(() -> {
                try (InputStream in = store.openBlob(sha)) {
                    in.readAllBytes();
                }
            }).isInstanceOf(IntegrityException.class);
            assertThatThrownBy(() -> {
                try (InputStream in = store.openBlob(sha)) {
                    while (in.read() != -1) {
                        // drain byte by byte
                    }
                }
            }).isInstanceOf(IntegrityException.class);
            try (InputStream in = store.openBlob(other)) {
                assertThat(in.readAllBytes()).isEqualTo(healthy);
            }

            List<IntegrityProblem> problems = store.check(false);
            assertThat(problems).filteredOn(p -> p.kind() == IntegrityProblem.Kind.CORRUPT_BLOB)
                    .singleElement().satisfies(p -> assertThat(p.location()).contains(sha));
            assertThat(problems).noneSatisfy(p -> assertThat(p.location()).contains(other));
        }

        @Test
        @DisplayName("a corrupted document fails to read with IntegrityException naming its key; others stay readable")
        void corruptDocumentDetected() {
            DocumentKey damaged = DocumentKey.of("models", "rain");
            DocumentKey sibling = DocumentKey.of("models", "snow");
            DocumentKey child = DocumentKey.of("models", "rain", "versions", "0000000001");
            store.create(damaged, utf8("{\"schemaVersion\":1,\"description\":\"rain model\"}"));
            store.create(sibling, utf8("{\"schemaVersion\":1,\"description\":\"snow model\"}"));
            store.create(child, utf8("{\"schemaVersion\":1,\"version\":1}"));

            corruptDocument(store, damaged);

            assertThatThrownBy(() -> store.read(damaged)).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(damaged.toString());
            assertThat(store.read(sibling).orElseThrow().content())
                    .isEqualTo(utf8("{\"schemaVersion\":1,\"description\":\"snow model\"}"));
            assertThat(store.read(child).orElseThrow().content()).isEqualTo(utf8("{\"schemaVersion\":1,\"version\":1}"));

            List<IntegrityProblem> problems = store.check(false);
            assertThat(problems).filteredOn(p -> p.kind() == IntegrityProblem.Kind.CORRUPT_DOCUMENT)
                    .singleElement()
                    .satisfies(p -> assertThat(p.location() + " " + p.detail()).contains(damaged.name()));
        }

        @Test
        @DisplayName("a tampered journal entry is still returned, no longer verifies, and check reports BROKEN_JOURNAL")
        void corruptJournalDetected() {
            List<JournalEntry> original = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                original.add(store.append(utf8("{\"action\":\"version.register\",\"n\":" + i + "}")));
            }

            corruptJournalEntry(store, 3);

            List<JournalEntry> read = store.readJournal(1, 10);
            assertThat(read).extracting(JournalEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
            JournalEntry tampered = read.get(2);
            assertThat(tampered.payload()).isNotEqualTo(original.get(2).payload());
            boolean linkageBroken = !tampered.previousHash().equals(read.get(1).hash())
                    || !read.get(3).previousHash().equals(tampered.hash());
            assertThat(!tampered.hashMatches() || linkageBroken)
                    .as("entry 3 no longer verifies against its hash or its neighbours").isTrue();
            assertThat(read.subList(0, 2)).containsExactlyElementsOf(original.subList(0, 2));
            assertThat(store.journalLength()).isEqualTo(5);

            assertThat(store.check(false)).extracting(IntegrityProblem::kind)
                    .contains(IntegrityProblem.Kind.BROKEN_JOURNAL);
        }
    }

    // =========================================================================================

    @Nested
    @DisplayName("Locks")
    class Locks {
        private static final Duration NOW = Duration.ZERO;
        private static final Duration LONG = Duration.ofMinutes(1);

        private Optional<StoreLock> tryLock(Store s, String name, StoreLock.Mode mode) {
            return s.lock(name, mode, NOW);
        }

        @Test
        @DisplayName("shared holders coexist; an exclusive request is refused while any of them holds the lock")
        void sharedHoldersCoexist() {
            StoreLock a = tryLock(store, "collection", StoreLock.Mode.SHARED).orElseThrow();
            StoreLock b = tryLock(store, "collection", StoreLock.Mode.SHARED).orElseThrow();
            assertThat(a.held()).isTrue();
            assertThat(b.held()).isTrue();
            assertThat(a.name()).isEqualTo("collection");
            assertThat(a.mode()).isEqualTo(StoreLock.Mode.SHARED);
            assertThat(tryLock(store, "collection", StoreLock.Mode.EXCLUSIVE)).isEmpty();
            a.close();
            assertThat(a.held()).isFalse();
            assertThat(tryLock(store, "collection", StoreLock.Mode.EXCLUSIVE)).as("b still holds it").isEmpty();
            b.close();
            try (StoreLock x = tryLock(store, "collection", StoreLock.Mode.EXCLUSIVE).orElseThrow()) {
                assertThat(x.held()).isTrue();
                assertThat(x.mode()).isEqualTo(StoreLock.Mode.EXCLUSIVE);
            }
        }

        @Test
        @DisplayName("an exclusive holder keeps out shared and exclusive requests until it closes")
        void exclusiveExcludesEveryone() {
            StoreLock x = tryLock(store, "gc-test", StoreLock.Mode.EXCLUSIVE).orElseThrow();
            assertThat(tryLock(store, "gc-test", StoreLock.Mode.SHARED)).isEmpty();
            assertThat(tryLock(store, "gc-test", StoreLock.Mode.EXCLUSIVE)).isEmpty();
            assertThat(store.lock("gc-test", StoreLock.Mode.SHARED, Duration.ofMillis(200)))
                    .as("a short wait runs out").isEmpty();
            x.close();
            x.close(); // idempotent
            tryLock(store, "gc-test", StoreLock.Mode.SHARED).orElseThrow().close();
        }

        @Test
        @DisplayName("locks of different names are independent")
        void namesAreIndependent() {
            try (StoreLock a = tryLock(store, "a", StoreLock.Mode.EXCLUSIVE).orElseThrow();
                 StoreLock b = tryLock(store, "b", StoreLock.Mode.EXCLUSIVE).orElseThrow()) {
                assertThat(a.held() && b.held()).isTrue();
            }
        }

        @Test
        @DisplayName("a waiting request gets the lock as soon as the holder, on another thread, releases it")
        void waiterGetsLockOnRelease() throws Exception {
            StoreLock shared = tryLock(store, "collection", StoreLock.Mode.SHARED).orElseThrow();
            CountDownLatch waiting = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Optional<StoreLock>> exclusive = pool.submit(() -> {
                    waiting.countDown();
                    return store.lock("collection", StoreLock.Mode.EXCLUSIVE, LONG);
                });
                waiting.await();
                Thread.sleep(100);
                assertThat(exclusive.isDone()).as("still waiting for the shared holder").isFalse();
                shared.close();
                Optional<StoreLock> got = exclusive.get(HANG_GUARD_MINUTES, TimeUnit.MINUTES);
                assertThat(got).isPresent();
                assertThat(tryLock(store, "collection", StoreLock.Mode.SHARED)).isEmpty();
                got.get().close();
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("a lock may be released by another thread than the one that took it")
        void releasedFromAnotherThread() throws Exception {
            StoreLock x = tryLock(store, "handoff", StoreLock.Mode.EXCLUSIVE).orElseThrow();
            Thread t = new Thread(x::close);
            t.start();
            t.join(TimeUnit.MINUTES.toMillis(HANG_GUARD_MINUTES));
            assertThat(x.held()).isFalse();
            tryLock(store, "handoff", StoreLock.Mode.EXCLUSIVE).orElseThrow().close();
        }

        @Test
        @DisplayName("an interrupted wait throws StorageException and keeps the thread's interrupt flag")
        void interruptedWait() throws Exception {
            StoreLock x = tryLock(store, "busy", StoreLock.Mode.EXCLUSIVE).orElseThrow();
            java.util.concurrent.atomic.AtomicReference<String> outcome = new java.util.concurrent.atomic.AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    store.lock("busy", StoreLock.Mode.SHARED, LONG).ifPresent(StoreLock::close);
                    outcome.set("acquired");
                } catch (StorageException e) {
                    outcome.set("StorageException, interrupted=" + Thread.currentThread().isInterrupted());
                }
            });
            waiter.start();
            Thread.sleep(200);
            waiter.interrupt();
            waiter.join(TimeUnit.MINUTES.toMillis(HANG_GUARD_MINUTES));
            assertThat(outcome.get()).isEqualTo("StorageException, interrupted=true");
            assertThat(x.held()).isTrue();
            x.close();
            // the interrupted waiter left no lock behind
            tryLock(store, "busy", StoreLock.Mode.EXCLUSIVE).orElseThrow().close();
        }

        @Test
        @DisplayName("8 threads x 100 rounds: an exclusive holder is never alongside any other holder")
        void exclusionUnderContention() throws Exception {
            java.util.concurrent.atomic.AtomicInteger shared = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger exclusive = new java.util.concurrent.atomic.AtomicInteger();
            List<Integer> violations = runConcurrently(8, t -> () -> {
                int bad = 0;
                for (int i = 0; i < 100; i++) {
                    boolean ex = (i + t) % 4 == 0;
                    try (StoreLock l = store.lock("contended", ex ? StoreLock.Mode.EXCLUSIVE : StoreLock.Mode.SHARED,
                            LONG).orElseThrow()) {
                        if (ex) {
                            bad += exclusive.incrementAndGet() != 1 || shared.get() != 0 ? 1 : 0;
                            Thread.onSpinWait();
                            exclusive.decrementAndGet();
                        } else {
                            shared.incrementAndGet();
                            bad += exclusive.get() != 0 ? 1 : 0;
                            shared.decrementAndGet();
                        }
                        assertThat(l.held()).isTrue();
                    }
                }
                return bad;
            });
            assertThat(violations.stream().mapToInt(Integer::intValue).sum()).isZero();
        }

        @Test
        @DisplayName("closing the store releases its locks: held() turns false")
        void storeCloseReleasesHeld() {
            StoreLock shared = tryLock(store, "collection", StoreLock.Mode.SHARED).orElseThrow();
            StoreLock other = tryLock(store, "other", StoreLock.Mode.EXCLUSIVE).orElseThrow();
            closeNow(store);
            assertThat(shared.held()).isFalse();
            assertThat(other.held()).isFalse();
            shared.close();
            other.close();
        }

        @Test
        @DisplayName("a second store instance on the same storage is excluded, and takes the lock once the first closes")
        void storeCloseReleases() {
            Assumptions.assumeTrue(persistent(), "a second instance of an in-memory store is another store");
            Store second = open();
            StoreLock x = tryLock(store, "collection", StoreLock.Mode.EXCLUSIVE).orElseThrow();
            assertThat(tryLock(second, "collection", StoreLock.Mode.SHARED))
                    .as("a second instance on the same storage is excluded").isEmpty();
            closeNow(store);
            assertThat(x.held()).isFalse();
            x.close();
            tryLock(second, "collection", StoreLock.Mode.EXCLUSIVE).orElseThrow().close();
        }

        @Test
        @DisplayName("deleteBlob with a fence deletes while the fence is held and refuses, keeping the blob, once it is not")
        void fencedDelete() {
            String a = store.putBlob(new ByteArrayInputStream(utf8("fenced a"))).sha256();
            String b = store.putBlob(new ByteArrayInputStream(utf8("fenced b"))).sha256();
            StoreLock fence = tryLock(store, "collection", StoreLock.Mode.EXCLUSIVE).orElseThrow();
            assertThat(store.deleteBlob(a, fence)).isTrue();
            assertThat(store.deleteBlob(a, fence)).isFalse();
            fence.close();
            assertThatThrownBy(() -> store.deleteBlob(b, fence)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("collection");
            assertThat(store.blobInfo(b)).isPresent();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "Upper", "-dash-first", "has space", "a/b", "../x", "dot.ted",
                "x12345678901234567890123456789012345678901234567890123456789012345"})
        @DisplayName("an invalid lock name throws IllegalArgumentException")
        void invalidNames(String name) {
            assertThatThrownBy(() -> store.lock(name, StoreLock.Mode.SHARED, NOW))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lock name");
        }

        @Test
        @DisplayName("a negative wait throws IllegalArgumentException")
        void negativeWait() {
            assertThatThrownBy(() -> store.lock("collection", StoreLock.Mode.SHARED, Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // =========================================================================================

    @Nested
    @DisplayName("Closing")
    class Closing {

        @TestFactory
        @DisplayName("every operation after close() throws IllegalStateException")
        Stream<DynamicTest> operationsAfterClose() {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("x"));
            String sha = store.putBlob(new ByteArrayInputStream(utf8("blob"))).sha256();
            store.append(utf8("entry"));
            Store closed = store;
            closeNow(closed);

            Map<String, Consumer<Store>> operations = new LinkedHashMap<>();
            operations.put("putBlob", s -> s.putBlob(new ByteArrayInputStream(utf8("more"))));
            operations.put("openBlob", s -> s.openBlob(sha));
            operations.put("blobInfo", s -> s.blobInfo(sha));
            operations.put("listBlobs", s -> s.listBlobs(Optional.empty(), 10));
            operations.put("deleteBlob", s -> s.deleteBlob(sha));
            operations.put("read", s -> s.read(key));
            operations.put("create", s -> s.create(DocumentKey.of("new"), utf8("x")));
            operations.put("replace", s -> s.replace(key, 1, utf8("y")));
            operations.put("delete", s -> s.delete(key, 1));
            operations.put("list", s -> s.list(DocumentKey.ROOT, Optional.empty(), 10));
            operations.put("listKeys", s -> s.listKeys(DocumentKey.ROOT, Optional.empty(), 10));
            operations.put("append", s -> s.append(utf8("late")));
            operations.put("readJournal", s -> s.readJournal(1, 10));
            operations.put("journalLength", Store::journalLength);
            operations.put("check", s -> s.check(false));
            operations.put("lock", s -> s.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO));
            return operations.entrySet().stream().map(op -> DynamicTest.dynamicTest(
                    op.getKey() + " after close() throws IllegalStateException",
                    () -> assertThatThrownBy(() -> op.getValue().accept(closed))
                            .isInstanceOf(IllegalStateException.class)));
        }
    }

    // =========================================================================================

    @Nested
    @DisplayName("Reopening")
    class Reopening {

        @BeforeEach
        void onlyForPersistentStores() {
            Assumptions.assumeTrue(persistent(), "the store keeps nothing in its directory");
        }

        @Test
        @DisplayName("documents, blobs and the journal written before close() are there after reopening")
        void survivesReopen() throws IOException {
            DocumentKey key = DocumentKey.of("models", "rain");
            store.create(key, utf8("v1"));
            store.replace(key, 1, utf8("v2"));
            store.create(key.child("versions").child("0000000001"), utf8("version"));
            byte[] content = randomBytes(50_000, 9);
            String sha = store.putBlob(new ByteArrayInputStream(content)).sha256();
            List<JournalEntry> entries = List.of(store.append(utf8("one")), store.append(utf8("two")));
            closeNow(store);

            Store reopened = open();
            assertThat(reopened.read(key)).hasValueSatisfying(d -> {
                assertThat(d.revision()).isEqualTo(2);
                assertThat(d.content()).isEqualTo(utf8("v2"));
            });
            assertThat(keys(reopened.list(key.child("versions"), Optional.empty(), 10).items()))
                    .containsExactly(key.child("versions").child("0000000001"));
            try (InputStream in = reopened.openBlob(sha)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
            assertThat(reopened.readJournal(1, 10)).containsExactlyElementsOf(entries);
            assertThat(reopened.journalLength()).isEqualTo(2);

            JournalEntry third = reopened.append(utf8("three"));
            assertThat(third.sequence()).isEqualTo(3);
            assertThat(third.previousHash()).isEqualTo(entries.get(1).hash());
            assertThatThrownBy(() -> reopened.replace(key, 1, utf8("stale"))).isInstanceOf(ConflictException.class);
            assertThat(reopened.check(false)).isEmpty();
        }
    }

    // =========================================================================================
    // helpers

    /** Checks consecutive sequences, hashes and links; the first entry links to GENESIS when it is entry 1. */
    private static void assertChainIntact(List<JournalEntry> entries) {
        JournalEntry previous = null;
        for (JournalEntry e : entries) {
            if (previous == null) {
                if (e.sequence() == 1) {
                    assertThat(e.previousHash()).as("previousHash of entry 1").isEqualTo(JournalEntry.GENESIS_HASH);
                }
            } else {
                assertThat(e.sequence()).as("sequence after %d", previous.sequence()).isEqualTo(previous.sequence() + 1);
                assertThat(e.previousHash()).as("previousHash of entry %d", e.sequence()).isEqualTo(previous.hash());
            }
            assertThat(e.hashMatches()).as("hash of entry %d matches its fields", e.sequence()).isTrue();
            previous = e;
        }
    }

    /**
     * Runs {@code threads} tasks at once behind a start gate and returns their results in thread
     * order. Any failure inside a task fails the test with that failure.
     */
    private static <T> List<T> runConcurrently(int threads, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<T> body = task.apply(t);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return body.call();
                }));
            }
            ready.await();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(HANG_GUARD_MINUTES, TimeUnit.MINUTES));
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    if (cause instanceof Exception ex) {
                        throw ex;
                    }
                    throw e;
                } catch (TimeoutException e) {
                    fail("a concurrent task did not finish within " + HANG_GUARD_MINUTES
                            + " minutes: the store appears to be deadlocked", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Outcome(boolean isWin, int thread) {
        static final Outcome CONFLICT = new Outcome(false, -1);

        static Outcome won(int thread) {
            return new Outcome(true, thread);
        }
    }

    /** @return from..to inclusive, for exact-sequence assertions */
    private static List<Long> closedRange(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static List<DocumentKey> keys(List<Document> docs) {
        return docs.stream().map(Document::key).toList();
    }

    private static List<String> segments(List<Document> docs) {
        return docs.stream().map(d -> d.key().name()).toList();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required on every Java platform", e);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    private static String sha256Hex(InputStream in) {
        MessageDigest md = newSha256();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                md.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Throwable catchAny(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    /** A deterministic pseudo-random stream of a given length, generated as it is read. */
    private static final class GeneratedStream extends InputStream {
        private final long length;
        private long position;
        private long state;
        private boolean reachedEnd;
        private boolean closed;

        GeneratedStream(long length, long seed) {
            this.length = length;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        private byte next() {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            return (byte) state;
        }

        @Override
        public int read() {
            if (position >= length) {
                reachedEnd = true;
                return -1;
            }
            position++;
            return next() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                reachedEnd = true;
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = next();
            }
            position += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }

        boolean reachedEnd() {
            return reachedEnd;
        }

        boolean closed() {
            return closed;
        }
    }

    /** Yields its prefix, then throws the given IOException. */
    private static final class FailingStream extends InputStream {
        private final byte[] prefix;
        private final IOException failure;
        private int position;

        FailingStream(byte[] prefix, IOException failure) {
            this.prefix = prefix;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            if (position >= prefix.length) {
                throw failure;
            }
            return prefix[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position >= prefix.length) {
                throw failure;
            }
            int n = Math.min(len, prefix.length - position);
            System.arraycopy(prefix, position, b, off, n);
            position += n;
            return n;
        }
    }

}
