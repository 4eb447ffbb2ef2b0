package dev.mlops.cli;

import dev.mlops.api.GarbageCollection;
import dev.mlops.core.Mlops;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Delete unreferenced blobs older than a grace period.",
                "A blob is deleted when no model version, dataset version or attachment references it and it is",
                "older than the grace period (so a registration in progress keeps its blobs)."},
        footer = {"", "Example:", "  mlops --store ./registry gc", "  mlops --store ./registry gc --grace 7d --json"})
final class GcCommand extends StoreCommand {
    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "1h", converter = Inputs.DurationConverter.class,
            description = "Minimum age of a deleted blob: 0, 90s, 15m, 24h, 7d or ISO-8601 such as PT1H (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Override
    int execute(Mlops mlops) {
        GarbageCollection gc;
        try (Progress.Task phase = progress().phase("collecting unreferenced blobs")) {
            gc = mlops.collectGarbage(grace);
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
