package dev.mlops.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the bytes of a new model version come from. The registry copies them into the store as
 * content-addressed blobs; the source is read once and never modified.
 */
public sealed interface Artifact permits Artifact.FileArtifact, Artifact.DirectoryArtifact, Artifact.BytesArtifact {

    /**
     * A single file; stored under its file name.
     *
     * @param file a regular file
     * @return the artifact
     */
    static Artifact file(Path file) {
        return new FileArtifact(file);
    }

    /**
     * A directory tree; every regular file below it is stored under its relative path.
     * Symbolic links are refused (they could point outside the directory).
     *
     * @param directory a directory
     * @return the artifact
     */
    static Artifact directory(Path directory) {
        return new DirectoryArtifact(directory);
    }

    /**
     * Bytes held in memory, stored as one file.
     *
     * @param fileName the file name to store them under
     * @param content the bytes (copied)
     * @return the artifact
     */
    static Artifact bytes(String fileName, byte[] content) {
        return new BytesArtifact(fileName, content);
    }

    /**
     * A single file.
     *
     * @param file the file
     */
    record FileArtifact(Path file) implements Artifact {
        /** Checks arguments. */
        public FileArtifact {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * A directory tree.
     *
     * @param directory the root
     */
    record DirectoryArtifact(Path directory) implements Artifact {
        /** Checks arguments. */
        public DirectoryArtifact {
            Objects.requireNonNull(directory, "directory");
        }
    }

    /**
     * In-memory bytes.
     *
     * @param fileName stored file name
     * @param content the bytes
     */
    record BytesArtifact(String fileName, byte[] content) implements Artifact {
        /** Checks and copies. */
        public BytesArtifact {
            Names.requireValidPath(fileName);
            content = Objects.requireNonNull(content, "content").clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BytesArtifact b && b.fileName.equals(fileName) && java.util.Arrays.equals(b.content, content);
        }

        @Override
        public int hashCode() {
            return fileName.hashCode() * 31 + java.util.Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return "BytesArtifact[" + fileName + ", " + content.length + " bytes]";
        }
    }
}
