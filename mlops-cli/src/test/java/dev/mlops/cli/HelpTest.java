package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command explains itself: --help with a usage example, and --version. */
class HelpTest {
    private final CliRunner cli = new CliRunner(null);

    @Test
    @DisplayName("every command and subcommand has --help with an example in the footer")
    void everyCommandHasHelpWithExample() {
        List<List<String>> paths = new ArrayList<>();
        collect(MlopsCommand.commandLine(Map.of(), () -> false), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThanOrEqualTo(20);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRunner.Result r = cli.raw(args.toArray(String[]::new));
            assertThat(r.exitCode()).as("%s", args).isZero();
            assertThat(r.out()).as("%s", args).startsWith("Usage: mlops").contains("Example:")
                    .containsPattern("mlops (--store \\./registry|drift) ");
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }

    @Test
    @DisplayName("the root help lists the commands of the issue")
    void rootHelpListsCommands() {
        String help = cli.raw("--help").out();
        for (String c : List.of("models", "versions", "register", "datasets", "alias", "archive", "lineage", "card",
                "verify", "audit", "gc", "drift")) {
            assertThat(help).containsPattern("(?m)^  " + c + " ");
        }
    }

    @Test
    @DisplayName("--version prints the tool's version")
    void version() {
        CliRunner.Result r = cli.raw("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("mlops ").doesNotContain("${").contains("Java ");
    }

    @Test
    @DisplayName("no command at all exits 2 and points to --help")
    void noCommand() {
        CliRunner.Result r = cli.raw();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mlops: a command is required (see 'mlops --help')" + System.lineSeparator());
    }
}
