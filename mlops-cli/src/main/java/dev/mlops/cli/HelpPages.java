package dev.mlops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The usage help of every command, as picocli prints it, recorded when the CLI is built and
 * printed from the jar. Help is what a new user runs first, and building the command tree for it
 * costs more than the JVM's own start; a recorded page costs one resource read.
 *
 * <p>{@link #main} records the pages: for each command, what {@code COMMAND... --help} prints,
 * without and with ANSI styles. {@link #page(String[])} answers only the plainest forms of a help
 * request ({@code --help}, {@code -h}, {@code help}, {@code help COMMAND}, {@code COMMAND...
 * --help}); anything else, or any {@code picocli.*} system property (which could change the
 * output), goes to picocli as before. A page that is not ASCII is not recorded, because picocli
 * encodes its output by rules of its own.
 */
final class HelpPages {
    private static final String DIRECTORY = "help/";

    private HelpPages() {
    }

    /**
     * The page {@code args} asks for, as picocli would print it to this process's stdout.
     *
     * @param args the command line
     * @return the page, or empty when the arguments are not a plain help request or no page was
     *     recorded for them
     */
    static Optional<String> page(String[] args) {
        Optional<List<String>> path = requestedPath(args);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        // loops, not streams or lambdas: the first lambda a JVM links costs more than this whole path
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("picocli.")) {
                return Optional.empty();
            }
        }
        return read(path.get(), Ansi.AUTO.enabled());
    }

    /** The command path a plain help request names: empty for the top level. */
    static Optional<List<String>> requestedPath(String[] args) {
        if (args.length == 0) {
            return Optional.empty();
        }
        if (args[0].equals("help") && args.length <= 2) {
            return args.length == 1 ? Optional.of(List.of())
                    : isWord(args[1]) ? Optional.of(List.of(args[1])) : Optional.empty();
        }
        String last = args[args.length - 1];
        if (!last.equals("--help") && !last.equals("-h")) {
            return Optional.empty();
        }
        List<String> path = List.of(args).subList(0, args.length - 1);
        for (String word : path) {
            if (!isWord(word)) {
                return Optional.empty();
            }
        }
        return Optional.of(path);
    }

    /** A command's name: lower-case letters and hyphens, not starting with one. */
    private static boolean isWord(String arg) {
        if (arg.isEmpty() || arg.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if ((c < 'a' || c > 'z') && c != '-') {
                return false;
            }
        }
        return true;
    }

    static Optional<String> read(List<String> path, boolean ansi) {
        try (InputStream in = HelpPages.class.getResourceAsStream(DIRECTORY + fileName(path, ansi))) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("\n", System.lineSeparator()));
        } catch (IOException e) {
            // a jar that cannot be read: picocli will answer, or fail with its own words
            return Optional.empty();
        }
    }

    private static String fileName(List<String> path, boolean ansi) {
        StringBuilder name = new StringBuilder("mlops");
        for (String p : path) {
            name.append('.').append(p);
        }
        return name.append(ansi ? ".ansi.txt" : ".txt").toString();
    }

    /**
     * Records every command's page into a directory (the build gives
     * {@code target/classes/dev/mlops/cli/help}).
     *
     * @param args the directory
     * @throws IOException when a page cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("expected one argument, the directory to write the help pages to; got "
                    + args.length);
        }
        Path directory = Files.createDirectories(Path.of(args[0]));
        List<List<String>> paths = commandPaths();
        int written = 0;
        for (List<String> path : paths) {
            for (boolean ansi : new boolean[] {false, true}) {
                List<String> request = new ArrayList<>(path);
                request.add("--help");
                String page = printed(request, ansi);
                if (StandardCharsets.US_ASCII.newEncoder().canEncode(page)) {
                    Files.writeString(directory.resolve(fileName(path, ansi)), page.replace(System.lineSeparator(), "\n"),
                            StandardCharsets.US_ASCII);
                    written++;
                }
            }
        }
        System.out.println("help pages: " + written + " of " + 2 * paths.size() + " recorded in " + directory);
    }

    /** The path of every command in the tree: the top level (empty), then each command depth first. */
    static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(MlopsCommand.commandLine(Map.of(), () -> false), List.of(), paths);
        return paths;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            collect(sub, List.copyOf(subPath), paths);
        });
    }

    /** What {@code mlops ARGS...} prints on stdout, run by picocli over the whole command tree; it must succeed quietly. */
    static String printed(List<String> args, boolean ansi) {
        CommandLine cl = MlopsCommand.commandLine(Map.of(), () -> false);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi ? Ansi.ON : Ansi.OFF));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        if (code != 0 || !err.toString().isEmpty()) {
            throw new IllegalStateException("mlops " + String.join(" ", args) + " exited with " + code + ": " + err);
        }
        return out.toString();
    }
}
