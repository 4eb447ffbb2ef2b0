package dev.mlops.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file and directory under a root with its size and modification time (directories
 * included: creating and deleting a temporary file changes its directory's mtime, so a writer
 * that cleaned up after itself is still seen). Symbolic links are recorded, not followed.
 *
 * @param entries relative path to "type size mtime-nanos"
 */
record TreeSnapshot(Map<String, String> entries) {

    static TreeSnapshot of(Path root) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return new TreeSnapshot(m);
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    String type = a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : a.isRegularFile() ? "f" : "o";
                    long mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
                    // a directory's size is its listing's size on ext4, which the mtime already covers
                    m.put(root.relativize(p).toString(), type + " " + (a.isDirectory() ? 0 : a.size()) + " " + mtime);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TreeSnapshot(m);
    }

    /** @return a readable list of what differs, empty when equal */
    String diff(TreeSnapshot after) {
        StringBuilder sb = new StringBuilder();
        TreeMap<String, String> all = new TreeMap<>(entries);
        after.entries.forEach(all::putIfAbsent);
        for (String k : all.keySet()) {
            String a = entries.get(k);
            String b = after.entries.get(k);
            if (a == null) {
                sb.append("  new: ").append(k).append(" (").append(b).append(")\n");
            } else if (b == null) {
                sb.append("  gone: ").append(k).append('\n');
            } else if (!a.equals(b)) {
                sb.append("  changed: ").append(k).append(" ").append(a).append(" -> ").append(b).append('\n');
            }
        }
        return sb.toString();
    }
}
