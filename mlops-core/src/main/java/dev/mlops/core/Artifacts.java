package dev.mlops.core;

import dev.mlops.api.Artifact;
import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.Store;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Moves artifact files into the store and back out. Every path is checked before the first blob
 * is written, so a rejected artifact leaves nothing behind; files are opened without following
 * links, so a file swapped for a link after the check is refused too.
 */
final class Artifacts {
    private final Store store;

    Artifacts(Store store) {
        this.store = store;
    }

    /** One file to store: its path inside the artifact and where to read it. */
    private record Source(String path, Path file, byte[] bytes) {
        InputStream open() throws IOException {
            return bytes != null ? new ByteArrayInputStream(bytes)
                    : Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.READ);
        }
    }

    ArtifactManifest store(Artifact artifact) {
        List<Source> sources = plan(artifact);
        List<ArtifactEntry> entries = new ArrayList<>(sources.size());
        for (Source s : sources) {
            entries.add(put(s));
        }
        return new ArtifactManifest(entries);
    }

    BlobInfo putBytes(byte[] content) {
        return store.putBlob(new ByteArrayInputStream(content));
    }

    private ArtifactEntry put(Source s) {
        try (InputStream in = s.open()) {
            BlobInfo info = store.putBlob(in);
            return new ArtifactEntry(s.path(), info.sha256(), info.size());
        } catch (IOException e) {
            throw new StorageException("cannot read artifact file " + s.path() + ": " + e.getMessage(), e);
        }
    }

    /** Lists and validates every file, writing nothing. */
    private static List<Source> plan(Artifact artifact) {
        if (artifact instanceof Artifact.BytesArtifact b) {
            return List.of(new Source(Names.requireValidPath(b.fileName()), null, b.content()));
        }
        if (artifact instanceof Artifact.FileArtifact f) {
            Path file = f.file();
            requireSource("artifact file", file, false);
            Path name = file.getFileName();
            return List.of(new Source(Names.requireValidPath(name == null ? "" : name.toString()), file, null));
        }
        Path root = ((Artifact.DirectoryArtifact) artifact).directory();
        requireSource("artifact directory", root, true);
        List<Source> sources = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root)) {
                        Names.requireValidPath(relative(root, dir));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String rel = relative(root, file);
                    if (attrs.isSymbolicLink()) {
                        throw new InvalidNameException("artifact entry " + Names.quote(rel)
                                + " is a symbolic link; links are refused because they can point outside the"
                                + " artifact directory (copy the file instead)");
                    }
                    if (!attrs.isRegularFile()) {
                        throw new InvalidNameException("artifact entry " + Names.quote(rel)
                                + " is not a regular file or directory");
                    }
                    sources.add(new Source(Names.requireValidPath(rel), file, null));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new StorageException("cannot list artifact directory " + root + ": " + e.getMessage(), e);
        }
        if (sources.isEmpty()) {
            throw new ValidationException("artifact directory " + root + " contains no files");
        }
        // duplicate and case-colliding paths are refused here, still before any write
        new ArtifactManifest(sources.stream().map(s -> new ArtifactEntry(s.path(), dev.mlops.api.Digests.EMPTY_SHA256, 0)).toList());
        return sources;
    }

    /**
     * Checks the file or directory a caller names as an artifact or dataset source: it must be
     * one, and not a symbolic link. A link is refused as a link inside an artifact directory
     * is (it could point anywhere, and what was stored would depend on it at that moment);
     * links in the directories above it are followed, as the caller chose them.
     *
     * @param what {@code artifact file}, {@code dataset source}, ..., for the message
     * @throws ValidationException naming the path, and where a link points
     */
    static void requireSource(String what, Path path, boolean directory) {
        String kind = directory ? "directory" : "regular file";
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ValidationException(what + " " + Names.quote(path.toString()) + " does not exist");
        } catch (IOException e) {
            throw new ValidationException(what + " " + Names.quote(path.toString()) + " cannot be read: " + e.getMessage());
        }
        if (a.isSymbolicLink()) {
            String to;
            try {
                to = " to " + Names.quote(Files.readSymbolicLink(path).toString());
            } catch (IOException | UnsupportedOperationException e) {
                to = "";
            }
            throw new ValidationException(what + " " + Names.quote(path.toString()) + " is a symbolic link" + to
                    + (Files.exists(path) ? "" : ", which does not exist")
                    + "; links are refused, as inside an artifact directory: name the " + kind + " itself");
        }
        if (directory ? !a.isDirectory() : !a.isRegularFile()) {
            throw new ValidationException(what + " " + Names.quote(path.toString()) + " is not a " + kind);
        }
    }

    private static String relative(Path root, Path p) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part.toString());
        }
        return sb.toString();
    }

    /** Opens a stored file, refusing at once when the stored size differs from the manifest. */
    InputStream open(ArtifactEntry entry, String owner) {
        BlobInfo info = store.blobInfo(entry.sha256()).orElseThrow(() -> new IntegrityException(
                "blob " + entry.sha256() + " of " + owner + " file " + entry.path() + " is missing from the store"));
        if (info.size() != entry.size()) {
            throw new IntegrityException("blob " + entry.sha256() + " of " + owner + " file " + entry.path()
                    + " is " + info.size() + " bytes, the manifest says " + entry.size());
        }
        return store.openBlob(entry.sha256());
    }

    static ArtifactEntry entry(ArtifactManifest manifest, String path, String owner) {
        return manifest.entry(path).orElseThrow(() -> new NotFoundException(
                owner + " has no artifact file " + Names.quote(path) + "; it has " + manifest.entries().stream()
                        .map(ArtifactEntry::path).limit(20).toList()));
    }

    /** Writes every file to a temporary name, fully read (and so verified), then renames it. */
    Path export(ArtifactManifest manifest, Path target, String owner) {
        try {
            Files.createDirectories(target);
            for (ArtifactEntry e : manifest.entries()) {
                Path dest = target;
                for (String segment : e.path().split("/")) {
                    dest = dest.resolve(segment);
                }
                if (!dest.normalize().startsWith(target.normalize())) {
                    throw new InvalidNameException("artifact path " + Names.quote(e.path()) + " leaves the target");
                }
                Files.createDirectories(dest.getParent());
                Path tmp = dest.resolveSibling("." + dest.getFileName() + ".part-" + UUID.randomUUID());
                try (InputStream in = open(e, owner);
                     OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                    in.transferTo(out);
                } catch (RuntimeException | IOException ex) {
                    Files.deleteIfExists(tmp);
                    throw ex;
                }
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException ex) {
            throw new StorageException("cannot export " + owner + " to " + target + ": " + ex.getMessage(), ex);
        }
        if (manifest.entries().size() == 1) {
            return target.resolve(manifest.entries().get(0).path());
        }
        return target;
    }

    byte[] readAll(String sha256, String what) {
        try (InputStream in = store.openBlob(sha256)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }
}
