package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The recorded help pages say, byte for byte, what picocli says for the same request. */
class HelpPagesTest {

    @Test
    @DisplayName("every command has its page recorded, with and without styles, and each is what picocli prints now")
    void everyCommandsPageIsCurrent() {
        List<List<String>> paths = paths();
        assertThat(paths).hasSizeGreaterThanOrEqualTo(29).contains(List.of(), List.of("models", "list"), List.of("help"));
        for (List<String> path : paths) {
            for (boolean ansi : new boolean[] {false, true}) {
                Optional<String> page = HelpPages.read(path, ansi);
                assertThat(page).as("recorded page of %s, ansi %s (recorded by the build's help-pages step)", path, ansi)
                        .isPresent();
                assertThat(page.get()).as("page of %s, ansi %s", path, ansi).isEqualTo(picocli(withHelp(path), ansi));
            }
            assertThat(HelpPages.read(path, true).get()).as("styled page of %s", path).contains("\u001B[");
            assertThat(HelpPages.read(path, false).get()).as("plain page of %s", path).doesNotContain("\u001B");
        }
    }

    @Test
    @DisplayName("'help COMMAND' and 'help' print the page 'COMMAND --help' and '--help' print, styled or not")
    void helpCommandPrintsTheSamePages() {
        List<List<String>> tops = new ArrayList<>();
        tops.add(List.of());
        paths().stream().filter(p -> p.size() == 1).forEach(tops::add);
        for (List<String> path : tops) {
            List<String> args = new ArrayList<>(List.of("help"));
            args.addAll(path);
            for (boolean ansi : new boolean[] {false, true}) {
                assertThat(HelpPages.requestedPath(args.toArray(String[]::new))).hasValue(path);
                assertThat(HelpPages.read(path, ansi)).as("%s, ansi %s", args, ansi)
                        .hasValue(picocli(args.toArray(String[]::new), ansi));
            }
        }
    }

    @Test
    @DisplayName("only plain help requests are answered from pages; everything else goes to picocli")
    void onlyPlainRequests() {
        assertThat(HelpPages.requestedPath(new String[] {"--help"})).hasValue(List.of());
        assertThat(HelpPages.requestedPath(new String[] {"-h"})).hasValue(List.of());
        assertThat(HelpPages.requestedPath(new String[] {"models", "list", "-h"})).hasValue(List.of("models", "list"));
        assertThat(HelpPages.requestedPath(new String[] {"help", "drift"})).hasValue(List.of("drift"));
        for (String[] args : List.of(new String[] {}, new String[] {"--json", "--help"}, new String[] {"models", "--help", "x"},
                new String[] {"--store", "s", "models", "--help"}, new String[] {"help", "--help"},
                new String[] {"help", "models", "list"}, new String[] {"Models", "--help"}, new String[] {"models", "list"},
                new String[] {"--version"}, new String[] {"", "--help"}, new String[] {"help", "-h"})) {
            assertThat(HelpPages.requestedPath(args)).as(String.join(" ", args)).isEmpty();
        }
        // a request that names no command has no page, and picocli answers it with its error
        assertThat(HelpPages.page(new String[] {"modles", "--help"})).isEmpty();
        assertThat(HelpPages.page(new String[] {"help", "modles"})).isEmpty();
        // a picocli system property may change what picocli prints: picocli answers
        assertThat(HelpPages.page(new String[] {"--help"})).isPresent();
        System.setProperty("picocli.usage.width", "120");
        try {
            assertThat(HelpPages.page(new String[] {"--help"})).isEmpty();
        } finally {
            System.clearProperty("picocli.usage.width");
        }
    }

    private static String[] withHelp(List<String> path) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        return args.toArray(String[]::new);
    }

    private static List<List<String>> paths() {
        return HelpPages.commandPaths();
    }

    private static String picocli(String[] args, boolean ansi) {
        return HelpPages.printed(List.of(args), ansi);
    }
}
