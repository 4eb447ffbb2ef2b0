package dev.mlops.cli;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.core.Mlops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "archive", mixinStandardHelpOptions = true,
        description = {"Hide a version from default listings.", "It stays resolvable and loadable; 'restore' undoes it."},
        footer = {"", "Example:", "  mlops --store ./registry archive rain/1"})
final class ArchiveCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME/V", description = "The version to archive.")
    String ref;

    private ModelRef.Version version;

    /** Parses {@code NAME/V}; an alias is refused because it moves. */
    static ModelRef.Version pinned(String text) {
        if (ModelRef.parse(text) instanceof ModelRef.Version v) {
            return v;
        }
        throw new BadInputException("version " + Names.quote(text) + " must be NAME/VERSION, such as rain/3, not an alias");
    }

    @Override
    void check() {
        version = pinned(ref);
    }

    @Override
    int execute(Mlops mlops) {
        ModelVersion v = mlops.models().archive(version);
        if (jsonOutput()) {
            json(Views.version(v));
        } else {
            line("archived " + v.ref());
        }
        return Errors.OK;
    }
}
