package dev.mlops.cli;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.core.Mlops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true, description = "Make an archived version active again.",
        footer = {"", "Example:", "  mlops --store ./registry restore rain/1"})
final class RestoreCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME/V", description = "The archived version.")
    String ref;

    private ModelRef.Version version;

    @Override
    void check() {
        version = ArchiveCommand.pinned(ref);
    }

    @Override
    int execute(Mlops mlops) {
        ModelVersion v = mlops.models().restore(version);
        if (jsonOutput()) {
            json(Views.version(v));
        } else {
            line("restored " + v.ref());
        }
        return Errors.OK;
    }
}
