package dev.mlops.registry.fs;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.IntegrityProblem.Kind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks of the store's own layout, which only a person editing the directory breaks: the
 * {@code FORMAT} file, the four directories, the lock files. Used when a store is opened (a
 * broken layout is refused with a message that says how to recover, never silently started
 * afresh) and by {@link StoreCheck} for a store that is open.
 */
final class LayoutCheck {
    private LayoutCheck() {
    }

    /** How to recover a layout, for messages. */
    static String recovery() {
        return "stop every process using the store, then open it once with the store setting "
                + FileSystemStoreProvider.RECOVER_LAYOUT + "=true (in Java FileSystemStore.openRecoveringLayout(path))";
    }

    /**
     * @return the layout's directories that do not exist
     * @throws IntegrityException if one exists but is not a directory (a link or a file)
     */
    static List<Path> missingDirectories(Layout layout) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d : layout.directories()) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(d, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                missing.add(d);
                continue;
            }
            if (!a.isDirectory()) {
                throw new IntegrityException(notDirectory(layout, d, a));
            }
        }
        return missing;
    }

    private static String notDirectory(Layout layout, Path d, BasicFileAttributes a) {
        return d + " is " + (a.isSymbolicLink() ? "a symbolic link" : "not a directory") + "; the store " + layout.root
                + " needs its own directory there and never follows links (someone replaced it): move it away and"
                + " restore the directory from a backup";
    }

    /**
     * @return the first thing found that only a store that was used holds, relative to the root:
     *     anything but temp files in docs, blobs or journal, or any lock file; empty for a layout
     *     that a crash left while the store was being created
     */
    static Optional<String> firstData(Layout layout) throws IOException {
        for (Path d : layout.directories()) {
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path p : ds) {
                    if (d.equals(layout.locks) || !Layout.isTemp(p.getFileName().toString())) {
                        return Optional.of(layout.root.relativize(p).toString());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** @return the message for a store that holds data but no FORMAT file */
    static String missingFormat(Layout layout, String found) {
        return "store directory " + layout.root + " holds a store's data (found " + found + ") but no "
                + Layout.FORMAT_FILE + " file " + layout.root.resolve(Layout.FORMAT_FILE) + ": it was deleted or"
                + " lost. That file records the store's format and lock stripe count (expected " + StoreFormat.handWritten()
                + ") and is not written again silently, because processes that stripe differently do not exclude each"
                + " other. If this is an mlops store: " + recovery() + ", or write the file by hand with those lines;"
                + " then verify the store";
    }

    /**
     * A lock file could not be opened because its directory is gone.
     *
     * @return the exception to throw, naming the directory
     */
    static IntegrityException locksRemoved(Layout layout, Path file, IOException cause) {
        return new IntegrityException("cannot open the lock file " + file + ": " + missingDirectories(layout,
                List.of(layout.locks)), cause);
    }

    /** @return the message for a store that lacks directories of its layout */
    static String missingDirectories(Layout layout, List<Path> missing) {
        boolean locks = missing.contains(layout.locks);
        boolean data = missing.stream().anyMatch(d -> !d.equals(layout.locks));
        return "store " + layout.root + " is missing " + (missing.size() == 1 ? "its directory " : "its directories ")
                + missing + " (removed by hand?)."
                + (locks ? " Processes that still have the store open lock files that are gone, so a process that"
                + " opened it now would not be excluded by them." : "")
                + (data ? " What the missing directory held is lost." : "")
                + " The store does not make them again silently: " + recovery() + ", which makes them again, empty;"
                + " then verify the store";
    }

    /**
     * Lock files that contradict the stripe count, or are links, are refused.
     *
     * @param stripes the stripe count in force
     * @param context what is refused, for the message, such as "cannot open store X, whose
     *     FORMAT file says 'lock-stripes 32'"
     * @throws IntegrityException naming the first such lock file
     */
    static void requireStripesWithin(Layout layout, int stripes, String context) throws IOException {
        List<String> found = lockFileProblems(layout, stripes);
        if (!found.isEmpty()) {
            throw new IntegrityException(context + ": " + found.get(0));
        }
    }

    /** @return what is wrong with the lock files, one sentence each */
    private static List<String> lockFileProblems(Layout layout, int stripes) throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.locks)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (Files.isSymbolicLink(p)) {
                    found.add("lock file " + p + " is a symbolic link; the store never makes links, someone placed it:"
                            + " remove it");
                } else if (StoreLocks.stripeOfFileName(name) >= stripes) {
                    found.add("lock file " + p + " exists, which only a store used with more than " + stripes
                            + " lock stripes makes. Processes that stripe differently do not exclude each other: the "
                            + Layout.FORMAT_FILE + " file must give the count the store was used with");
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // reported as a missing directory
        }
        return found;
    }

    /**
     * @param stripes the stripe count the open store uses
     * @return what is wrong with the layout of an open store, as problems no repair fixes
     */
    static List<IntegrityProblem> problems(Layout layout, int stripes) {
        List<IntegrityProblem> problems = new ArrayList<>();
        Path format = layout.root.resolve(Layout.FORMAT_FILE);
        if (!Files.exists(format, LinkOption.NOFOLLOW_LINKS)) {
            problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, Layout.FORMAT_FILE, "the store's format"
                    + " file " + format + " is missing (deleted while the store was open?); processes that open the"
                    + " store now are refused: " + recovery()));
        } else {
            try {
                int onDisk = StoreFormat.read(format);
                if (onDisk != stripes) {
                    problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, Layout.FORMAT_FILE, "the store's"
                            + " format file " + format + " says 'lock-stripes " + onDisk + "', but this process uses "
                            + stripes + ": it was changed while the store was in use, and processes that stripe"
                            + " differently do not exclude each other; restore 'lock-stripes " + stripes + "'"));
                }
            } catch (MlopsException e) {
                problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, Layout.FORMAT_FILE, e.getMessage()));
            }
        }
        for (Path d : layout.directories()) {
            String location = layout.root.relativize(d).toString();
            try {
                BasicFileAttributes a = Files.readAttributes(d, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isDirectory()) {
                    problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, location, notDirectory(layout, d, a)));
                }
            } catch (NoSuchFileException e) {
                problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, location,
                        missingDirectories(layout, List.of(d))));
            } catch (IOException e) {
                problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, location, "cannot inspect " + d + ": " + e));
            }
        }
        try {
            for (String p : lockFileProblems(layout, stripes)) {
                problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, Layout.LOCKS, p));
            }
        } catch (IOException e) {
            problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, Layout.LOCKS, "cannot list " + layout.locks
                    + ": " + e));
        }
        return problems;
    }
}
