package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.StoreLock;
import dev.mlops.registry.tck.process.ChildJvm;
import dev.mlops.registry.tck.process.StoreConfig;
import dev.mlops.registry.tck.process.StoreWorker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the filesystem store's named locks do beyond the kit's promises: their files are apart
 * from the document locks, an exclusive request waiting in one process holds back shared
 * requests of others, no file descriptor or OS lock outlives its use, and a lock file removed,
 * replaced or turned into a link is noticed. OS locks are watched in {@code /proc/locks} (Linux).
 */
@DisplayName("FileSystemStore named locks: own files, writer preference across processes, tampering noticed")
class NamedLockTest {
    /** Only a guard against a hang; no assertion is made about how long anything takes. */
    private static final long HANG_GUARD_MILLIS = 10 * 60_000L;
    private static final int MAX_POLLS = 20_000;

    @TempDir
    Path dir;
    Path storeDir;
    FileSystemStore store;
    final List<ChildJvm> children = new ArrayList<>();
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        storeDir = dir.resolve("store");
        store = FileSystemStore.open(storeDir);
    }

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        for (ChildJvm c : children) {
            c.kill();
        }
        store.close();
    }

    @Test
    @DisplayName("a lock held exclusively by another process does not hold up documents, blobs or the journal")
    void documentWritesIgnoreNamedLocks() throws Exception {
        holder("collection", "exclusive");
        holder("gc-other", "exclusive");
        Future<?> writes = pool.submit(() -> {
            for (int i = 0; i < 100; i++) {
                DocumentKey key = DocumentKey.of("models", "m" + i);
                store.create(key, utf8("1"));
                store.replace(key, 1, utf8("2"));
                store.putBlob(new ByteArrayInputStream(utf8("blob " + i)));
                store.append(utf8("entry " + i));
            }
            return null;
        });
        writes.get(HANG_GUARD_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(store.journalLength()).isEqualTo(100);
        assertThat(store.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO)).as("still held by the child").isEmpty();
    }

    @Test
    @DisplayName("an exclusive request waiting here holds back new shared requests of another process;"
            + " they go once it has had its turn")
    void exclusiveWaiterHoldsBackOtherProcesses() throws Exception {
        ChildJvm sharedHolder = holder("collection", "shared");
        Future<Optional<StoreLock>> exclusive =
                pool.submit(() -> store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ofMillis(HANG_GUARD_MILLIS)));
        Path file = lockFile("collection");
        awaitOsLock(file, "WRITE", 1, ProcessHandle.current().pid());
        assertThat(exclusive.isDone()).as("waits for the shared holder").isFalse();

        assertThat(tryFromChild("collection", "shared")).as("a new shared request of another process, while an"
                + " exclusive request waits").isEqualTo("busy");

        sharedHolder.kill();
        StoreLock x = exclusive.get(HANG_GUARD_MILLIS, TimeUnit.MILLISECONDS).orElseThrow();
        assertThat(x.held()).isTrue();
        assertThat(tryFromChild("collection", "shared")).as("while held exclusively").isEqualTo("busy");
        x.close();
        assertThat(osLocks(file)).as("nothing left locked once released").isEmpty();
        assertThat(tryFromChild("collection", "shared")).isEqualTo("held");
    }

    @Test
    @DisplayName("in this process too, a waiting exclusive request holds back new shared ones")
    void exclusiveWaiterHoldsBackThisProcess() throws Exception {
        StoreLock shared = store.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO).orElseThrow();
        Future<Optional<StoreLock>> exclusive =
                pool.submit(() -> store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ofMillis(HANG_GUARD_MILLIS)));
        awaitOsLock(lockFile("collection"), "WRITE", 1, ProcessHandle.current().pid());
        try (FileSystemStore second = FileSystemStore.open(storeDir)) {
            assertThat(second.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO))
                    .as("a new shared request, from another store instance of this JVM").isEmpty();
            shared.close();
            StoreLock x = exclusive.get(HANG_GUARD_MILLIS, TimeUnit.MILLISECONDS).orElseThrow();
            x.close();
            second.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO).orElseThrow().close();
        }
    }

    @Test
    @DisplayName("an interrupted wait for another process's lock leaves no OS lock and no intent behind")
    void interruptedWaitLeavesNothing() throws Exception {
        ChildJvm holder = holder("busy", "exclusive");
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                store.lock("busy", StoreLock.Mode.EXCLUSIVE, Duration.ofMillis(HANG_GUARD_MILLIS));
                outcome.set("acquired");
            } catch (StorageException e) {
                outcome.set("StorageException, interrupted=" + Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        Path file = lockFile("busy");
        awaitOsLock(file, "WRITE", 1, ProcessHandle.current().pid());
        waiter.interrupt();
        waiter.join(HANG_GUARD_MILLIS);
        assertThat(outcome.get()).isEqualTo("StorageException, interrupted=true");
        assertThat(osLocks(file)).as("only the child's lock is left").singleElement()
                .satisfies(l -> assertThat(l.pid()).isNotEqualTo(ProcessHandle.current().pid()));
        holder.kill();
        store.lock("busy", StoreLock.Mode.EXCLUSIVE, Duration.ZERO).orElseThrow().close();
    }

    @Test
    @DisplayName("a name in use costs one open file; a released name none")
    void noFileDescriptorOutlivesItsLock() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
        List<StoreLock> held = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            held.add(store.lock("name-" + i, i % 2 == 0 ? StoreLock.Mode.SHARED : StoreLock.Mode.EXCLUSIVE,
                    Duration.ZERO).orElseThrow());
        }
        held.add(store.lock("name-0", StoreLock.Mode.SHARED, Duration.ZERO).orElseThrow());
        assertThat(openLockFiles()).hasSize(50);
        held.forEach(StoreLock::close);
        assertThat(openLockFiles()).isEmpty();
        assertThat(store.lock("name-7", StoreLock.Mode.EXCLUSIVE, Duration.ZERO)).isPresent();
    }

    @Test
    @DisplayName("a lock file replaced while held: held() turns false for good, a fenced delete refuses,"
            + " a joining request fails naming the file, and once released the new file is used")
    void replacedLockFile() throws Exception {
        String blob = store.putBlob(new ByteArrayInputStream(utf8("kept"))).sha256();
        StoreLock fence = store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ZERO).orElseThrow();
        StoreLock other = store.lock("other", StoreLock.Mode.SHARED, Duration.ZERO).orElseThrow();
        Path file = lockFile("collection");
        Files.delete(file);
        Files.createFile(file);

        assertThat(fence.held()).isFalse();
        assertThat(fence.held()).isFalse();
        assertThat(other.held()).as("another name is not affected").isTrue();
        assertThatThrownBy(() -> store.deleteBlob(blob, fence)).isInstanceOf(ConflictException.class);
        assertThat(store.blobInfo(blob)).isPresent();
        fence.close();

        StoreLock shared = store.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO).orElseThrow();
        assertThat(shared.held()).isTrue();
        Files.delete(file);
        Files.createFile(file);
        assertThatThrownBy(() -> store.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("removed or replaced");
        assertThat(shared.held()).isFalse();
        shared.close();
        try (StoreLock again = store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ZERO).orElseThrow()) {
            assertThat(again.held()).isTrue();
        }
        other.close();
    }

    @Test
    @DisplayName("a lock file replaced by a symbolic link while the store is open is refused, naming the link;"
            + " so is a stripe lock file of document writes")
    void linkedLockFile() throws Exception {
        Path target = Files.writeString(dir.resolve("elsewhere"), "");
        Path file = lockFile("collection");
        Files.deleteIfExists(file);
        Files.createSymbolicLink(file, target);
        assertThatThrownBy(() -> store.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("symbolic link")
                .hasMessageContaining(file.toString());

        // no write has opened a stripe lock file of this store yet
        Path locks = storeDir.resolve("locks");
        for (int i = 0; i < FileSystemStore.DEFAULT_STRIPES; i++) {
            Path stripe = locks.resolve(StoreLocks.stripeFileName(i));
            Files.deleteIfExists(stripe);
            Files.createSymbolicLink(stripe, target);
        }
        assertThatThrownBy(() -> store.create(DocumentKey.of("x"), utf8("1")))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("symbolic link")
                .hasMessageContaining("stripe-");
        assertThat(store.read(DocumentKey.of("x"))).isEmpty();
        assertThat(target).isEmptyFile();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Path lockFile(String name) {
        return store.root().resolve("locks").resolve("named-" + name + ".lock");
    }

    /** Starts a child that takes a lock and keeps it until killed. */
    private ChildJvm holder(String name, String mode) throws Exception {
        ChildJvm child = startHold(name, mode, "60");
        int line = child.awaitLine(0, l -> l.equals("held") || l.equals("busy"), HANG_GUARD_MILLIS);
        if (line < 0 || !child.lines().get(line).equals("held")) {
            fail("child did not take the " + mode + " lock " + name + ": " + child.lines() + " stderr: "
                    + Files.readString(child.stderr()));
        }
        return child;
    }

    /** @return what a child that tries a lock once answers: held or busy */
    private String tryFromChild(String name, String mode) throws Exception {
        ChildJvm child = startHold(name, mode, "0");
        int line = child.awaitLine(0, l -> l.equals("held") || l.equals("busy"), HANG_GUARD_MILLIS);
        String answer = line < 0 ? "no answer: " + child.lines() + " stderr: " + Files.readString(child.stderr())
                : child.lines().get(line);
        child.kill();
        return answer;
    }

    private ChildJvm startHold(String name, String mode, String waitSeconds) {
        StoreConfig config = new StoreConfig("fs", Map.of("path", storeDir.toString()));
        ChildJvm child = ChildJvm.start(StoreWorker.class, "64m", dir.resolve("hold-" + children.size() + ".err"),
                config.args("hold", waitSeconds, name, mode));
        children.add(child);
        return child;
    }

    /** An OS lock as {@code /proc/locks} shows it. */
    record OsLock(String access, long pid, long start, String end) {
    }

    /** @return the POSIX locks on a file, from /proc/locks */
    private static List<OsLock> osLocks(Path file) throws IOException {
        Path procLocks = Path.of("/proc/locks");
        Assumptions.assumeTrue(Files.isReadable(procLocks), "needs /proc/locks (Linux) to watch OS locks");
        long inode = (Long) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        List<OsLock> found = new ArrayList<>();
        for (String line : Files.readAllLines(procLocks, StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split("\\s+");
            // "1: POSIX  ADVISORY  WRITE 5023 fe:00:2146865 1 1"; waiters show "->" after the number
            if (f.length == 8 && f[1].equals("POSIX") && f[5].endsWith(":" + inode)) {
                found.add(new OsLock(f[3], Long.parseLong(f[4]), Long.parseLong(f[6]), f[7]));
            }
        }
        return found;
    }

    /** Waits until {@code pid} holds an OS lock of the kind on byte {@code position} of the file. */
    private static void awaitOsLock(Path file, String access, long position, long pid) throws Exception {
        for (int i = 0; i < MAX_POLLS; i++) {
            if (Files.exists(file) && osLocks(file).stream()
                    .anyMatch(l -> l.access().equals(access) && l.pid() == pid && l.start() == position)) {
                return;
            }
            Thread.sleep(5);
        }
        fail("process " + pid + " never held a " + access + " lock on byte " + position + " of " + file);
    }

    private static List<Path> openLockFiles() throws IOException {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.getFileName() != null && target.getFileName().toString().startsWith("named-")) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        }
        return open;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
