package dev.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.StorageException;
import dev.mlops.api.serving.InferenceLog;
import dev.mlops.api.serving.InferenceRecord;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@link InferenceLog}: JSON Lines files in one directory, rotated by size, the
 * oldest deleted beyond a count.
 *
 * <pre>{@code
 * try (JsonLinesInferenceLog log = JsonLinesInferenceLog.builder(Path.of("/var/log/rain"))
 *         .maxFileBytes(64 << 20).maxFiles(20).build()) {
 *     ... give it to a ModelService, or call log.offer(record) ...
 * }
 * }</pre>
 *
 * <h2>Cost on the request thread</h2>
 * {@link #offer} only puts the record on a bounded lock-free queue and returns; it never waits
 * for the disk. When the queue is full the record is dropped and counted. One daemon thread
 * serializes and writes.
 *
 * <h2>File format</h2>
 * Files are named {@code inference-<UTC time of creation, yyyyMMdd'T'HHmmss'Z'>-<n>.jsonl}, where
 * {@code n} grows by one per file in the directory (also across restarts; it orders the files
 * for retention). Each line is one JSON object:
 * <pre>{@code
 * {"schema_version":1,"prediction_id":"...","time":"2025-01-01T12:00:00Z","model":"rain","version":3,
 *  "route":"primary","input":{...},"output":...,"latency_ns":1234}
 * }</pre>
 * {@code input} and {@code output} are written with Jackson's tree model (no default typing):
 * records, beans, maps, collections, arrays, strings and numbers map as Jackson maps them;
 * non-finite doubles are written as the strings {@code "NaN"}, {@code "Infinity"}. A null
 * output (the model threw) is written as {@code null}. A value Jackson cannot serialize (a
 * cycle, a getter that throws, a type that needs a Jackson module such as {@code Optional} or
 * {@code Instant}) is written as its {@code toString()} text; the record is still written and
 * counted in {@link #unserializable()}, and a warning is logged once per class.
 *
 * <h2>Rotation and retention</h2>
 * A file is closed and a new one started when the next line would make it larger than
 * {@link Builder#maxFileBytes}; a single line larger than that limit is written alone in its
 * own file. After a new file is created, the oldest files of the directory (by {@code n}) are
 * deleted until at most {@link Builder#maxFiles} remain.
 *
 * <h2>Failures</h2>
 * A failed write (full disk, a file or directory removed or replaced, a closed stream) never
 * stops the writer thread and never reaches a request: the records of the failed write are
 * dropped and counted in {@link #dropped()}, the first failure of a burst is logged (one
 * warning until a write succeeds again, then one info line with the burst's loss), the file is
 * cut back to its last complete line where that is still possible, and the next batch opens a
 * new file (creating the directory again if it is gone). {@link #written()} counts only
 * records whose whole line the operating system accepted, so {@code written() + dropped()}
 * equals the number of offered records once the log is closed.
 *
 * <p>Thread-safe. {@link #close()} writes what is queued, waiting at most
 * {@link Builder#closeTimeout}; records still queued after that are dropped and counted.
 */
public final class JsonLinesInferenceLog implements InferenceLog {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesInferenceLog.class);

    static final int SCHEMA_VERSION = 1;
    private static final String PREFIX = "inference-";
    private static final String SUFFIX = ".jsonl";
    private static final Pattern FILE_NAME = Pattern.compile("inference-(.+)-(\\d{1,18})\\.jsonl");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_WARNED_CLASSES = 64;

    private final Path directory;
    private final long maxFileBytes;
    private final int maxFiles;
    private final int capacity;
    private final int flushEvery;
    private final Duration closeTimeout;
    private final Clock clock;
    private final OutputOpener opener;

    private final ConcurrentLinkedQueue<InferenceRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder unserializable = new LongAdder();
    private final LongAdder failureBursts = new LongAdder();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean terminated;
    private volatile boolean abort;
    private volatile boolean writerSleeping;
    private final Thread writer;

    // ---- writer-thread state ----------------------------------------------------------------
    private OutputStream out;
    private Path currentFile;
    private Object currentFileKey;
    private long fileBytes;
    private byte[] buffer = new byte[8192];
    private int bufferLength;
    private int pendingRecords;
    private long nextSequence;
    private boolean failing;
    private long burstLost;
    private final Set<Class<?>> warnedClasses = new HashSet<>();

    private JsonLinesInferenceLog(Builder b) {
        this.directory = b.directory;
        this.maxFileBytes = b.maxFileBytes;
        this.maxFiles = b.maxFiles;
        this.capacity = b.queueCapacity;
        this.flushEvery = b.flushEvery;
        this.closeTimeout = b.closeTimeout;
        this.clock = b.clock;
        this.opener = b.opener;
        try {
            Files.createDirectories(directory);
        } catch (IOException | RuntimeException e) {
            throw new StorageException("cannot create the inference log directory " + directory
                    + ": " + e + " (expected a writable directory)", e);
        }
        this.nextSequence = existingFiles().stream().mapToLong(LogFile::sequence).max().orElse(0) + 1;
        this.writer = new Thread(this::run, "mlops-inference-log-" + directory.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * @param directory where the files go; created if absent
     * @return a builder with defaults: 64 MiB files, 10 files, a queue of 8,192 records
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * Queues a record for writing; never blocks.
     *
     * @param record the prediction
     * @return false if it was dropped because the queue is full or the log is closed
     */
    @Override
    public boolean offer(InferenceRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            dropped.increment();
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.increment();
            return false;
        }
        queue.offer(record);
        if (terminated) {
            // close() finished its final drain concurrently: take the record back if it is
            // still there (if not, the drain counted it).
            if (queue.remove(record)) {
                queued.decrementAndGet();
                dropped.increment();
            }
            return false;
        }
        if (writerSleeping) {
            LockSupport.unpark(writer);
        }
        return true;
    }

    /** @return records dropped so far: full queue, failed writes, offers after close */
    @Override
    public long dropped() {
        return dropped.sum();
    }

    /** @return records whose whole line was handed to the operating system */
    @Override
    public long written() {
        return written.sum();
    }

    /**
     * @return values (inputs or outputs) that Jackson could not serialize and that were written
     *     as their {@code toString()} text instead; their records count as written
     */
    public long unserializable() {
        return unserializable.sum();
    }

    /** @return the directory the files are written to */
    public Path directory() {
        return directory;
    }

    /** Test seam: how many separate bursts of write failures there were (one warning each). */
    long failureBursts() {
        return failureBursts.sum();
    }

    /**
     * Stops accepting records, writes the queued ones (waiting at most the close timeout),
     * flushes and closes the file. Records still queued when the timeout expires are dropped
     * and counted. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        try {
            writer.join(Math.max(1, closeTimeout.toMillis()));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (writer.isAlive()) {
            abort = true;
            writer.interrupt();
            LOG.warn("inference log {}: the writer did not finish within {}; records still queued are dropped",
                    directory, closeTimeout);
        }
        terminated = true;
        while (queue.poll() != null) {
            queued.decrementAndGet();
            dropped.increment();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer thread ------------------------------------------------------------------

    private void run() {
        try {
            while (true) {
                InferenceRecord r = queue.poll();
                if (r == null) {
                    if (abort) {
                        break;
                    }
                    flush();
                    if (closed) {
                        if (queue.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                    writerSleeping = true;
                    if (queue.isEmpty() && !closed) {
                        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    }
                    writerSleeping = false;
                    continue;
                }
                queued.decrementAndGet();
                if (abort) {
                    dropped.increment();
                    continue;
                }
                try {
                    append(line(r));
                } catch (RuntimeException | LinkageError | StackOverflowError e) {
                    // Not expected (serialization failures fall back to text): never let it end the thread.
                    dropped.increment();
                    LOG.warn("inference log {}: dropped a record that could not be written", directory, e);
                }
            }
        } finally {
            if (abort) {
                dropPending();
            } else {
                flush();
            }
            closeQuietly();
        }
    }

    /** Serializes one record as a line, with its newline. */
    byte[] line(InferenceRecord r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("schema_version", SCHEMA_VERSION);
        n.put("prediction_id", r.predictionId());
        n.put("time", r.time().toString());
        n.put("model", r.version().model());
        n.put("version", r.version().number());
        n.put("route", r.route().name().toLowerCase(Locale.ROOT));
        n.set("input", tree(r.input()));
        n.set("output", tree(r.output()));
        n.put("latency_ns", r.latencyNanos());
        byte[] json = StrictJson.write(n);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    /**
     * One line as {@link #line} writes it, read back strictly: every field present with its
     * type, no other field, a repeated key refused.
     */
    record Line(int schemaVersion, String predictionId, java.time.Instant time, String model, int version,
                dev.mlops.api.serving.Prediction.Route route, JsonNode input, JsonNode output, long latencyNanos) {
    }

    /**
     * @param json one line of a log file, without its newline
     * @return its fields
     * @throws dev.mlops.api.ValidationException naming the field that is wrong
     */
    static Line readLine(String json) {
        JsonFields f = StrictJson.readObject(json, "inference log line");
        int v = f.intValue("schema_version");
        if (v != SCHEMA_VERSION) {
            throw f.invalid("schema_version", "version " + v + " is not one this library reads; expected " + SCHEMA_VERSION);
        }
        java.time.Instant time;
        try {
            time = java.time.Instant.parse(f.text("time"));
        } catch (java.time.format.DateTimeParseException e) {
            throw f.invalid("time", "not an ISO-8601 instant");
        }
        String route = f.text("route");
        dev.mlops.api.serving.Prediction.Route r = java.util.Arrays.stream(dev.mlops.api.serving.Prediction.Route.values())
                .filter(x -> x.name().toLowerCase(Locale.ROOT).equals(route)).findFirst()
                .orElseThrow(() -> f.invalid("route", "unknown route " + dev.mlops.api.Names.quote(route)
                        + "; expected primary, challenger or fallback"));
        Line line = new Line(v, f.text("prediction_id"), time, f.text("model"), f.intValue("version"), r,
                f.nullable("input"), f.nullable("output"), f.integer("latency_ns"));
        f.end();
        return line;
    }

    private JsonNode tree(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return StrictJson.valueToTree(value);
        } catch (RuntimeException | StackOverflowError e) {
            unserializable.increment();
            if (warnedClasses.size() < MAX_WARNED_CLASSES && warnedClasses.add(value.getClass())) {
                LOG.warn("inference log {}: a {} cannot be written as JSON ({}); it is written as its toString() text",
                        directory, value.getClass().getName(), firstLine(e.getMessage()));
            }
            return JsonNodeFactory.instance.textNode(text(value));
        }
    }

    private static String text(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException | StackOverflowError e) {
            return "<unserializable " + value.getClass().getName() + ">";
        }
    }

    private void append(byte[] line) {
        long inFile = fileBytes + bufferLength;
        if (inFile > 0 && inFile + line.length > maxFileBytes) {
            flush();
            closeQuietly();
        }
        if (bufferLength + line.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(bufferLength + line.length, buffer.length * 2));
        }
        System.arraycopy(line, 0, buffer, bufferLength, line.length);
        bufferLength += line.length;
        pendingRecords++;
        if (pendingRecords >= flushEvery || bufferLength >= BUFFER_BYTES) {
            flush();
        }
    }

    /** Writes the buffered lines in one call; on failure drops and counts them. */
    private void flush() {
        if (pendingRecords == 0) {
            return;
        }
        try {
            if (out == null) {
                open();
            }
            out.write(buffer, 0, bufferLength);
            out.flush();
            fileBytes += bufferLength;
            written.add(pendingRecords);
            if (failing) {
                failing = false;
                LOG.info("inference log {}: writing again after dropping {} records", directory, burstLost);
            }
        } catch (IOException | RuntimeException e) {
            // clean up first: once the records count as dropped, a reader may look at the files
            abandonFile();
            dropped.add(pendingRecords);
            if (!failing) {
                failing = true;
                burstLost = 0;
                failureBursts.increment();
                LOG.warn("inference log {}: cannot write ({}); records are dropped and counted until a write succeeds",
                        directory, e.toString());
            }
            burstLost += pendingRecords;
        } finally {
            resetBuffer();
        }
    }

    private void dropPending() {
        dropped.add(pendingRecords);
        resetBuffer();
    }

    private void resetBuffer() {
        bufferLength = 0;
        pendingRecords = 0;
        if (buffer.length > 4 * BUFFER_BYTES) {
            buffer = new byte[8192];
        }
    }

    private void open() throws IOException {
        Files.createDirectories(directory);
        String stamp = STAMP.format(clock.instant());
        Path file;
        while (true) {
            file = directory.resolve(PREFIX + stamp + "-" + String.format(Locale.ROOT, "%06d", nextSequence++) + SUFFIX);
            try {
                Files.createFile(file);
                break;
            } catch (FileAlreadyExistsException e) {
                // another writer (or a restart with the same clock) took the name: try the next one
            }
        }
        currentFile = file;
        currentFileKey = fileKey(file);
        fileBytes = 0;
        out = opener.open(file);
        enforceRetention(file);
    }

    /** Deletes the oldest log files until at most maxFiles remain; best effort. */
    private void enforceRetention(Path keep) {
        List<LogFile> files = existingFiles();
        files.sort(Comparator.comparingLong(LogFile::sequence).thenComparing(f -> f.path().getFileName().toString()));
        int excess = files.size() - maxFiles;
        for (int i = 0; i < files.size() && excess > 0; i++) {
            Path p = files.get(i).path();
            if (p.equals(keep)) {
                continue;
            }
            try {
                Files.deleteIfExists(p);
                excess--;
            } catch (IOException | RuntimeException e) {
                LOG.debug("inference log {}: cannot delete old file {}: {}", directory, p, e.toString());
            }
        }
    }

    private List<LogFile> existingFiles() {
        List<LogFile> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path p : ds) {
                Matcher m = FILE_NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    files.add(new LogFile(p, Long.parseLong(m.group(2))));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("inference log {}: cannot list the directory: {}", directory, e.toString());
        }
        return files;
    }

    /**
     * After a failed write: closes the file and, if it is still the file this log created, cuts
     * it back to its last complete line (or deletes it when it has none), so a partial line or
     * an empty file never stays behind where that can be avoided.
     */
    private void abandonFile() {
        Path file = currentFile;
        Object key = currentFileKey;
        long good = fileBytes;
        closeQuietly();
        if (file == null || key == null) {
            return;
        }
        try {
            if (!key.equals(fileKey(file))) {
                return;
            }
            if (good == 0) {
                Files.deleteIfExists(file);
            } else {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    if (ch.size() > good) {
                        ch.truncate(good);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("inference log {}: cannot clean up {} after a failed write: {}", directory, file, e.toString());
        }
    }

    private static Object fileKey(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.fileKey() != null ? a.fileKey() : file.toAbsolutePath();
    }

    private void closeQuietly() {
        OutputStream o = out;
        out = null;
        currentFile = null;
        currentFileKey = null;
        fileBytes = 0;
        if (o != null) {
            try {
                o.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("inference log {}: closing a file failed: {}", directory, e.toString());
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private record LogFile(Path path, long sequence) {
    }

    /** Opens the stream a new log file is written through; a seam for failure injection in tests. */
    @FunctionalInterface
    interface OutputOpener {
        OutputStream open(Path file) throws IOException;
    }

    /** Configures a {@link JsonLinesInferenceLog}. Fails at the call that is wrong. */
    public static final class Builder {
        private final Path directory;
        private long maxFileBytes = 64L << 20;
        private int maxFiles = 10;
        private int queueCapacity = 8192;
        private int flushEvery = 256;
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();
        private OutputOpener opener = file -> new FileOutputStream(file.toFile(), true);

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * @param bytes size after which a new file is started; at least 1; default 64 MiB
         * @return this
         */
        public Builder maxFileBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxFileBytes must be at least 1, was " + bytes);
            }
            this.maxFileBytes = bytes;
            return this;
        }

        /**
         * @param files how many files to keep, the newest; at least 1; default 10
         * @return this
         */
        public Builder maxFiles(int files) {
            if (files < 1) {
                throw new IllegalArgumentException("maxFiles must be at least 1, was " + files);
            }
            this.maxFiles = files;
            return this;
        }

        /**
         * @param records how many records may wait for the writer before offers are dropped;
         *     at least 1; default 8,192
         * @return this
         */
        public Builder queueCapacity(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, was " + records);
            }
            this.queueCapacity = records;
            return this;
        }

        /**
         * @param records write to the file after at most this many records, and whenever the
         *     queue is empty; at least 1; default 256
         * @return this
         */
        public Builder flushEvery(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("flushEvery must be at least 1, was " + records);
            }
            this.flushEvery = records;
            return this;
        }

        /**
         * @param timeout how long {@link JsonLinesInferenceLog#close()} waits for queued records
         *     to be written; not negative; default 10 s
         * @return this
         */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * @param clock time source for file names; default UTC system clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Test seam: how a new file's stream is opened (the file already exists, empty). */
        Builder opener(OutputOpener opener) {
            this.opener = Objects.requireNonNull(opener, "opener");
            return this;
        }

        /**
         * Creates the directory if needed and starts the writer thread.
         *
         * @return the log
         * @throws StorageException if the directory cannot be created
         */
        public JsonLinesInferenceLog build() {
            return new JsonLinesInferenceLog(this);
        }
    }
}
