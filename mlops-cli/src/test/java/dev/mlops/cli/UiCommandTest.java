package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.store.Store;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.core.Mlops;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.FleetDrift;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.registry.fs.FileSystemStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mlops ui}: serves the store on loopback until stopped; refuses the network without a token. */
class UiCommandTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("serves the store's pages on 127.0.0.1 until its thread is interrupted")
    void serves() throws Exception {
        Path store = tmp.resolve("store");
        String id;
        try (Mlops mlops = Mlops.open(store)) {
            try (ActiveRun run = mlops.tracking().startRun("rain", NewRun.builder().name("first").build())) {
                run.logMetric("loss", 0.5, 1);
                id = run.id();
            }
        }
        // a fleet drift monitor's window in the same store: the drift pages read it through the store the command opened
        try (Store s = FileSystemStore.open(store)) {
            ReferenceProfile profile = ReferenceProfile.of(Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE)),
                    List.of(new double[] {1, 2, 3, 4})));
            DriftMonitor monitor = FleetDrift.builder(s, "rain-inputs", profile).instanceId("cli-test").build()
                    .monitor(DriftMonitor.builder(profile).timeWindow(Duration.ofHours(1)));
            monitor.observe(new double[] {2.5}, new String[0]);
            monitor.closeWindow();
        }
        StringWriter out = new StringWriter();
        String[] args = {"--store", store.toString(), "ui", "--port", "0"};
        CommandLine cl = MlopsCommand.commandLine(Map.of(), () -> false, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread server = new Thread(() -> exit.set(cl.execute(args)), "ui-command");
        server.start();
        Pattern started = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/); Ctrl-C stops it");
        Matcher m = started.matcher("");
        for (int i = 0; i < 600 && !m.find(); i++) {   // bounded by count: up to 600 looks, 50 ms apart
            Thread.sleep(50);
            m = started.matcher(out.toString());
        }
        assertThat(m.find(0)).as("the start line, in %s", out).isTrue();
        URI base = URI.create(m.group(1));
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("runs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Run first</h1>", "loss by step: 1 points");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        HttpResponse<String> fleet = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("drift/fleets/rain-inputs")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fleet.statusCode()).isEqualTo(200);
        assertThat(fleet.body()).contains("<h1>Fleet drift monitor rain-inputs</h1>", "<td>cli-test</td>");
        server.interrupt();
        server.join(10_000);
        assertThat(server.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    @Test
    @DisplayName("another address than loopback is refused without --token, and a bad token is named")
    void networkNeedsToken() {
        CliRunner cli = new CliRunner(tmp.resolve("store"));
        CliRunner.Result r = cli.run("ui", "--bind", "0.0.0.0");
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("--bind 0.0.0.0 is not a loopback address", "needs --token");
        CliRunner.Result shortToken = cli.run("ui", "--token", "abc");
        assertThat(shortToken.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(shortToken.err()).contains("--token of 3 characters: expected 16 to 256");
        assertThat(cli.run("ui", "--port", "70000").err()).contains("--port 70000: expected 0 to 65535");
    }

    @Test
    @DisplayName("--token-file reads the token from a file, so it is not in the process list; every request needs it")
    void tokenFromFile() throws Exception {
        Path store = tmp.resolve("store");
        try (Mlops mlops = Mlops.open(store)) {
            mlops.tracking();
        }
        String token = "7f3c9a1e5b2d8f604c1a9e7b";
        Path file = java.nio.file.Files.writeString(tmp.resolve("ui.token"), token + "\n");
        StringWriter out = new StringWriter();
        String[] args = {"--store", store.toString(), "ui", "--port", "0", "--token-file", file.toString()};
        CommandLine cl = MlopsCommand.commandLine(Map.of(), () -> false, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        Thread server = new Thread(() -> cl.execute(args), "ui-command");
        server.start();
        Pattern started = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/) \\(token required\\); Ctrl-C stops it");
        Matcher m = started.matcher("");
        for (int i = 0; i < 600 && !m.find(); i++) {   // bounded by count: up to 600 looks, 50 ms apart
            Thread.sleep(50);
            m = started.matcher(out.toString());
        }
        assertThat(m.find(0)).as("the start line, in %s", out).isTrue();
        assertThat(out.toString()).doesNotContain(token);
        URI base = URI.create(m.group(1));
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(base).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        server.interrupt();
        server.join(10_000);
        assertThat(server.isAlive()).isFalse();
    }

    @Test
    @DisplayName("a missing, empty or bad token file, or a token given twice, is refused naming what was wrong")
    void tokenFileRefusals() throws Exception {
        CliRunner cli = new CliRunner(tmp.resolve("store"));
        Path missing = tmp.resolve("no-such.token");
        CliRunner.Result r = cli.run("ui", "--token-file", missing.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("--token-file " + missing, "could not be read");
        Path empty = java.nio.file.Files.writeString(tmp.resolve("empty.token"), "\n");
        assertThat(cli.run("ui", "--token-file", empty.toString()).err())
                .contains("--token-file " + empty, "expected 16 to 256");
        Path twoLines = java.nio.file.Files.writeString(tmp.resolve("two.token"), "7f3c9a1e5b2d8f604c1a9e7b\nsecond\n");
        assertThat(cli.run("ui", "--token-file", twoLines.toString()).err())
                .contains("--token-file " + twoLines, "one line");
        Path good = java.nio.file.Files.writeString(tmp.resolve("good.token"), "7f3c9a1e5b2d8f604c1a9e7b");
        CliRunner.Result both = cli.run("ui", "--token", "7f3c9a1e5b2d8f604c1a9e7b", "--token-file", good.toString());
        assertThat(both.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(both.err()).contains("--token", "--token-file");
        assertThat(cli.run("ui", "--token-file", tmp.toString()).err()).contains("--token-file " + tmp);
    }
}
