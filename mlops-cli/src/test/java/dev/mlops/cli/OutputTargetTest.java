package dev.mlops.cli;


import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Names;
import dev.mlops.api.testing.SpecialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every output option of every command ({@code drift --html}, {@code report --html},
 * {@code report --json-file}, {@code card --html}, {@code card --markdown}) on real targets: a
 * new path and a regular file are written; a directory, a FIFO, null and full character
 * devices, a symbolic link (dangling or not), an input of the command (by another
 * spelling or a hard link) and a file inside the store are refused with exit 2 and left as they
 * were; {@code -} is standard output.
 */
@DisplayName("output options: regular files or new paths only, never an input, - for stdout")
class OutputTargetTest {
    private static final String CSV_REF = "a,b\n1,x\n2,y\n3,x\n4,y\n5,x\n";
    private static final String CSV_CUR = "a,b\n7,x\n8,y\n9,y\n10,y\n11,y\n";

    @TempDir
    Path tmp;

    private Path ref;
    private Path cur;
    private Path store;
    private CliRunner cli;

    /**
     * One output option of one command.
     *
     * @param command the command and option, as a test name
     * @param option the output option
     * @param start how the written document starts
     */
    record Output(String command, String option, String start) {
        @Override
        public String toString() {
            return command;
        }
    }

    static Stream<Output> outputs() {
        return Stream.of(
                new Output("drift --html", "--html", "<!DOCTYPE html>"),
                new Output("report --html", "--html", "<!DOCTYPE html>"),
                new Output("report --json-file", "--json-file", "{"),
                new Output("card --html", "--html", "<!DOCTYPE html>"),
                new Output("card --markdown", "--markdown", "# "));
    }

    @BeforeEach
    void files() throws IOException {
        ref = Files.writeString(tmp.resolve("ref.csv"), CSV_REF);
        cur = Files.writeString(tmp.resolve("cur.csv"), CSV_CUR);
        store = tmp.resolve("store");
        cli = new CliRunner(store);
        Path model = Files.writeString(tmp.resolve("model.bin"), "weights");
        cli.ok("-q", "register", "rain", "--artifact", model.toString(), "--metric", "auc=0.9");
    }

    /** The command line writing {@code o} to {@code target}, plus {@code extra}. */
    private List<String> args(Output o, String target, String... extra) {
        List<String> a = new ArrayList<>();
        if (o.command().startsWith("card")) {
            a.addAll(List.of("card", "rain/1"));
        } else {
            a.addAll(List.of(o.command().split(" ")[0], "--reference", ref.toString(), "--current", cur.toString()));
        }
        a.add(o.option());
        a.add(target);
        a.addAll(List.of(extra));
        return a;
    }

    private CliRunner.Result run(Output o, String target, String... extra) {
        return cli.run(args(o, target, extra).toArray(String[]::new));
    }

    /** Exit 2, one line on stderr naming the option and {@code words}, nothing on stdout. */
    private static void refused(CliRunner.Result r, String option, String... words) {
        assertThat(r.exitCode()).as("exit code of %s; stderr: %s", r.args(), r.err()).isEqualTo(2);
        assertThat(r.out()).as("stdout of %s", r.args()).isEmpty();
        assertThat(r.err()).startsWith("mlops: ").contains(option).contains(words).doesNotContain("\tat ")
                .doesNotContain("Exception");
        assertThat(r.err().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
    }

    private void inputsUntouched() throws IOException {
        assertThat(Files.readString(ref)).isEqualTo(CSV_REF);
        assertThat(Files.readString(cur)).isEqualTo(CSV_CUR);
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }



    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    @DisplayName("a new path is created and a regular file replaced, whole")
    void writesNewPathAndRegularFile(Output o) throws IOException {
        Path target = tmp.resolve("out");
        CliRunner.Result first = run(o, target.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.readString(target)).startsWith(o.start());
        Files.writeString(target, "an older file");
        CliRunner.Result second = run(o, target.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(Files.readString(target)).startsWith(o.start());
        assertThat(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)).isTrue();
        inputsUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    @DisplayName("null and full devices are refused and stay character devices (run as root, they could be replaced)")
    void refusesDevices(Output o) throws Exception {
        for (Path device : SpecialFiles.devices(tmp)) {
            refused(run(o, device.toString()), o.option(), Names.quote(device.toString()) + ": it is a character device");
            assertThat(SpecialFiles.type(device)).as(device.toString()).isEqualTo(SpecialFiles.CHARACTER_DEVICE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    @DisplayName("a FIFO is refused and stays a FIFO")
    void refusesFifo(Output o) throws Exception {
        Path fifo = SpecialFiles.fifo(tmp.resolve("pipe"));
        refused(run(o, fifo.toString()), o.option(), "is a FIFO");
        assertThat(SpecialFiles.type(fifo)).isEqualTo(SpecialFiles.FIFO);
        inputsUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    @DisplayName("a directory is refused")
    void refusesDirectory(Output o) throws IOException {
        Path d = Files.createDirectory(tmp.resolve("out"));
        refused(run(o, d.toString()), o.option(), "is a directory");
        assertThat(d).isEmptyDirectory();
        refused(run(o, tmp.resolve("absent/out.html").toString()), o.option(), "does not exist");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    @DisplayName("a symbolic link is refused, also a dangling one: the link stays, nothing is written where it points")
    void refusesSymlinks(Output o) throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "keep me");
        Path link = Files.createSymbolicLink(tmp.resolve("out.link"), victim);
        refused(run(o, link.toString()), o.option(), "is a symbolic link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(victim)).isEqualTo("keep me");

        Path nowhere = tmp.resolve("nowhere.html");
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.link"), nowhere);
        refused(run(o, dangling.toString()), o.option(), "is a symbolic link", "does not exist");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(nowhere).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    @DisplayName("an output inside a symbolically linked directory is written: the link is above the target")
    void writesThroughLinkedDirectory(Output o) throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path linked = Files.createSymbolicLink(tmp.resolve("linked"), real);
        CliRunner.Result r = run(o, linked.resolve("out").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(real.resolve("out"))).startsWith(o.start());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    @DisplayName("- writes the document alone to stdout; with --json it is refused")
    void stdout(Output o) {
        CliRunner.Result r = run(o, "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith(o.start());
        assertThat(tmp.resolve("-")).doesNotExist();
        if (!o.start().equals("{")) {
            assertThat(r.out()).doesNotContain("wrote ").doesNotContain("dataset drift:");
        } else {
            assertThat(r.json().get("columns")).isNotNull();
        }
        refused(run(o, "-", "--json"), o.option(), "--json");
    }

    @Test
    @DisplayName("drift and report refuse to write over --reference or --current: same path, ../ path, hard link")
    void refusesInputs() throws IOException {
        Path hardLink = Files.createLink(tmp.resolve("hard.csv"), cur);
        Files.createDirectory(tmp.resolve("sub"));
        for (Output o : outputs().filter(x -> !x.command().startsWith("card")).toList()) {
            refused(run(o, ref.toString()), o.option(), "is the same file as --reference");
            refused(run(o, tmp.resolve("sub/../cur.csv").toString()), o.option(), "is the same file as --current");
            refused(run(o, hardLink.toString()), o.option(), "is the same file as --current");
            inputsUntouched();
        }
    }

    @Test
    @DisplayName("card refuses to write inside the store directory, by any spelling")
    void cardRefusesStore() throws IOException {
        Path format = store.resolve("FORMAT");
        Files.createDirectory(tmp.resolve("sub"));
        byte[] before = Files.readAllBytes(format);
        for (Output o : outputs().filter(x -> x.command().startsWith("card")).toList()) {
            refused(run(o, format.toString()), o.option(), "is inside the store directory");
            refused(run(o, tmp.resolve("sub/../store/card.html").toString()), o.option(), "inside the store");
            assertThat(store.resolve("card.html")).doesNotExist();
        }
        assertThat(Files.readAllBytes(format)).isEqualTo(before);
    }

    @Test
    @DisplayName("two outputs of one command may not be one file or both stdout")
    void twoOutputsOneFile() throws IOException {
        Path out = tmp.resolve("out");
        List<List<String>> both = List.of(
                List.of("report", "--reference", ref.toString(), "--current", cur.toString(), "--html", "OUT",
                        "--json-file", "OUT2"),
                List.of("card", "rain/1", "--html", "OUT", "--markdown", "OUT2"));
        for (List<String> template : both) {
            for (String[] pair : new String[][] {{out.toString(), out.toString()},
                    {out.toString(), tmp.resolve("sub/../out").toString()}, {"-", "-"}}) {
                Files.createDirectories(tmp.resolve("sub"));
                CliRunner.Result r = cli.run(template.stream()
                        .map(s -> s.equals("OUT") ? pair[0] : s.equals("OUT2") ? pair[1] : s).toArray(String[]::new));
                refused(r, "--html", "name the same");
                assertThat(out).doesNotExist();
            }
        }
        Files.writeString(out, "old");
        Path hard = Files.createLink(tmp.resolve("hard"), out);
        refused(cli.run("card", "rain/1", "--html", out.toString(), "--markdown", hard.toString()), "--html",
                "name the same");
        assertThat(Files.readString(out)).isEqualTo("old");
    }

    @Test
    @DisplayName("one output on stdout, the other in a file: both written, nothing else on stdout")
    void stdoutAndFile() throws IOException {
        Path md = tmp.resolve("card.md");
        CliRunner.Result r = cli.run("card", "rain/1", "--html", "-", "--markdown", md.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("<!DOCTYPE html>").doesNotContain("wrote model card");
        assertThat(Files.readString(md)).startsWith("# ");
    }
}
