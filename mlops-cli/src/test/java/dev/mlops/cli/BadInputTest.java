package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Wrong input exits 2 with one line on stderr naming the value, and nothing on stdout. */
class BadInputTest {
    @TempDir
    Path tmp;

    private CliRunner cli;
    private Path model;

    @BeforeEach
    void store() throws IOException {
        cli = new CliRunner(tmp.resolve("store"));
        model = Files.writeString(tmp.resolve("model.bin"), "weights");
        Files.writeString(tmp.resolve("weather.csv"), "a,b\n1,2\n");
        cli.ok("datasets", "register", "weather", "--file", tmp.resolve("weather.csv").toString());
        cli.ok("register", "rain", "--artifact", model.toString());
        Files.createSymbolicLink(tmp.resolve("link.csv"), tmp.resolve("weather.csv"));
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Files.writeString(dir.resolve("w.bin"), "w");
        Files.createSymbolicLink(tmp.resolve("dir-link"), dir);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("uppercase model name", List.of("register", "Rain", "--artifact", "MODEL"), "'Rain'"),
                Arguments.of("path in model name", List.of("register", "../etc", "--artifact", "MODEL"), "'../etc'"),
                Arguments.of("unknown dataset", List.of("register", "rain", "--artifact", "MODEL", "--dataset", "nope/1"), "'nope/1'"),
                Arguments.of("unknown dataset version", List.of("register", "rain", "--artifact", "MODEL", "--dataset", "weather/7"), "'weather/7'"),
                Arguments.of("malformed dataset ref", List.of("register", "rain", "--artifact", "MODEL", "--dataset", "weather"), "'weather'"),
                Arguments.of("metric not a number", List.of("register", "rain", "--artifact", "MODEL", "--metric", "auc=high"), "'high'"),
                Arguments.of("metric NaN", List.of("register", "rain", "--artifact", "MODEL", "--metric", "auc=NaN"), "'NaN'"),
                Arguments.of("metric overflow", List.of("register", "rain", "--artifact", "MODEL", "--metric", "auc=1e999"), "'1e999'"),
                Arguments.of("metric without value", List.of("register", "rain", "--artifact", "MODEL", "--metric", "auc"), "'auc'"),
                Arguments.of("metric given twice", List.of("register", "rain", "--artifact", "MODEL", "--metric", "auc=1", "--metric", "auc=2"), "'auc'"),
                Arguments.of("param without key", List.of("register", "rain", "--artifact", "MODEL", "--param", "=x"), "'=x'"),
                Arguments.of("bad tag key", List.of("register", "rain", "--artifact", "MODEL", "--tag", "Team=x"), "'Team'"),
                Arguments.of("missing artifact", List.of("register", "rain", "--artifact", "NOFILE"), "no-such-file.bin"),
                Arguments.of("missing dataset file", List.of("datasets", "register", "weather", "--file", "NOFILE"), "no-such-file.bin"),
                Arguments.of("unknown parent", List.of("register", "rain", "--artifact", "MODEL", "--retrained-from", "9"), "'rain/9'"),
                Arguments.of("--artifact missing", List.of("register", "rain"), "--artifact"),
                Arguments.of("unknown option", List.of("register", "rain", "--artifact", "MODEL", "--colour", "red"), "--colour"),
                Arguments.of("unknown command", List.of("deploy", "rain"), "deploy"),
                Arguments.of("unknown model", List.of("models", "show", "snow"), "'snow'"),
                Arguments.of("unknown version", List.of("versions", "show", "rain/5"), "rain/5"),
                Arguments.of("unknown alias", List.of("versions", "show", "rain@production"), "'production'"),
                Arguments.of("alias on missing version", List.of("alias", "set", "rain/5", "--alias", "production"), "rain/5"),
                Arguments.of("rollback of an alias never set", List.of("alias", "rollback", "rain", "--alias", "staging"), "'staging'"),
                Arguments.of("version not a number", List.of("alias", "set", "rain/two", "--alias", "production"), "'rain/two'"),
                Arguments.of("alias set with an alias for a version", List.of("alias", "set", "rain@staging", "--alias", "production"),
                        "NAME/V 'rain@staging' names an alias; alias set takes a version such as rain/4"),
                Arguments.of("alias set with a model for a version", List.of("alias", "set", "rain", "--alias", "production"),
                        "NAME/V 'rain' is not valid: model reference 'rain' is not valid: expected NAME@ALIAS or NAME/VERSION"),
                Arguments.of("alias set without --alias", List.of("alias", "set", "rain/1"), "Missing required option: '--alias=ALIAS'"),
                Arguments.of("alias set in the positional form of earlier builds", List.of("alias", "set", "rain", "production", "1"),
                        "unexpected argument 'production': the alias is given with --alias, as in: mlops alias set rain/1 --alias production"),
                Arguments.of("lineage --dataset, which means 'trained on' elsewhere", List.of("lineage", "--dataset", "weather/1"),
                        "use --users-of weather/1"),
                Arguments.of("alias rollback in the positional form of earlier builds", List.of("alias", "rollback", "rain", "production"),
                        "the alias is given with --alias, as in: mlops alias rollback rain --alias production"),
                Arguments.of("archive an alias", List.of("archive", "rain@production"), "'rain@production'"),
                Arguments.of("lineage of nothing", List.of("lineage"), "--users-of"),
                Arguments.of("lineage of unknown dataset", List.of("lineage", "--users-of", "snow/1"), "snow/1"),
                Arguments.of("bad grace", List.of("gc", "--grace", "soon"), "'soon'"),
                Arguments.of("limit out of range", List.of("versions", "list", "rain", "--limit", "0"), "--limit"),
                Arguments.of("audit --verify with --target", List.of("audit", "--verify", "--target", "rain"), "--target"),
                Arguments.of("no subcommand", List.of("alias"), "subcommand"),
                Arguments.of("metric underflow", List.of("register", "rain", "--artifact", "MODEL", "--metric", "auc=1e-400"), "'1e-400'"),
                Arguments.of("negative metric underflow", List.of("register", "rain", "--artifact", "MODEL", "--metric", "auc=-0.5e-330"), "'-0.5e-330'"),
                Arguments.of("metric-min underflow", List.of("versions", "list", "rain", "--metric-min", "auc=1e-999"), "'1e-999'"),
                Arguments.of("metric-max overflow", List.of("versions", "list", "rain", "--metric-max", "auc=2e308"), "'2e308'"),
                Arguments.of("metric name with a bidi override", List.of("register", "rain", "--artifact", "MODEL", "--metric", "a\u202eb=1"), "U+202E"),
                Arguments.of("metric name with a zero-width space", List.of("register", "rain", "--artifact", "MODEL", "--metric", "auc\u200b=1"), "U+200B"),
                Arguments.of("param name with an escape", List.of("register", "rain", "--artifact", "MODEL", "--param", "l\u001b[2Jr=1"), "U+001B"),
                Arguments.of("param name with a tab", List.of("register", "rain", "--artifact", "MODEL", "--param", "l\tr=1"), "U+0009"),
                Arguments.of("param name with a leading space", List.of("register", "rain", "--artifact", "MODEL", "--param", " lr=1"), "' lr'"),
                Arguments.of("metric-min name with a bidi override", List.of("versions", "list", "rain", "--metric-min", "\u202eauc=1"), "U+202E"),
                Arguments.of("audit target not a name", List.of("audit", "--target", "Bad Name"), "'Bad Name'"),
                Arguments.of("audit target version 0", List.of("audit", "--target", "rain/0"), "'rain/0'"),
                Arguments.of("audit target empty alias", List.of("audit", "--target", "rain@"), "'rain@'"),
                Arguments.of("audit target traversal", List.of("audit", "--target", "../rain"), "'../rain'"),
                Arguments.of("audit target version and alias", List.of("audit", "--target", "rain/1@x"), "'rain/1@x'"),
                Arguments.of("audit target empty", List.of("audit", "--target", ""), "--target"),
                Arguments.of("linked artifact file", List.of("register", "rain", "--artifact", "LINK"), "is a symbolic link to"),
                Arguments.of("linked artifact directory", List.of("register", "rain", "--artifact", "DIRLINK"), "is a symbolic link to"),
                Arguments.of("linked dataset file", List.of("datasets", "register", "weather", "--file", "LINK"), "is a symbolic link to"),
                Arguments.of("empty delimiter", List.of("datasets", "register", "weather", "--file", "CSV", "--delimiter", ""), "--delimiter"),
                Arguments.of("two-character delimiter", List.of("datasets", "register", "weather", "--file", "CSV", "--delimiter", ";;"), "';;'"),
                Arguments.of("quote as delimiter", List.of("datasets", "register", "weather", "--file", "CSV", "--delimiter", "\""), "quote"),
                Arguments.of("newline as delimiter", List.of("datasets", "register", "weather", "--file", "CSV", "--delimiter", "\n"), "line break"),
                Arguments.of("carriage return as delimiter", List.of("datasets", "register", "weather", "--file", "CSV", "--delimiter", "\r"), "line break"),
                Arguments.of("NUL as delimiter", List.of("datasets", "register", "weather", "--file", "CSV", "--delimiter", "\u0000"), "control"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("bad input exits 2 naming the value")
    void exitsTwo(String what, List<String> args, String named) {
        for (boolean json : new boolean[] {false, true}) {
            List<String> a = new ArrayList<>();
            for (String s : args) {
                a.add(switch (s) {
                    case "MODEL" -> model.toString();
                    case "NOFILE" -> tmp.resolve("no-such-file.bin").toString();
                    case "LINK" -> tmp.resolve("link.csv").toString();
                    case "DIRLINK" -> tmp.resolve("dir-link").toString();
                    case "CSV" -> tmp.resolve("weather.csv").toString();
                    default -> s;
                });
            }
            if (json) {
                a.add("--json");
            }
            CliRunner.Result r = cli.run(a.toArray(String[]::new));
            assertThat(r.exitCode()).as("%s: stderr %s", r.args(), r.err()).isEqualTo(2);
            assertThat(r.out()).as("stdout of %s", r.args()).isEmpty();
            assertThat(r.err()).startsWith("mlops: ").contains(named).doesNotContain("\tat ").doesNotContain("Exception")
                    .doesNotContain("NOFOLLOW");
            assertThat(r.err().codePoints()).as("stderr is printable").noneMatch(c -> c != '\n' && Names.isUnsafeToPrint(c));
            assertThat(r.err().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a failed registration leaves no version behind")
    void nothingRegisteredOnBadInput() {
        cli.run("register", "rain", "--artifact", model.toString(), "--dataset", "nope/1");
        cli.run("register", "rain", "--artifact", model.toString(), "--metric", "auc=x");
        assertThat(cli.json("models", "show", "rain").get("latest_version").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("a read command on a missing store directory exits 2 and creates nothing")
    void missingStore() {
        Path absent = tmp.resolve("absent");
        CliRunner.Result r = new CliRunner(absent).run("models", "list");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(absent.toString());
        assertThat(absent).doesNotExist();
    }

    @Test
    @DisplayName("no store given at all exits 2 and names --store and MLOPS_STORE")
    void noStore() {
        CliRunner.Result r = new CliRunner(null).run("models", "list");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--store").contains("MLOPS_STORE");
    }

    @Test
    @DisplayName("a failure that is not bad input exits 1; --debug adds the stack trace")
    void failureExitsOneAndDebugShowsTrace() {
        // nothing to roll back to: a conflict with the state, not bad input
        cli.ok("alias", "set", "rain/1", "--alias", "production");
        CliRunner.Result conflict = cli.run("alias", "rollback", "rain", "--alias", "production");
        assertThat(conflict.exitCode()).as(conflict.err()).isEqualTo(1);
        assertThat(conflict.err()).startsWith("mlops: ").doesNotContain("\tat ");
        CliRunner.Result debug = cli.run("alias", "rollback", "rain", "--alias", "production", "--debug");
        assertThat(debug.exitCode()).isEqualTo(1);
        assertThat(debug.err()).startsWith("mlops: ").contains("\tat ").contains("ConflictException");
    }
}
