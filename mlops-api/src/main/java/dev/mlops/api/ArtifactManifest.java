package dev.mlops.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The files of a stored artifact (a model or a dataset): one entry for a single file, one per
 * file for a directory tree. Entries are sorted by path; no two paths may differ only in case,
 * so an artifact exports alike to every filesystem.
 *
 * @param entries the files, sorted by path
 */
public record ArtifactManifest(List<ArtifactEntry> entries) {
    /** Sorts, copies, and rejects duplicate paths. */
    public ArtifactManifest {
        List<ArtifactEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(ArtifactEntry::path));
        Set<String> seen = new HashSet<>();
        for (ArtifactEntry e : sorted) {
            if (!seen.add(e.path().toLowerCase(Locale.ROOT))) {
                throw new InvalidNameException("artifact path " + Names.quote(e.path())
                        + " appears twice (paths are compared ignoring case)");
            }
        }
        // a file and a directory of one name cannot both exist on disk
        for (String p : seen) {
            int slash = p.lastIndexOf('/');
            while (slash > 0) {
                String dir = p.substring(0, slash);
                if (seen.contains(dir)) {
                    throw new InvalidNameException("artifact path " + Names.quote(dir) + " is both a file and a directory");
                }
                slash = dir.lastIndexOf('/');
            }
        }
        entries = List.copyOf(sorted);
    }

    /** @return the total size of all files in bytes */
    public long totalSize() {
        return entries.stream().mapToLong(ArtifactEntry::size).sum();
    }

    /**
     * The artifact's content digest: for a single file, that file's SHA-256 (what
     * {@code sha256sum} prints); otherwise the SHA-256 of the lines {@code path \t sha256 \n} in
     * path order. Identical content gives an identical digest.
     *
     * @return lowercase hex SHA-256
     */
    public String digest() {
        if (entries.size() == 1) {
            return entries.get(0).sha256();
        }
        MessageDigest md = Digests.sha256();
        for (ArtifactEntry e : entries) {
            md.update((e.path() + "\t" + e.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Digests.hex(md.digest());
    }

    /**
     * @param path a relative path
     * @return the entry at that path, if any
     */
    public Optional<ArtifactEntry> entry(String path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst();
    }
}
