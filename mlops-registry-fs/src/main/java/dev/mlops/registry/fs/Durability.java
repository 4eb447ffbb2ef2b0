package dev.mlops.registry.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seam through which every flush to stable storage goes, so a test can make a flush fail
 * and show that the operation fails and the previous state survives. Production code uses
 * {@link #SYSTEM}.
 */
interface Durability {

    /** Flushes with {@link FileChannel#force(boolean) force(true)}. */
    Durability SYSTEM = new SystemDurability();

    /**
     * Flushes a file's content and metadata.
     *
     * @param channel an open channel on {@code file}
     * @param file the file, for messages
     * @throws IOException if the flush fails; the caller fails its operation and never retries
     */
    void forceFile(FileChannel channel, Path file) throws IOException;

    /**
     * Flushes a directory, so that names created, renamed or removed in it survive a crash.
     *
     * @param dir the directory
     * @throws IOException if the flush fails; the caller fails its operation and never retries
     */
    void forceDirectory(Path dir) throws IOException;

    /** The real thing. */
    final class SystemDurability implements Durability {
        private static final Logger LOG = LoggerFactory.getLogger(SystemDurability.class);
        private static final boolean WINDOWS =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        private static volatile boolean warned;

        private SystemDurability() {
        }

        @Override
        public void forceFile(FileChannel channel, Path file) throws IOException {
            channel.force(true);
        }

        /**
         * Opens the directory for reading and forces it. On Windows a directory cannot be opened
         * as a file channel (the open throws {@code AccessDeniedException}); there, and only
         * for that failure of the open, the flush is skipped: NTFS journals its metadata, so a
         * completed rename is not lost the way an unflushed directory entry can be on Linux.
         * A failure of {@code force} itself always propagates.
         */
        @Override
        public void forceDirectory(Path dir) throws IOException {
            FileChannel channel;
            try {
                channel = FileChannel.open(dir, StandardOpenOption.READ);
            } catch (IOException e) {
                if (WINDOWS) {
                    if (!warned) {
                        warned = true;
                        LOG.info("directories cannot be opened for flushing on this platform ({}); relying on"
                                + " the file system's metadata journal for renames", e.toString());
                    }
                    return;
                }
                throw e;
            }
            try (channel) {
                channel.force(true);
            }
        }
    }
}
