package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.StorageException;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.ForwardingStore;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.MetricPoint;
import dev.mlops.api.tracking.NewRun;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Run logger")
class RunLoggerTest {

    /** Fails the n-th creation of a metric chunk, once. */
    static final class FailingChunks extends ForwardingStore {
        final AtomicInteger chunksToPass = new AtomicInteger(Integer.MAX_VALUE);

        FailingChunks() {
            super(new InMemoryStore());
        }

        @Override
        public Document create(DocumentKey key, byte[] content) {
            if (key.segments().contains("metrics") && chunksToPass.getAndDecrement() == 0) {
                throw new StorageException("disk full (injected) writing " + key);
            }
            return super.create(key, content);
        }
    }

    @Test
    @DisplayName("a batch the store refused part way is kept, in order, and stored once by the next flush")
    void keepsWhatWasNotStored() {
        FailingChunks store = new FailingChunks();
        try (Mlops mlops = Mlops.builder().store(store).metricBatchSize(10).runHeartbeat(Duration.ZERO).build()) {
            ActiveRun run = mlops.tracking().startRun("rain", NewRun.builder().build());
            for (int step = 0; step < 4; step++) {
                run.logMetric("loss", step, step);
                run.logMetric("acc", step, step);
            }
            // the first chunk (loss) is stored, the second (acc) is refused
            store.chunksToPass.set(1);
            run.logMetric("loss", 4, 4);
            assertThatThrownBy(() -> run.logMetric("acc", 4, 4)).isInstanceOf(StorageException.class);
            assertThat(mlops.tracking().metricHistory(run.id(), "loss")).hasSize(5);
            assertThat(mlops.tracking().metricHistory(run.id(), "acc")).isEmpty();
            run.logMetric("acc", 5, 5);
            run.flush();
            assertThat(mlops.tracking().metricHistory(run.id(), "acc")).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(LongStream.rangeClosed(0, 5).boxed().toList());
            assertThat(mlops.tracking().metricHistory(run.id(), "loss")).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(LongStream.rangeClosed(0, 4).boxed().toList());
            // the latest values of the refused batch reached the run document with the next write
            assertThat(mlops.tracking().run(run.id()).metrics().get("loss").step()).isEqualTo(4);
            assertThat(mlops.tracking().run(run.id()).metrics().get("acc").step()).isEqualTo(5);
            run.close();
        }
    }

    @Test
    @DisplayName("the heartbeat timer beats on its own and stops when the logger closes")
    void heartbeatTimer() throws InterruptedException {
        CountingStore store = new CountingStore();
        try (Mlops mlops = Mlops.builder().store(store).runHeartbeat(Duration.ofMillis(5)).build()) {
            ActiveRun run = mlops.tracking().startRun("rain", NewRun.builder().build());
            // each beat replaces the run document; waits are bounded by a count of polls
            for (int i = 0; i < 2_000 && store.runReplacements.get() < 3; i++) {
                Thread.sleep(5);
            }
            assertThat(store.runReplacements.get()).as("beats while the logger is open").isGreaterThanOrEqualTo(3);
            run.close();
            int afterClose = store.runReplacements.get();
            Thread.sleep(50);
            assertThat(store.runReplacements.get()).isEqualTo(afterClose);
        }
    }

    /** Counts replacements of run documents. */
    static final class CountingStore extends ForwardingStore {
        final AtomicInteger runReplacements = new AtomicInteger();

        CountingStore() {
            super(new InMemoryStore());
        }

        @Override
        public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
            Document d = super.replace(key, expectedRevision, content);
            if (key.segments().size() == 2 && key.segments().get(0).equals("runs")) {
                runReplacements.incrementAndGet();
            }
            return d;
        }
    }
}
