package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelVersion;
import dev.mlops.api.serving.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The striped reference count of a {@link Deployment}: threads acquiring, calling and releasing
 * while the service retires it. Whatever the interleaving, the model is closed exactly once,
 * after the last call returned, and no call starts once it is closed. Bounded by round and call
 * counts, not by time.
 */
@DisplayName("A deployment's reference count")
class DeploymentReferenceCountTest {

    /** Counts calls and closes, and every call made on a closed model or during its close. */
    static final class Guarded implements Model<Integer, Integer> {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger misuse = new AtomicInteger();
        volatile boolean closed;

        @Override
        public Integer predict(Integer input) {
            inside.incrementAndGet();
            try {
                if (closed) {
                    misuse.incrementAndGet();
                }
                return input;
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void close() {
            if (inside.get() != 0) {
                misuse.incrementAndGet();
            }
            closed = true;
            closes.incrementAndGet();
        }
    }

    @Test
    @DisplayName("closes the model once, after its last call, however acquires, releases and the retirement interleave")
    void closesOnceAfterTheLastCall(@TempDir Path root) throws Exception {
        try (ServingFixture f = new ServingFixture(1)) {
            ModelVersion version = f.mlops.models().version("rain", 1);
            ArtifactCache cache = new ArtifactCache(root, VersionSource.of(f.mlops.models()), "t-");
            int threads = 3;
            for (int round = 0; round < 200; round++) {
                Guarded model = new Guarded();
                AtomicInteger told = new AtomicInteger();
                Deployment<Integer, Integer> d = new Deployment<>(version, model, new VersionStats(version.ref()), null,
                        cache, cache.acquire(version), Runnable::run, x -> told.incrementAndGet());
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger calls = new AtomicInteger();
                List<Thread> callers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread c = new Thread(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int i = 0; i < 2_000; i++) {
                            if (!d.tryAcquire()) {
                                return; // retired: a request would re-read the slot and find the successor
                            }
                            try {
                                d.predict(i, null, 1, "");
                                calls.incrementAndGet();
                            } finally {
                                d.release();
                            }
                        }
                    });
                    c.start();
                    callers.add(c);
                }
                start.countDown();
                // retire after a varying share of the calls, sometimes before any
                while (calls.get() < (round % 10) * 100 && callers.stream().anyMatch(Thread::isAlive)) {
                    Thread.onSpinWait();
                }
                d.retire();
                d.retire(); // idempotent
                for (Thread c : callers) {
                    c.join(TimeUnit.SECONDS.toMillis(30));
                }
                assertThat(d.awaitClosed(TimeUnit.SECONDS.toNanos(30))).as("round %d closed", round).isTrue();
                assertThat(model.closes).as("round %d: closed once", round).hasValue(1);
                assertThat(told).hasValue(1);
                assertThat(model.misuse).as("round %d: no call on or during close", round).hasValue(0);
                assertThat(d.tryAcquire()).as("no acquire after close").isFalse();
            }
        }
    }
}
