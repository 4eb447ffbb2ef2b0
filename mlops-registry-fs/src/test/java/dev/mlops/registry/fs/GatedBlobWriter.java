package dev.mlops.registry.fs;

import dev.mlops.api.store.BlobInfo;
import dev.mlops.registry.tck.process.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM that stores one big blob and stops in the middle of it, so its temp file sits in
 * the store while the test looks. Arguments: store directory, gate directory, size in MiB. It
 * prints {@code writing PID} (its process id as it sees it, in its own PID namespace) once the
 * first MiB is written, waits until the file {@code go} appears in the gate directory (bounded
 * by a count of polls), writes the rest and prints {@code put SHA256 SIZE}; on a failure it
 * prints {@code error EXCEPTION} and exits 1.
 */
public final class GatedBlobWriter {
    /** The seed of {@link Payloads#stream(long, long)} the blob is made of. */
    public static final long SEED = 11;
    private static final int MAX_POLLS = 60_000;

    private GatedBlobWriter() {
    }

    /** @param args store directory, gate directory, size in MiB */
    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        Path go = Path.of(args[1]).resolve("go");
        long size = Long.parseLong(args[2]) << 20;
        try (FileSystemStore s = FileSystemStore.open(store)) {
            BlobInfo info = s.putBlob(new Gated(Payloads.stream(size, SEED), 1 << 20, go));
            System.out.println("put " + info.sha256() + " " + info.size());
        } catch (Exception | Error e) {
            System.out.println("error " + e);
            System.exit(1);
        }
    }

    /** Delivers {@code before} bytes, announces itself, then waits for the gate before the rest. */
    private static final class Gated extends InputStream {
        private final InputStream in;
        private final Path go;
        private long before;

        Gated(InputStream in, long before, Path go) {
            this.in = in;
            this.before = before;
            this.go = go;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (before == 0) {
                before = -1;
                System.out.println("writing " + ProcessHandle.current().pid());
                System.out.flush();
                for (int i = 0; !Files.exists(go); i++) {
                    if (i > MAX_POLLS) {
                        throw new IOException("no go signal in " + go);
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for " + go, e);
                    }
                }
            }
            int n = in.read(b, off, before > 0 ? (int) Math.min(len, before) : len);
            if (n > 0 && before > 0) {
                before -= n;
            }
            return n;
        }
    }
}
