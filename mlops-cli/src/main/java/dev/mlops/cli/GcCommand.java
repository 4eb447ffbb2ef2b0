package dev.mlops.cli;

import dev.mlops.api.GarbageCollection;
import dev.mlops.core.Mlops;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Delete unreferenced blobs older than a grace period.",
                "A blob is deleted when no model version, dataset version or attachment references it and it is",
                "older than the grace period. Registrations in progress keep their blobs whatever the grace:",
                "gc waits for them (--wait), and they wait for gc."},
        footer = {"", "Example:", "  mlops --store ./registry gc", "  mlops --store ./registry gc --grace 7d --json",
                "  mlops --store ./registry gc --grace 0 --wait 10m"})
final class GcCommand extends StoreCommand {
    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "1h", converter = Inputs.DurationConverter.class,
            description = "Minimum age of a deleted blob: 0, 90s, 15m, 24h, 7d or ISO-8601 such as PT1H (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "1m", converter = Inputs.DurationConverter.class,
            description = "How long to wait for registrations in progress before giving up, deleting nothing"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    int execute(Mlops mlops) {
        GarbageCollection gc;
        try (Progress.Task phase = progress().phase("collecting unreferenced blobs")) {
            gc = mlops.collectGarbage(grace, wait);
            phase.done();
        }
        if (jsonOutput()) {
            json(Views.gc(gc));
        } else {
            line("examined " + gc.blobsExamined() + " blobs, deleted " + gc.blobsDeleted() + ", freed "
                    + Text.bytes(gc.bytesFreed()));
        }
        return Errors.OK;
    }
}
