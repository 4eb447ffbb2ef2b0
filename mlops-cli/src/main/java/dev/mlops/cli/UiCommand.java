package dev.mlops.cli;

import dev.mlops.core.Mlops;
import dev.mlops.api.store.Store;
import dev.mlops.ui.MlopsUi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Serve a read-only web UI over the store until stopped (Ctrl-C).",
                "Models with versions, aliases and their timeline; lineage as a graph; runs with comparisons",
                "and metric charts; drift monitor windows; gate decisions; model cards; the audit log and",
                "its verification. Listens on 127.0.0.1 only, unless --bind names another address, which",
                "also needs --token or --token-file: every request must then carry the token."},
        footer = {"", "Example:", "  mlops --store ./registry ui", "  mlops --store ./registry ui --port 8080",
                "  mlops --store ./registry ui --bind 0.0.0.0 --token-file ~/.mlops-ui-token"})
final class UiCommand extends StoreCommand {
    /** The store the session opened: the drift pages read its fleet drift documents. */
    private Store store;

    @Option(names = "--port", paramLabel = "N", defaultValue = "5000",
            description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "Address to listen on (default: 127.0.0.1). Any other than a loopback address needs a token.")
    String bind;

    @Option(names = "--token", paramLabel = "T",
            description = "A token of 16 to 256 letters, digits, '.', '_', '~' or '-' that every request must carry:"
                    + " open the UI once with ?token=T (a cookie keeps it), or send Authorization: Bearer T.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the token from the one line of FILE instead: a token given with --token shows in"
                    + " the machine's process list.")
    Path tokenFile;

    private InetAddress address;

    @Override
    void check() {
        if (port < 0 || port > 65_535) {
            throw new BadInputException("--port " + port + ": expected 0 to 65535");
        }
        if (tokenFile != null) {
            if (token != null) {
                throw new BadInputException("--token and --token-file both given: expected one of them");
            }
            token = readToken(tokenFile);
        }
        if (token != null && !MlopsUi.TOKEN.matcher(token).matches()) {
            throw new BadInputException("--token of " + token.length() + " characters: expected 16 to 256 letters, digits,"
                    + " '.', '_', '~' or '-'");
        }
        try {
            address = bind == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new BadInputException("--bind " + bind + ": not an address of this machine (" + e.getMessage() + ")");
        }
        if (!address.isLoopbackAddress() && token == null) {
            throw new BadInputException("--bind " + bind + " is not a loopback address: serving the store to the network"
                    + " needs --token T or --token-file FILE as well, so that only who holds the token can read it");
        }
    }

    /** The file's one line, without its line end; the token itself never goes into a message. */
    private static String readToken(Path file) {
        String text;
        try {
            if (Files.size(file) > 4096) {
                throw new BadInputException("--token-file " + file + ": " + Files.size(file)
                        + " bytes; expected one line holding a token of 16 to 256 characters");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException("--token-file " + file + " could not be read: " + e.getMessage(), e);
        }
        String line = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (line.contains("\n") || line.contains("\r")) {
            throw new BadInputException("--token-file " + file + ": several lines; expected one line holding the token");
        }
        if (!MlopsUi.TOKEN.matcher(line).matches()) {
            throw new BadInputException("--token-file " + file + ": a line of " + line.length() + " characters; expected"
                    + " 16 to 256 letters, digits, '.', '_', '~' or '-'");
        }
        return line;
    }

    @Override
    Store decorate(Store opened) {
        this.store = opened; // the fleet drift windows the drift pages show are documents of the same store
        return opened;
    }

    @Override
    int execute(Mlops mlops) {
        MlopsUi.Builder builder = MlopsUi.builder(mlops, store).bind(address).port(port);
        if (!address.isLoopbackAddress()) {
            builder.allowRemote();
        }
        if (token != null) {
            builder.token(token);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        MlopsUi.Server server = builder.start();
        try {
            Thread hook = new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "mlops-ui-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            line("mlops ui: " + mlops.describeStore() + " at " + server.uri() + (token == null ? "" : " (token required)")
                    + "; Ctrl-C stops it");
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it closes the server
                }
            }
        } finally {
            server.close();
        }
        return Errors.OK;
    }
}
