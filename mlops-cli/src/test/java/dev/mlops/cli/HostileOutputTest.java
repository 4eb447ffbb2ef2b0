package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.AttachmentNames;
import dev.mlops.core.Mlops;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile stored text and hostile options: what the CLI prints stays printable, damage is
 * reported as damage (exit 1), and options that cannot work are usage errors (exit 2) in every
 * command that takes them.
 */
@DisplayName("hostile text is escaped, damage is reported, bad options are usage errors")
class HostileOutputTest {
    /** A right-to-left override, an escape sequence that would colour the terminal, a zero-width space. */
    private static final String HOSTILE_VALUE = "abc\u202Edef\u001B[31mred\u200Bend";

    @TempDir
    Path tmp;

    private Path store;
    private CliRunner cli;
    private Path model;

    @BeforeEach
    void store() throws IOException {
        store = tmp.resolve("store");
        cli = new CliRunner(store);
        model = Files.writeString(tmp.resolve("model.bin"), "weights");
    }

    private static void printable(String what, String text) {
        assertThat(text.codePoints()).as("%s is printable: %s", what, text)
                .noneMatch(c -> c != '\n' && c != '\r' && Names.isUnsafeToPrint(c));
    }

    @Test
    @DisplayName("a parameter value with a bidi override, an escape sequence and a zero-width space is stored exactly"
            + " and printed escaped by every command that shows it, tables and JSON alike")
    void parameterValuesAreEscapedOnOutput() {
        cli.ok("-q", "register", "rain", "--artifact", model.toString(), "--param", "note=" + HOSTILE_VALUE,
                "--description", "line one\nline\u2028two \u202Eevil", "--metric", "auc=0.5");
        List<CliRunner.Result> shown = new ArrayList<>();
        for (List<String> args : List.of(List.of("versions", "show", "rain/1"), List.of("versions", "list", "rain"),
                List.of("models", "show", "rain"), List.of("card", "rain/1"), List.of("audit", "--target", "rain"),
                List.of("lineage", "rain/1"))) {
            shown.add(cli.ok(args.toArray(String[]::new)));
            List<String> json = new ArrayList<>(args);
            json.add("--json");
            shown.add(cli.ok(json.toArray(String[]::new)));
        }
        for (CliRunner.Result r : shown) {
            printable(String.join(" ", r.args()), r.out());
        }
        assertThat(shown.get(0).out()).contains("note=abc\\u202edef\\u001b[31mred\\u200bend");
        // JSON output escapes them too, and still means the stored value
        JsonNode v = shown.get(1).json();
        assertThat(v.get("params").get("note").asText()).isEqualTo(HOSTILE_VALUE);
        assertThat(shown.get(1).out()).contains("abc\\u202edef");
        assertThat(v.get("description").asText()).isEqualTo("line one\nline\u2028two \u202Eevil");
    }

    @Test
    @DisplayName("error messages are one printable line even when the value holds control and bidi characters")
    void errorsArePrintable() {
        CliRunner.Result r = cli.run("audit", "--target", "x\u202E\n\u001B[2Jy");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().count()).isEqualTo(1);
        printable("stderr", r.err());
    }

    @Test
    @DisplayName("card over a damaged or unparseable promotion decision: exit 1 naming the attachment and the version,"
            + " nothing on stdout, no file written; never 'No promotion decision recorded'")
    void cardReportsDamagedDecision() throws IOException {
        String decision = """
                { "schemaVersion" : 1, "kind" : "promotion-decision", "candidate" : "rain/2", "alias" : "production",
                  "decidedAt" : "2026-03-01T10:00:00Z", "policy" : "p", "passed" : true,
                  "checks" : [ { "name" : "min:auc", "observed" : 0.9, "required" : ">= 0.5", "verdict" : "PASS",
                                 "detail" : "" } ] }
                """;
        try (Mlops mlops = Mlops.open(store)) {
            mlops.models().register("rain", NewModelVersion.builder().artifact(Artifact.file(model))
                    .attachment(AttachmentNames.decision(1), "{ not json".getBytes(StandardCharsets.UTF_8)).build());
            mlops.models().register("rain", NewModelVersion.builder().artifact(Artifact.file(model))
                    .attachment(AttachmentNames.decision(1), decision.getBytes(StandardCharsets.UTF_8)).build());
            assertThat(mlops.models().attachment(ModelRef.version("rain", 2), AttachmentNames.decision(1))).isNotEmpty();
        }
        assertThat(cli.ok("card", "rain/2").out()).contains("min:auc").doesNotContain("No promotion decision");

        // the second version's decision blob damaged on disk: the store's own hash check finds it
        Path blob = blobOf(decision.getBytes(StandardCharsets.UTF_8));
        Files.writeString(blob, decision.replace("true", "fals"));

        Path html = tmp.resolve("card.html");
        for (String ref : List.of("rain/1", "rain/2")) {
            for (List<String> extra : List.of(List.<String>of(), List.of("--json"), List.of("--html", html.toString()))) {
                List<String> args = new ArrayList<>(List.of("card", ref));
                args.addAll(extra);
                CliRunner.Result r = cli.run(args.toArray(String[]::new));
                assertThat(r.exitCode()).as("%s: %s", r.args(), r.err()).isEqualTo(1);
                assertThat(r.out()).isEmpty();
                assertThat(r.err()).startsWith("mlops: the model card of " + ref + " is not shown: ")
                        .contains("attachment 'promotion-decision-1' (promotion decision) could not be read")
                        .doesNotContain("No promotion decision");
                assertThat(r.err().lines().count()).isEqualTo(1);
                assertThat(html).doesNotExist();
            }
        }
    }

    private Path blobOf(byte[] content) throws IOException {
        String sha = dev.mlops.api.Digests.sha256Hex(content);
        try (Stream<Path> files = Files.walk(store.resolve("blobs"))) {
            return files.filter(p -> p.getFileName().toString().equals(sha)).findFirst().orElseThrow();
        }
    }

    @Test
    @DisplayName("--delimiter that cannot separate CSV fields is a usage error in drift, report and datasets register;"
            + " \\t means a tab")
    void delimiters() throws IOException {
        Path csv = Files.writeString(tmp.resolve("a.txt"), "x\ty\n1\t2\n3\t4\n");
        Path out = tmp.resolve("out.json");
        List<List<String>> commands = List.of(
                List.of("drift", "--reference", csv.toString(), "--current", csv.toString()),
                List.of("report", "--reference", csv.toString(), "--current", csv.toString(), "--json-file", out.toString()),
                List.of("datasets", "register", "d", "--file", csv.toString(), "--format", "csv"));
        for (List<String> command : commands) {
            for (String[] bad : new String[][] {{"", "it is empty"}, {";;", "2 characters"}, {"\"", "quote"},
                    {"\n", "line break"}, {"\r", "line break"}, {"\u0000", "control"}, {"\u200B", "invisible"},
                    {"\uD83D\uDE00", "Basic Multilingual Plane"}}) {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("--delimiter", bad[0]));
                CliRunner.Result r = cli.run(args.toArray(String[]::new));
                assertThat(r.exitCode()).as("%s: %s", Names.quote(bad[0]), r.err()).isEqualTo(2);
                assertThat(r.out()).isEmpty();
                assertThat(r.err()).startsWith("mlops: Invalid value for option '--delimiter': ").contains(bad[1])
                        .doesNotContain("Exception");
                printable("stderr", r.err());
                assertThat(r.err().lines().count()).isEqualTo(1);
            }
            List<String> tab = new ArrayList<>(command);
            tab.addAll(List.of("--delimiter", "\\t", "--json"));
            JsonNode ok = cli.ok(tab.toArray(String[]::new)).json();
            assertThat(ok.toString()).as("the tab-separated file read as two columns").doesNotContain("x\\ty");
        }
        assertThat(cli.json("datasets", "show", "d/1").get("schema").size()).isEqualTo(2);
    }

    @Test
    @DisplayName("numbers that would silently become 0 are refused in every numeric option")
    void underflowEverywhere() throws IOException {
        Path csv = Files.writeString(tmp.resolve("a.csv"), "x\n1\n2\n3\n");
        cli.ok("-q", "register", "rain", "--artifact", model.toString());
        for (List<String> args : List.of(
                List.of("register", "rain", "--artifact", model.toString(), "--metric", "auc=1e-400"),
                List.of("versions", "list", "rain", "--metric-min", "auc=1e-400"),
                List.of("versions", "list", "rain", "--metric-max", "auc=-9e-999"),
                List.of("drift", "--reference", csv.toString(), "--current", csv.toString(), "--threshold", "1e-400"),
                List.of("drift", "--reference", csv.toString(), "--current", csv.toString(), "--threshold", "x=1e-400"),
                List.of("drift", "--reference", csv.toString(), "--current", csv.toString(), "--drift-share", "0.1e-330"))) {
            CliRunner.Result r = cli.run(args.toArray(String[]::new));
            String option = args.get(args.size() - 2);
            assertThat(r.exitCode()).as("%s: %s", args, r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("mlops: " + option + " ").contains(args.get(args.size() - 1).replaceAll(".*=", ""))
                    .contains("too small");
        }
        assertThat(cli.json("versions", "list", "rain").get("versions")).hasSize(1);
        // a literal zero is zero, however it is written
        cli.ok("-q", "register", "rain", "--artifact", model.toString(), "--metric", "loss=0.000e-999");
        assertThat(cli.json("versions", "show", "rain/2").get("metrics").get("loss").asDouble()).isZero();
    }
}
