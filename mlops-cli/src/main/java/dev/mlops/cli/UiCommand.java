package dev.mlops.cli;

import dev.mlops.core.Mlops;
import dev.mlops.api.store.Store;
import dev.mlops.ui.MlopsUi;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Serve a read-only web UI over the store until stopped (Ctrl-C).",
                "Models with versions, aliases and their timeline; lineage as a graph; runs with comparisons",
                "and metric charts; drift monitor windows; gate decisions; model cards; the audit log and",
                "its verification. Listens on 127.0.0.1 only, unless --bind names another address, which",
                "also needs --token: every request must then carry the token."},
        footer = {"", "Example:", "  mlops --store ./registry ui", "  mlops --store ./registry ui --port 8080",
                "  mlops --store ./registry ui --bind 0.0.0.0 --token 7f3c9a1e5b2d8f604c1a9e7b"})
final class UiCommand extends StoreCommand {
    /** The store the session opened: the drift pages read its fleet drift documents. */
    private Store store;

    @Option(names = "--port", paramLabel = "N", defaultValue = "5000",
            description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "Address to listen on (default: 127.0.0.1). Any other than a loopback address needs --token.")
    String bind;

    @Option(names = "--token", paramLabel = "T",
            description = "A token of 16 to 256 letters, digits, '.', '_', '~' or '-' that every request must carry:"
                    + " open the UI once with ?token=T (a cookie keeps it), or send Authorization: Bearer T.")
    String token;

    private InetAddress address;

    @Override
    void check() {
        if (port < 0 || port > 65_535) {
            throw new BadInputException("--port " + port + ": expected 0 to 65535");
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
                    + " needs --token T as well, so that only who holds the token can read it");
        }
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
