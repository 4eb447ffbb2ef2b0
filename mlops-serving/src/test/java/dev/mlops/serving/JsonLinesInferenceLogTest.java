package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.ModelRef;
import dev.mlops.api.StorageException;
import dev.mlops.api.serving.InferenceRecord;
import dev.mlops.api.serving.Prediction;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The JSON Lines inference log")
class JsonLinesInferenceLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2025-03-04T05:06:07Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final ModelRef.Version RAIN_3 = ModelRef.version("rain", 3);

    @TempDir
    Path tmp;

    /** A typical input: a record of features. */
    record Features(double temp, String city, int[] hours) {
    }

    static InferenceRecord record(int i) {
        return new InferenceRecord(String.format("p-%06d", i), T0.plusMillis(i), RAIN_3, Prediction.Route.PRIMARY,
                new Features(i, "seattle", new int[] {1, 2}), Map.of("rain", 0.25), 1000 + i);
    }

    static JsonLinesInferenceLog.Builder builder(Path dir) {
        return JsonLinesInferenceLog.builder(dir).clock(CLOCK);
    }

    /** Every log file of a directory, oldest first (by the sequence number in the name). */
    static List<Path> logFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses every line of every file; fails on a line that is not one complete JSON object. */
    static List<JsonNode> lines(Path dir) {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : logFiles(dir)) {
            try {
                byte[] bytes = Files.readAllBytes(f);
                assertThat(bytes.length == 0 || bytes[bytes.length - 1] == '\n')
                        .as("%s ends with a complete line", f.getFileName()).isTrue();
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
                    if (!line.isEmpty()) {
                        JsonNode n = JSON.readTree(line);
                        assertThat(n.isObject()).as("line %s", line).isTrue();
                        assertThat(n.get("prediction_id").asText()).as("line %s", line).startsWith("p-");
                        out.add(n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(f + " has a line that is not JSON", e);
            }
        }
        return out;
    }

    static List<String> ids(List<JsonNode> lines) {
        return lines.stream().map(n -> n.get("prediction_id").asText()).toList();
    }

    static String id(int i) {
        return String.format("p-%06d", i);
    }

    /** Waits until the writer has accounted for {@code n} records (a guard, not a timing assertion). */
    static void awaitProcessed(JsonLinesInferenceLog log, long n) {
        await(() -> log.written() + log.dropped() >= n,
                () -> "written " + log.written() + " + dropped " + log.dropped() + " never reached " + n);
    }

    static void await(BooleanSupplier condition, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Nested
    @DisplayName("format")
    class Format {
        @Test
        @DisplayName("writes one JSON object per line with every field, which Jackson parses back")
        void linesParseBack() throws IOException {
            Path dir = tmp.resolve("log");
            Map<String, Object> mapInput = new LinkedHashMap<>();
            mapInput.put("temp", 12.5);
            mapInput.put("city", "seattle \"north\"\nside");
            try (JsonLinesInferenceLog log = builder(dir).build()) {
                assertThat(log.offer(record(1))).isTrue();
                assertThat(log.offer(new InferenceRecord(id(2), T0, RAIN_3, Prediction.Route.CHALLENGER,
                        mapInput, new double[] {0.1, Double.NaN}, 7))).isTrue();
                assertThat(log.offer(new InferenceRecord(id(3), T0, ModelRef.version("rain", 2), Prediction.Route.FALLBACK,
                        List.of(1, 2, 3), null, 0))).isTrue();
            }
            List<JsonNode> lines = lines(dir);
            assertThat(lines).hasSize(3);

            JsonNode a = lines.get(0);
            assertThat(a.get("schema_version").asInt()).isEqualTo(1);
            assertThat(a.get("prediction_id").asText()).isEqualTo(id(1));
            assertThat(Instant.parse(a.get("time").asText())).isEqualTo(T0.plusMillis(1));
            assertThat(a.get("model").asText()).isEqualTo("rain");
            assertThat(a.get("version").asInt()).isEqualTo(3);
            assertThat(a.get("route").asText()).isEqualTo("primary");
            assertThat(a.get("input")).isEqualTo(JSON.readTree("{\"temp\":1.0,\"city\":\"seattle\",\"hours\":[1,2]}"));
            assertThat(a.get("output")).isEqualTo(JSON.readTree("{\"rain\":0.25}"));
            assertThat(a.get("latency_ns").asLong()).isEqualTo(1001);

            JsonNode b = lines.get(1);
            assertThat(b.get("route").asText()).isEqualTo("challenger");
            assertThat(b.get("input").get("city").asText()).isEqualTo("seattle \"north\"\nside");
            assertThat(b.get("output").get(0).asDouble()).isEqualTo(0.1);
            assertThat(b.get("output").get(1).asText()).as("NaN is written as a string").isEqualTo("NaN");

            JsonNode c = lines.get(2);
            assertThat(c.get("version").asInt()).isEqualTo(2);
            assertThat(c.get("route").asText()).isEqualTo("fallback");
            assertThat(c.get("input")).isEqualTo(JSON.readTree("[1,2,3]"));
            assertThat(c.has("output")).as("a null output is written as null, not left out").isTrue();
            assertThat(c.get("output").isNull()).isTrue();
        }

        @Test
        @DisplayName("writes every record it accepts, in order: sampling is the service's job, not the log's")
        void noSampling() {
            Path dir = tmp.resolve("log");
            try (JsonLinesInferenceLog log = builder(dir).queueCapacity(2_000).build()) {
                for (int i = 0; i < 1_000; i++) {
                    assertThat(log.offer(record(i))).isTrue();
                }
                awaitProcessed(log, 1_000);
                assertThat(log.written()).isEqualTo(1_000);
                assertThat(log.dropped()).isZero();
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                expected.add(id(i));
            }
            assertThat(ids(lines(dir))).containsExactlyElementsOf(expected);
        }

        @Test
        @DisplayName("writes a value Jackson cannot serialize as its toString() text, keeps the record and counts it")
        void unserializable() {
            Path dir = tmp.resolve("log");
            try (JsonLinesInferenceLog log = builder(dir).build()) {
                log.offer(new InferenceRecord(id(1), T0, RAIN_3, Prediction.Route.PRIMARY, new Broken(), 1.0, 5));
                log.offer(new InferenceRecord(id(2), T0, RAIN_3, Prediction.Route.PRIMARY, "ok", new Object(), 5));
                awaitProcessed(log, 2);
                assertThat(log.written()).isEqualTo(2);
                assertThat(log.unserializable()).isEqualTo(2);
                assertThat(log.dropped()).isZero();
            }
            List<JsonNode> lines = lines(dir);
            assertThat(lines.get(0).get("input").asText()).isEqualTo("Broken!");
            assertThat(lines.get(0).get("output").asDouble()).isEqualTo(1.0);
            assertThat(lines.get(1).get("input").asText()).isEqualTo("ok");
            assertThat(lines.get(1).get("output").asText()).startsWith("java.lang.Object@");
        }
    }

    /** A bean whose getter throws: Jackson cannot serialize it. */
    public static final class Broken {
        public int getValue() {
            throw new IllegalStateException("boom");
        }

        @Override
        public String toString() {
            return "Broken!";
        }
    }

    @Nested
    @DisplayName("rotation and retention")
    class Rotation {
        /** Length in bytes of the line of record(i) for any i of the same width. */
        long lineLength() throws IOException {
            Path probe = tmp.resolve("probe");
            try (JsonLinesInferenceLog log = builder(probe).build()) {
                log.offer(record(100));
            }
            return Files.size(logFiles(probe).get(0));
        }

        @Test
        @DisplayName("starts a new file before one would exceed maxFileBytes and keeps only the newest maxFiles")
        void rotatesAndRetains() throws IOException {
            long line = lineLength();
            Path dir = tmp.resolve("log");
            Files.createDirectories(dir);
            // Two files of an earlier run: counted for retention and numbered before the new ones.
            Files.writeString(dir.resolve("inference-20240101T000000Z-000001.jsonl"), "");
            Files.writeString(dir.resolve("inference-20240101T000000Z-000002.jsonl"), "");
            Files.writeString(dir.resolve("notes.txt"), "not a log file");

            try (JsonLinesInferenceLog log = builder(dir).maxFileBytes(4 * line - 1).maxFiles(3).build()) {
                for (int i = 100; i < 120; i++) {
                    log.offer(record(i));
                }
                awaitProcessed(log, 20);
                assertThat(log.written()).isEqualTo(20);
            }
            // 20 records, 3 per file: files 3..9 hold 3,3,3,3,3,3,2 lines; the newest 3 are kept.
            List<Path> files = logFiles(dir);
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                    "inference-20250304T050607Z-000007.jsonl",
                    "inference-20250304T050607Z-000008.jsonl",
                    "inference-20250304T050607Z-000009.jsonl");
            for (Path f : files) {
                assertThat(Files.size(f)).isLessThanOrEqualTo(4 * line - 1);
            }
            assertThat(dir.resolve("notes.txt")).exists();
            List<String> expected = new ArrayList<>();
            for (int i = 112; i < 120; i++) {
                expected.add(id(i));
            }
            assertThat(ids(lines(dir))).containsExactlyElementsOf(expected);
        }

        @Test
        @DisplayName("writes a line longer than maxFileBytes alone in its own file")
        void oversizedLine() {
            Path dir = tmp.resolve("log");
            try (JsonLinesInferenceLog log = builder(dir).maxFileBytes(10).maxFiles(100).build()) {
                for (int i = 0; i < 3; i++) {
                    log.offer(record(i));
                }
            }
            List<Path> files = logFiles(dir);
            assertThat(files).hasSize(3);
            assertThat(ids(lines(dir))).containsExactly(id(0), id(1), id(2));
        }

        @Test
        @DisplayName("continues the file numbering of an earlier run in the same directory")
        void numberingAcrossRestarts() {
            Path dir = tmp.resolve("log");
            for (int run = 0; run < 2; run++) {
                try (JsonLinesInferenceLog log = builder(dir).build()) {
                    log.offer(record(run));
                }
            }
            assertThat(logFiles(dir)).extracting(p -> p.getFileName().toString()).containsExactly(
                    "inference-20250304T050607Z-000001.jsonl", "inference-20250304T050607Z-000002.jsonl");
        }
    }

    @Test
    @DisplayName("8 threads x 10,000 offers: written + dropped == offered, every accepted record on its own intact line")
    void concurrentOffers() throws InterruptedException {
        Path dir = tmp.resolve("log");
        int threads = 8;
        int perThread = 10_000;
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger rejected = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        JsonLinesInferenceLog log = builder(dir).queueCapacity(4096).maxFileBytes(16 * 1024).maxFiles(100_000).build();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    InferenceRecord r = record(base + i);
                    if (log.offer(r)) {
                        accepted.add(r.predictionId());
                    } else {
                        rejected.incrementAndGet();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        log.close();

        assertThat(log.written() + log.dropped()).isEqualTo((long) threads * perThread);
        assertThat(log.dropped()).isEqualTo(rejected.get());
        List<JsonNode> lines = lines(dir);
        assertThat(lines).hasSize((int) log.written());
        List<String> ids = ids(lines);
        assertThat(new HashSet<>(ids)).hasSize(ids.size()).isEqualTo(accepted);
        assertThat(logFiles(dir).size()).as("rotated").isGreaterThan(1);
    }

    @Nested
    @DisplayName("never blocks a request")
    class NeverBlocks {
        /** A stream whose writes wait on a latch: the writer thread is stuck inside the file system. */
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        OutputStream stuck(Path file) throws IOException {
            return new FilterOutputStream(new FileOutputStream(file.toFile(), true)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("interrupted while the disk hung");
                    }
                    out.write(b, off, len);
                }
            };
        }

        @Test
        @DisplayName("offer() returns at once while the writer hangs; a full queue drops exactly the excess")
        void fullQueueWhileStuck() throws InterruptedException {
            Path dir = tmp.resolve("log");
            JsonLinesInferenceLog log = builder(dir).queueCapacity(100).opener(this::stuck).build();
            assertThat(log.offer(record(0))).isTrue();
            assertThat(entered.await(60, TimeUnit.SECONDS)).as("writer reached the disk").isTrue();

            int accepted = 0;
            for (int i = 1; i <= 150; i++) {
                if (log.offer(record(i))) {
                    accepted++;
                }
            }
            // Still stuck: every offer above returned while the writer waited on the latch.
            assertThat(release.getCount()).isEqualTo(1);
            assertThat(log.written()).isZero();
            assertThat(accepted).isEqualTo(100);
            assertThat(log.dropped()).isEqualTo(50);

            release.countDown();
            log.close();
            assertThat(log.written()).isEqualTo(101);
            assertThat(log.dropped()).isEqualTo(50);
            assertThat(lines(dir)).hasSize(101);
        }

        @Test
        @DisplayName("close() waits at most its timeout, then counts what is still queued as dropped")
        void closeIsBounded() {
            Path dir = tmp.resolve("log");
            JsonLinesInferenceLog log = builder(dir).closeTimeout(Duration.ofMillis(50)).opener(this::stuck).build();
            log.offer(record(0));
            try {
                assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            for (int i = 1; i <= 10; i++) {
                assertThat(log.offer(record(i))).isTrue();
            }
            log.close();
            assertThat(log.dropped()).as("the 10 queued records").isGreaterThanOrEqualTo(10);
            assertThat(log.offer(record(11))).as("offer after close").isFalse();
            // The hung write is interrupted by close and fails: that record is lost too.
            awaitProcessed(log, 12);
            assertThat(log.written()).isZero();
            assertThat(log.dropped()).isEqualTo(12);
            assertThat(lines(dir)).isEmpty();
        }
    }

    @Nested
    @DisplayName("survives write failures with requests still served")
    class Failures {
        /** A disk with a byte budget shared by every file: past it, writes fail as on a full disk. */
        final AtomicLong freeBytes = new AtomicLong();

        OutputStream budgeted(Path file) throws IOException {
            return new FilterOutputStream(new FileOutputStream(file.toFile(), true)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    long free = freeBytes.get();
                    if (len > free) {
                        // Like a real full disk: part of the data lands, then the write fails.
                        out.write(b, off, (int) Math.max(0, free));
                        freeBytes.set(0);
                        throw new IOException("No space left on device");
                    }
                    freeBytes.addAndGet(-len);
                    out.write(b, off, len);
                }
            };
        }

        @Test
        @DisplayName("full disk: offers keep being accepted, lost records are counted exactly, writing resumes when space is freed")
        void fullDisk() {
            Path dir = tmp.resolve("log");
            freeBytes.set(2_000);
            JsonLinesInferenceLog log = builder(dir).flushEvery(1).queueCapacity(10_000).opener(this::budgeted).build();
            for (int i = 0; i < 50; i++) {
                assertThat(log.offer(record(i))).as("request %d served", i).isTrue();
            }
            awaitProcessed(log, 50);
            assertThat(log.written()).isPositive();
            assertThat(log.dropped()).isPositive();
            assertThat(log.written() + log.dropped()).isEqualTo(50);
            assertThat(lines(dir)).as("partial line cut back").hasSize((int) log.written());
            assertThat(log.failureBursts()).isEqualTo(1);
            long droppedInOutage = log.dropped();

            freeBytes.set(1_000_000);
            for (int i = 50; i < 100; i++) {
                assertThat(log.offer(record(i))).isTrue();
            }
            awaitProcessed(log, 100);
            assertThat(log.dropped()).as("nothing lost once space is back").isEqualTo(droppedInOutage);
            assertThat(lines(dir)).hasSize((int) log.written());
            assertThat(ids(lines(dir))).contains(id(50), id(99));

            freeBytes.set(0);
            for (int i = 100; i < 110; i++) {
                assertThat(log.offer(record(i))).isTrue();
            }
            awaitProcessed(log, 110);
            assertThat(log.dropped()).isEqualTo(droppedInOutage + 10);
            assertThat(log.failureBursts()).as("one warning per outage").isEqualTo(2);
            log.close();

            assertThat(log.written() + log.dropped()).isEqualTo(110);
            List<JsonNode> lines = lines(dir);
            assertThat(lines).hasSize((int) log.written());
            assertThat(logFiles(dir)).allSatisfy(f -> assertThat(Files.size(f)).as("no empty file left").isPositive());
        }

        @Test
        @DisplayName("a stream closed under the writer: that record is dropped, the next one goes to a new file")
        void closedStream() {
            Path dir = tmp.resolve("log");
            JsonLinesInferenceLog log = builder(dir).flushEvery(1).opener(file -> {
                FileOutputStream real = new FileOutputStream(file.toFile(), true);
                AtomicInteger writes = new AtomicInteger();
                return new FilterOutputStream(real) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (writes.incrementAndGet() == 3) {
                            real.close(); // someone closed the file descriptor
                        }
                        real.write(b, off, len);
                    }
                };
            }).build();
            for (int i = 0; i < 10; i++) {
                assertThat(log.offer(record(i))).isTrue();
                awaitProcessed(log, i + 1);
            }
            log.close();
            // Per file: two writes succeed, the third fails. Records 2, 5 and 8 are lost.
            assertThat(log.written()).isEqualTo(7);
            assertThat(log.dropped()).isEqualTo(3);
            assertThat(ids(lines(dir))).containsExactly(id(0), id(1), id(3), id(4), id(6), id(7), id(9));
            assertThat(logFiles(dir)).hasSize(4);
            assertThat(log.failureBursts()).isEqualTo(3);
        }

        @Test
        @DisplayName("the directory replaced by a file: records dropped and counted; restored, writing resumes")
        void directoryReplaced() throws IOException {
            Path dir = tmp.resolve("log");
            Path moved = tmp.resolve("log-moved");
            // One line per file, so every record needs a new file in the directory.
            JsonLinesInferenceLog log = builder(dir).maxFileBytes(1).maxFiles(1_000).build();
            for (int i = 0; i < 3; i++) {
                log.offer(record(i));
            }
            awaitProcessed(log, 3);
            assertThat(log.written()).isEqualTo(3);

            Files.move(dir, moved);
            Files.writeString(dir, "a file where the directory was");
            for (int i = 3; i < 8; i++) {
                assertThat(log.offer(record(i))).isTrue();
                awaitProcessed(log, i + 1);
            }
            assertThat(log.dropped()).isEqualTo(5);
            assertThat(log.failureBursts()).isEqualTo(1);

            Files.delete(dir);
            for (int i = 8; i < 12; i++) {
                log.offer(record(i));
            }
            log.close();
            assertThat(log.written()).isEqualTo(7);
            assertThat(log.dropped()).isEqualTo(5);
            assertThat(ids(lines(moved))).containsExactly(id(0), id(1), id(2));
            assertThat(ids(lines(dir))).as("directory created again").containsExactly(id(8), id(9), id(10), id(11));
        }

        @Test
        @DisplayName("the directory deleted while a file is open: the log creates it again for the next file")
        void directoryDeleted() throws IOException {
            Path dir = tmp.resolve("log");
            JsonLinesInferenceLog log = builder(dir).maxFileBytes(1).maxFiles(1_000).build();
            log.offer(record(0));
            awaitProcessed(log, 1);
            for (Path f : logFiles(dir)) {
                Files.delete(f);
            }
            Files.delete(dir);
            for (int i = 1; i < 4; i++) {
                log.offer(record(i));
            }
            log.close();
            assertThat(log.written()).isEqualTo(4);
            assertThat(log.dropped()).isZero();
            assertThat(ids(lines(dir))).containsExactly(id(1), id(2), id(3));
        }
    }

    @Nested
    @DisplayName("lifecycle and configuration")
    class Lifecycle {
        @Test
        @DisplayName("an offer after close() is refused and counted; close() is idempotent")
        void offerAfterClose() {
            JsonLinesInferenceLog log = builder(tmp.resolve("log")).build();
            log.offer(record(0));
            log.close();
            log.close();
            assertThat(log.offer(record(1))).isFalse();
            assertThat(log.written()).isEqualTo(1);
            assertThat(log.dropped()).isEqualTo(1);
        }

        @Test
        @DisplayName("the builder rejects each bad value at the call that is wrong")
        void builderFailsFast() throws IOException {
            JsonLinesInferenceLog.Builder b = JsonLinesInferenceLog.builder(tmp);
            assertThatThrownBy(() -> b.maxFileBytes(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFileBytes");
            assertThatThrownBy(() -> b.maxFiles(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFiles");
            assertThatThrownBy(() -> b.queueCapacity(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueCapacity");
            assertThatThrownBy(() -> b.flushEvery(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flushEvery");
            assertThatThrownBy(() -> b.closeTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
            assertThatThrownBy(() -> JsonLinesInferenceLog.builder(null)).isInstanceOf(NullPointerException.class);

            Path file = Files.writeString(tmp.resolve("plain-file"), "x");
            assertThatThrownBy(() -> JsonLinesInferenceLog.builder(file).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("plain-file");
            try (JsonLinesInferenceLog log = builder(tmp.resolve("ok")).build()) {
                assertThatThrownBy(() -> log.offer(null)).isInstanceOf(NullPointerException.class).hasMessage("record");
            }
        }
    }
}
