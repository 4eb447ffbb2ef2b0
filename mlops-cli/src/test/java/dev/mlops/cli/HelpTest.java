package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** Every command explains itself: --help ending with examples that work, and --version. */
class HelpTest {
    private final CliRunner cli = new CliRunner(null);

    @Test
    @DisplayName("a run builds only the command it names; a global option's value is never taken for a command")
    void onlyTheNamedCommandIsBuilt() {
        assertThat(MlopsCommand.commandName(new String[] {"--store", "models", "versions", "list"})).hasValue("versions");
        assertThat(MlopsCommand.commandName(new String[] {"--json", "-q", "--actor", "ci", "alias", "set"})).hasValue("alias");
        assertThat(MlopsCommand.commandName(new String[] {"--store=./r", "verify"})).hasValue("verify");
        assertThat(MlopsCommand.commandName(new String[] {"--help"})).isEmpty();
        assertThat(MlopsCommand.commandName(new String[] {"--", "models"})).isEmpty();
        assertThat(built(MlopsCommand.commandLine(Map.of(), () -> false, new String[] {"--store", "s", "models", "list"})))
                .containsExactly("models");
        assertThat(built(MlopsCommand.commandLine(Map.of(), () -> false, new String[] {"help", "--json", "models"})))
                .containsExactlyInAnyOrder("help", "models");
        // the others are there by name and summary: the list and picocli's suggestions for a
        // misspelt name stay whole
        for (String[] args : List.of(new String[] {"help"}, new String[] {}, new String[] {"--help"})) {
            CommandLine cl = MlopsCommand.commandLine(Map.of(), () -> false, args);
            assertThat(cl.getSubcommands()).as(String.join(" ", args)).hasSize(19);
            assertThat(built(cl)).as(String.join(" ", args)).isSubsetOf("help");
        }
        // a first word that is no command's name (misspelt, or the value of a misspelt option)
        // gets the whole tree, so picocli parses and answers as it always did
        for (String[] args : List.of(new String[] {"modles"}, new String[] {"--stor", "./r", "models", "list"})) {
            assertThat(built(MlopsCommand.commandLine(Map.of(), () -> false, args))).as(String.join(" ", args)).hasSize(19);
        }
    }

    @Test
    @DisplayName("every command is built when named, so no run ever reaches a command that is only a summary")
    void everyNamedCommandIsBuilt() {
        for (String name : MlopsCommand.commandLine(Map.of(), () -> false).getSubcommands().keySet()) {
            assertThat(built(MlopsCommand.commandLine(Map.of(), () -> false, new String[] {"--json", name, "--help"})))
                    .as(name).contains(name);
        }
    }

    @Test
    @DisplayName("the top-level help and the answer to a misspelt command read the same as with every command built")
    void summariesReadAsTheWholeTree() {
        CommandLine whole = MlopsCommand.commandLine(Map.of(), () -> false);
        CommandLine light = MlopsCommand.commandLine(Map.of(), () -> false, new String[] {"--help"});
        assertThat(light.getUsageMessage(CommandLine.Help.Ansi.OFF)).isEqualTo(whole.getUsageMessage(CommandLine.Help.Ansi.OFF));
        for (String[] args : List.of(new String[] {"modles", "list"}, new String[] {"help", "modles"}, new String[] {"help"},
                new String[] {"--stor", "./r", "models", "list"}, new String[] {"--json", "--help"})) {
            answersAsTheWholeTree(args);
        }
    }

    @Test
    @DisplayName("the table that finds a command by name without reading annotations names each command as the command does")
    void commandTableMatchesTheCommands() {
        for (Map.Entry<String, Class<?>> command : MlopsCommand.COMMANDS.entrySet()) {
            CommandLine.Command annotation = command.getValue().getAnnotation(CommandLine.Command.class);
            assertThat(annotation).as(command.getValue().getName()).isNotNull();
            assertThat(annotation.name()).isEqualTo(command.getKey());
            assertThat(annotation.aliases()).as("aliases of %s, which the table would not find", command.getKey()).isEmpty();
        }
    }

    @Test
    @DisplayName("a command built alone answers right and wrong arguments exactly as the whole tree does")
    void aCommandBuiltAloneAnswersAsTheWholeTree() {
        List<String[]> corpus = new ArrayList<>();
        for (String name : MlopsCommand.COMMANDS.keySet()) {
            corpus.add(new String[] {name});
            corpus.add(new String[] {name, "--bogus"});
            corpus.add(new String[] {"--bogus", name});
            corpus.add(new String[] {name, "a", "b", "c", "d"});
            corpus.add(new String[] {"--json", name, "-q", "--help"});
            corpus.add(new String[] {name, "--store"});
            corpus.add(new String[] {"--store", "", name});
            corpus.add(new String[] {name, "verify"});
            corpus.add(new String[] {name, "models", "list"});
            corpus.add(new String[] {name, "--version"});
        }
        for (String[] args : corpus) {
            answersAsTheWholeTree(args);
        }
    }

    /** Runs {@code args} as main does (pages, the light tree) and with every command built: the same exit, out and err. */
    private void answersAsTheWholeTree(String[] args) {
        CliRunner.Result light = cli.raw(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine wholeTree = MlopsCommand.commandLine(Map.of(), () -> false);
        wholeTree.setOut(new PrintWriter(out, true));
        wholeTree.setErr(new PrintWriter(err, true));
        int code = wholeTree.execute(args);
        String what = String.join(" ", args);
        assertThat(light.exitCode()).as(what).isEqualTo(code);
        assertThat(light.out()).as(what).isEqualTo(out.toString());
        assertThat(light.err()).as(what).isEqualTo(err.toString());
    }

    /** The names of the subcommands that are built commands, not summaries only. */
    private static List<String> built(CommandLine cl) {
        List<String> names = new ArrayList<>();
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().userObject() != null) {
                names.add(name);
            }
        });
        return names;
    }

    @Test
    @DisplayName("the summary each command shows in its parent's list is a whole sentence, never cut mid-sentence")
    void summariesAreWholeSentences() {
        List<CommandSpec> commands = new ArrayList<>();
        walk(MlopsCommand.commandLine(Map.of(), () -> false).getCommandSpec(), commands);
        for (CommandSpec command : commands) {
            String[] summary = command.usageMessage().header().length > 0 ? command.usageMessage().header()
                    : command.usageMessage().description();
            assertThat(summary).as("the summary of '%s'", command.qualifiedName()).isNotEmpty();
            assertThat(summary[0].strip()).as("the summary of '%s'", command.qualifiedName()).endsWith(".");
        }
    }

    @Test
    @DisplayName("every command in the tree, help included, ends its help with examples that run it and parse")
    void everyCommandHasAWorkingExample() {
        List<CommandSpec> commands = new ArrayList<>();
        walk(MlopsCommand.commandLine(Map.of(), () -> false).getCommandSpec(), commands);
        CommandLine parser = MlopsCommand.commandLine(Map.of(), () -> false);
        assertThat(commands).extracting(CommandSpec::qualifiedName)
                .contains("mlops", "mlops help", "mlops report", "mlops drift", "mlops datasets register", "mlops alias set")
                .hasSizeGreaterThanOrEqualTo(28);
        for (CommandSpec command : commands) {
            String name = command.qualifiedName();
            List<String> examples = examples(command.usageMessage().footer());
            assertThat(examples).as("examples at the end of the help of '%s'", name).isNotEmpty();
            List<String> path = List.of(name.split(" ")).subList(1, name.split(" ").length);
            for (String example : examples) {
                assertThat(example).as("'%s' example, split at blanks here", name).doesNotContain("'", "\"");
                List<String> words = List.of(example.strip().split("\\s+"));
                assertThat(words.get(0)).as(example).isEqualTo("mlops");
                ParseResult parsed;
                try {
                    parsed = parser.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    throw new AssertionError("the example of '" + name + "' does not parse: " + example + ": " + e.getMessage(), e);
                }
                List<String> ran = new ArrayList<>();
                for (ParseResult sub = parsed.subcommand(); sub != null; sub = sub.subcommand()) {
                    ran.add(sub.commandSpec().name());
                }
                if (!path.isEmpty()) {
                    assertThat(ran).as("commands run by the example of '%s': %s", name, example).startsWith(path.toArray(String[]::new));
                }
            }
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRunner.Result r = cli.raw(args.toArray(String[]::new));
            assertThat(r.exitCode()).as("%s", args).isZero();
            String[] footer = command.usageMessage().footer();
            for (String line : footer) {
                assertThat(line.length()).as("'%s' footer line fits the help width, so picocli does not break it"
                        + " (an example broken by picocli cannot be pasted): %s", name, line)
                        .isLessThan(command.usageMessage().width());
            }
            assertThat(r.out()).as("%s", args).contains("Usage: " + name).contains("Example:")
                    .endsWith(footer[footer.length - 1] + System.lineSeparator());
        }
    }

    private static void walk(CommandSpec spec, List<CommandSpec> out) {
        out.add(spec);
        spec.subcommands().values().stream().map(CommandLine::getCommandSpec).distinct().forEach(sub -> walk(sub, out));
    }

    /** The example commands after the footer's {@code Example:} line; a trailing backslash continues a line. */
    private static List<String> examples(String[] footer) {
        List<String> lines = List.of(footer);
        int start = lines.indexOf("Example:");
        List<String> examples = new ArrayList<>();
        if (start < 0) {
            return examples;
        }
        StringBuilder current = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (current == null) {
                if (!line.startsWith("  mlops ")) {
                    break;
                }
                current = new StringBuilder();
            }
            boolean continued = line.endsWith("\\");
            current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continued) {
                examples.add(current.toString().strip());
                current = null;
            }
        }
        return examples;
    }

    @Test
    @DisplayName("the root help lists the commands of the issue")
    void rootHelpListsCommands() {
        String help = cli.raw("--help").out();
        for (String c : List.of("models", "versions", "register", "datasets", "alias", "archive", "lineage", "card",
                "verify", "audit", "gc", "drift", "report", "promote", "restore")) {
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
