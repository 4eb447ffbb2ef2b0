package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A load task")
class LoadTaskTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    private final List<String> discarded = new CopyOnWriteArrayList<>();

    private LoadTask<String> task(LoadTask.Body<String> body) {
        return new LoadTask<>("load-task-test", "rain/2", body, discarded::add);
    }

    @Test
    @DisplayName("hands its result to the waiter and discards nothing; its thread has ended when await returns")
    void result() throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        LoadTask<String> t = task(x -> {
            ran.set(Thread.currentThread());
            return "model";
        });
        t.start();
        assertThat(t.await(LONG)).isEqualTo("model");
        assertThat(ran.get().getName()).isEqualTo("load-task-test");
        assertThat(ran.get().isAlive()).isFalse();
        assertThat(t.abandoned()).isFalse();
        assertThat(t.stuck()).isFalse();
        t.abandon();
        assertThat(t.abandoned()).as("abandoning a finished load changes nothing").isFalse();
        assertThat(discarded).isEmpty();
    }

    @Test
    @DisplayName("passes on what the load threw")
    void failure() {
        LoadTask<String> t = task(x -> {
            throw new IllegalStateException("no such file");
        });
        t.start();
        assertThatThrownBy(() -> t.await(LONG)).isInstanceOf(IllegalStateException.class).hasMessage("no such file");
        assertThat(t.stuck()).isFalse();
    }

    @Test
    @DisplayName("times out: interrupts the load, is stuck until the load returns, then discards its result once")
    void timeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        LoadTask<String> t = task(x -> {
            while (true) {
                try {
                    release.await();
                    return "late";
                } catch (InterruptedException e) {
                    interrupted.countDown(); // ignored, as a stuck native call would
                }
            }
        });
        t.start();
        assertThatThrownBy(() -> t.await(TimeUnit.MILLISECONDS.toNanos(10))).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("rain/2").hasMessageContaining("did not finish within PT0.01S");
        assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("the load was interrupted").isTrue();
        assertThat(t.abandoned()).isTrue();
        assertThat(t.stuck()).isTrue();
        assertThat(discarded).isEmpty();
        release.countDown();
        ServingFixture.awaitTrue(() -> !t.stuck(), "the abandoned load returned");
        assertThat(discarded).containsExactly("late");
    }

    @Test
    @DisplayName("abandoned by another thread wakes its waiter, which learns it was cancelled")
    void abandonedByClose() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        LoadTask<String> t = task(x -> {
            started.countDown();
            new CountDownLatch(1).await(); // until interrupted
            return "never";
        });
        t.start();
        AtomicReference<Throwable> waiter = new AtomicReference<>();
        Thread w = new Thread(() -> {
            try {
                waiter.set(new AssertionError("returned " + t.await(LONG)));
            } catch (Throwable e) {
                waiter.set(e);
            }
        });
        w.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        t.abandon();
        w.join(30_000);
        assertThat(waiter.get()).isInstanceOf(CancellationException.class).hasMessageContaining("abandoned");
        ServingFixture.awaitTrue(() -> !t.stuck(), "the interrupted load ended");
        assertThat(discarded).isEmpty();
    }

    @Test
    @DisplayName("abandons the load when its waiter is interrupted, and keeps the waiter's interrupt")
    void waiterInterrupted() throws Exception {
        LoadTask<String> t = task(x -> {
            new CountDownLatch(1).await(); // until interrupted
            return "never";
        });
        t.start();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> t.await(LONG)).isInstanceOf(CancellationException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(t.abandoned()).isTrue();
        ServingFixture.awaitTrue(() -> !t.stuck(), "the interrupted load ended");
    }
}
