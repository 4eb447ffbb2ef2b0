package dev.mlops.core;

import dev.mlops.api.StorageException;
import dev.mlops.api.store.StoreLock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Named shared/exclusive locks within one process, for {@link InMemoryStore}. A waiting exclusive
 * request holds back new shared ones, so a steady stream of shared holders (registrations) cannot
 * starve an exclusive one (garbage collection) for ever.
 */
final class LockTable {
    private final String owner;
    private final Map<String, State> states = new HashMap<>(); // guarded by this
    private final Set<Held> open = new HashSet<>(); // guarded by this
    private boolean closed; // guarded by this

    private static final class State {
        int shared;
        boolean exclusive;
        int exclusiveWaiting;
    }

    /** @param owner names the store in messages */
    LockTable(String owner) {
        this.owner = owner;
    }

    Optional<StoreLock> acquire(String name, StoreLock.Mode mode, Duration wait) {
        StoreLock.requireValidRequest(name, mode, wait);
        long deadline = saturatedDeadline(wait);
        synchronized (this) {
            State s = states.computeIfAbsent(name, n -> new State());
            boolean exclusive = mode == StoreLock.Mode.EXCLUSIVE;
            if (exclusive) {
                s.exclusiveWaiting++;
            }
            try {
                while (!closed && !(exclusive ? !s.exclusive && s.shared == 0 : !s.exclusive && s.exclusiveWaiting == 0)) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return Optional.empty();
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while waiting for lock " + name + " of " + owner, e);
            } finally {
                if (exclusive) {
                    s.exclusiveWaiting--;
                    notifyAll(); // shared requests held back by this one may go now
                }
            }
            if (closed) {
                throw new IllegalStateException(owner + " is closed");
            }
            if (exclusive) {
                s.exclusive = true;
            } else {
                s.shared++;
            }
            Held h = new Held(name, mode);
            open.add(h);
            return Optional.of(h);
        }
    }

    /** Releases every lock still held; later requests fail. */
    synchronized void close() {
        closed = true;
        for (Held h : open) {
            h.released = true;
        }
        open.clear();
        notifyAll();
    }

    private synchronized void release(Held h) {
        if (h.released) {
            return;
        }
        h.released = true;
        open.remove(h);
        State s = states.get(h.name);
        if (h.mode == StoreLock.Mode.EXCLUSIVE) {
            s.exclusive = false;
        } else {
            s.shared--;
        }
        notifyAll(); // states stay in the map: waiters hold them, and the registry uses few names
    }

    private static long saturatedDeadline(Duration wait) {
        long now = System.nanoTime();
        long nanos;
        try {
            nanos = wait.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE / 4;
        }
        return nanos > Long.MAX_VALUE / 4 ? now + Long.MAX_VALUE / 4 : now + nanos;
    }

    private final class Held implements StoreLock {
        private final String name;
        private final Mode mode;
        private boolean released; // guarded by LockTable.this

        Held(String name, Mode mode) {
            this.name = name;
            this.mode = mode;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Mode mode() {
            return mode;
        }

        @Override
        public boolean held() {
            synchronized (LockTable.this) {
                return !released;
            }
        }

        @Override
        public void close() {
            release(this);
        }

        @Override
        public String toString() {
            return mode.name().toLowerCase(java.util.Locale.ROOT) + " lock " + name + " of " + owner;
        }
    }
}
