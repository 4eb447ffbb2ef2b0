package dev.mlops.cli;

import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.Dataset;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Field;
import dev.mlops.api.Names;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "datasets", mixinStandardHelpOptions = true, description = "Register, list and show dataset versions.",
        subcommands = {DatasetsCommand.RegisterDataset.class, DatasetsCommand.ListDatasets.class,
                DatasetsCommand.ShowDataset.class},
        footer = {"", "Example:", "  mlops --store ./registry datasets register weather --file seattle-weather.csv",
                "  mlops --store ./registry datasets show weather/1"})
final class DatasetsCommand extends GroupCommand {

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register a file or directory as the next version of a dataset.",
                    "Identical content returns the existing version instead of a new one.",
                    "CSV files (*.csv, *.tsv, or --format csv) get a row count and an inferred schema."},
            footer = {"", "Example:", "  mlops --store ./registry datasets register weather \\",
                    "        --file seattle-weather.csv \\",
                    "        --tag source=noaa --source-uri https://www.ncdc.noaa.gov/"})
    static final class RegisterDataset extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Dataset name: lowercase letters, digits, '.', '_', '-'.")
        String name;

        @Option(names = "--file", required = true, paramLabel = "PATH", description = "A data file, or a directory stored file by file.")
        Path file;

        @Option(names = "--format", paramLabel = "F", defaultValue = "auto",
                description = "auto, csv or binary (default: ${DEFAULT-VALUE}: csv for *.csv and *.tsv files).")
        String format;

        @Option(names = "--delimiter", paramLabel = "C", converter = Inputs.DelimiterConverter.class,
                description = "CSV field separator, one character; \\t for a tab (default: ',' or tab for *.tsv).")
        Character delimiter;

        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag (repeatable).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--description", paramLabel = "D", description = "Free text.")
        String description;

        @Option(names = "--source-uri", paramLabel = "U", description = "Where the data came from; recorded as text, never opened.")
        String sourceUri;

        private NewDatasetVersion version;

        @Override
        boolean createsStore() {
            return true;
        }

        @Override
        Store decorate(Store store) {
            return countStoredBytes(store, file);
        }

        @Override
        void check() {
            Names.requireValid(Names.Kind.DATASET, name);
            Path p = Inputs.readable("--file", file);
            DatasetSource source = source(p);
            NewDatasetVersion.Builder b = NewDatasetVersion.builder(source);
            Inputs.keyValues("--tag", tags).forEach(b::tag);
            if (description != null) {
                b.description(description);
            }
            if (sourceUri != null) {
                b.sourceUri(sourceUri);
            }
            version = b.build();
        }

        private DatasetSource source(Path p) {
            boolean dir = Files.isDirectory(p);
            String fileName = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean csv = switch (format) {
                case "csv" -> true;
                case "binary" -> false;
                case "auto" -> !dir && (fileName.endsWith(".csv") || fileName.endsWith(".tsv"));
                default -> throw new BadInputException("--format " + Names.quote(format) + " is not valid: expected auto, csv or binary");
            };
            if (dir) {
                if (csv) {
                    throw new BadInputException("--format csv needs a file, but --file " + Names.quote(p.toString())
                            + " is a directory");
                }
                return DatasetSource.directory(p);
            }
            if (!csv) {
                if (delimiter != null) {
                    throw new BadInputException("--delimiter applies to CSV only; use --format csv");
                }
                return DatasetSource.file(p);
            }
            return DatasetSource.csv(p, Inputs.csvDelimiter(p, delimiter));
        }

        @Override
        int execute(Mlops mlops) {
            int latestBefore = mlops.datasets().findDataset(name).map(Dataset::latestVersion).orElse(0);
            DatasetVersion v;
            // the catalog reads a CSV file once for its row count and schema before storing it; that
            // pass cannot be watched, so its line ends when the first byte is stored
            Progress.Task reading = version.source().format().equals("csv")
                    ? progress().phase("reading " + Inputs.displayName(file) + " for rows and types")
                    : Progress.off().phase("");
            try (reading) {
                v = mlops.datasets().register(name, version);
                reading.done();
            }
            storedBytesDone();
            boolean created = v.version() > latestBefore;
            if (jsonOutput()) {
                json(Views.dataset(v, created));
                return Errors.OK;
            }
            String rows = v.rowCount().isPresent() ? v.rowCount().getAsLong() + " rows, " : "";
            line((created ? "registered " : "unchanged: identical content is already ") + v.ref() + "  sha256 "
                    + v.contentSha256() + "  (" + v.format() + ", " + rows + Text.bytes(v.sizeBytes()) + ")");
            return Errors.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List datasets in name order.",
            footer = {"", "Example:", "  mlops --store ./registry datasets list --json"})
    static final class ListDatasets extends StoreCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Datasets per page, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--page-token", paramLabel = "T", description = "Token printed with the previous page.")
        String pageToken;

        @Override
        void check() {
            Inputs.limit("--limit", limit, PageRequest.MAX_SIZE);
        }

        @Override
        int execute(Mlops mlops) {
            Page<Dataset> page = mlops.datasets().listDatasets(new PageRequest(limit, Optional.ofNullable(pageToken)));
            if (jsonOutput()) {
                json(JsonOutput.page("datasets", page.items().stream().map(Views::dataset).toList(), page.nextPageToken()));
                return Errors.OK;
            }
            if (page.items().isEmpty()) {
                line("no datasets");
            } else {
                Table t = new Table("NAME", "LATEST", "CREATED", "TAGS");
                for (Dataset d : page.items()) {
                    t.row(d.name(), d.latestVersion(), Text.time(d.createdAt()), Text.pairs(d.tags()));
                }
                t.print(out());
            }
            page.nextPageToken().ifPresent(tok -> line("more: --page-token " + tok));
            return Errors.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a dataset version (NAME/V: hash, size, rows, schema, files) or a dataset's versions (NAME).",
            footer = {"", "Example:", "  mlops --store ./registry datasets show weather/1", "  mlops --store ./registry datasets show weather"})
    static final class ShowDataset extends StoreCommand {
        private static final int MAX_VERSIONS = 1000;

        @Parameters(index = "0", paramLabel = "NAME/V", description = "A dataset version, or a dataset name to list its versions.")
        String ref;

        private DatasetRef parsed;

        @Override
        void check() {
            if (ref.indexOf('/') >= 0) {
                parsed = DatasetRef.parse(ref);
            } else {
                Names.requireValid(Names.Kind.DATASET, ref);
            }
        }

        @Override
        int execute(Mlops mlops) {
            if (parsed != null) {
                DatasetVersion v = mlops.datasets().version(parsed);
                if (jsonOutput()) {
                    json(Views.dataset(v, null));
                } else {
                    printDataset(out(), v);
                }
                return Errors.OK;
            }
            // listVersions throws NotFoundException, naming the dataset, when it does not exist
            Page<DatasetVersion> page = mlops.datasets().listVersions(ref,
                    VersionQuery.builder().page(PageRequest.first(MAX_VERSIONS)).build());
            if (jsonOutput()) {
                json(JsonOutput.page("versions", page.items().stream().map(v -> Views.dataset(v, null)).toList(),
                        page.nextPageToken()));
                return Errors.OK;
            }
            Table t = new Table("VERSION", "FORMAT", "ROWS", "SIZE", "CREATED", "SHA256");
            for (DatasetVersion v : page.items()) {
                t.row(v.ref(), v.format(), v.rowCount().isPresent() ? v.rowCount().getAsLong() : null,
                        Text.bytes(v.sizeBytes()), Text.time(v.createdAt()), Text.shortHash(v.contentSha256()));
            }
            t.print(out());
            return Errors.OK;
        }
    }

    static void printDataset(PrintWriter out, DatasetVersion v) {
        Table info = Table.plain(2);
        info.row("version:", v.ref())
                .row("content sha256:", v.contentSha256())
                .row("format:", v.format())
                .row("size:", Text.bytes(v.sizeBytes()) + " in " + v.files().entries().size() + " file(s)")
                .row("rows:", v.rowCount().isPresent() ? v.rowCount().getAsLong() : null)
                .row("tags:", Text.pairs(v.tags()))
                .row("description:", v.description().isEmpty() ? null : v.description())
                .row("source uri:", v.sourceUri().orElse(null))
                .row("profile sha256:", v.profileSha256().orElse(null))
                .row("created:", Text.time(v.createdAt()) + " by " + v.creator());
        info.print(out);
        v.schema().ifPresent(s -> {
            out.println();
            Table cols = new Table("COLUMN", "TYPE");
            for (Field f : s.fields()) {
                cols.row(f.name(), Views.lower(f.type()));
            }
            cols.print(out);
        });
        out.println();
        Table files = new Table("PATH", "SIZE", "SHA256");
        for (ArtifactEntry e : v.files().entries()) {
            files.row(e.path(), Text.bytes(e.size()), e.sha256());
        }
        files.print(out);
    }
}
