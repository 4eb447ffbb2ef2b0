package dev.mlops.cli;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.store.Store;
import dev.mlops.cards.ModelCard;
import dev.mlops.core.Mlops;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "card", mixinStandardHelpOptions = true,
        description = {"Show the model card of a version.",
                "It holds purpose, signature, lineage, metrics with intervals, fairness, feature importance, drift",
                "baseline, drift history (--drift-monitor), promotion decisions, alias moves and audit entries.",
                "Markdown on stdout by default; --html and --markdown write files instead (the HTML page is",
                "self-contained: no script, no external resource). --json prints the gathered facts."},
        footer = {"", "Example:", "  mlops --store ./registry card credit/2",
                "  mlops --store ./registry card credit@production --html credit.html \\",
                "        --markdown credit.md",
                "  mlops --store ./registry card credit/2 --json",
                "  mlops --store ./registry card credit/3 --html credit.html \\",
                "        --drift-monitor credit-v3-inputs"})
final class CardCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME/V", description = "A model version (NAME/V, or NAME@ALIAS for the version it points at).")
    String ref;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the card as one self-contained HTML page; - for stdout.")
    Path html;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write the card as Markdown; - for stdout.")
    Path markdown;

    @Option(names = "--drift-monitor", paramLabel = "NAME", description = "Show the drift history of this fleet drift "
            + "monitor: the windows its instances published to the store, compared with the version's drift profile.")
    String driftMonitor;

    private ModelRef modelRef;
    private Store store;
    private Outputs outputs;

    @Override
    void check() {
        modelRef = ModelRef.parse(ref);
        if (driftMonitor != null) {
            Names.requireValid(Names.Kind.KEY_SEGMENT, driftMonitor);
        }
        outputs = new Outputs().output("--html", html).output("--markdown", markdown);
        root().storeDirectory().ifPresent(dir -> outputs.inputDirectory("the store directory", dir));
        outputs.check(jsonOutput());
    }

    @Override
    Store decorate(Store opened) {
        this.store = opened; // the fleet monitor's windows are documents of the same store
        return opened;
    }

    @Override
    int execute(Mlops mlops) {
        ModelRef.Version version = modelRef instanceof ModelRef.Version v ? v : resolve(mlops, modelRef);
        ModelCard.Builder builder = ModelCard.builder(mlops, version);
        if (driftMonitor != null) {
            builder.fleetDrift(store, driftMonitor);
        }
        ModelCard card = builder.build();
        if (!card.unreadableAttachments().isEmpty()) {
            // a damaged attachment is damage, not absence: no card that would show it as missing
            throw new IntegrityException("the model card of " + version + " is not shown: "
                    + card.unreadableAttachments().stream()
                            .map(u -> "attachment " + Names.quote(u.name()) + " (" + u.kind() + ") could not be read: "
                                    + u.detail())
                            .collect(Collectors.joining("; "))
                    + " (see 'mlops verify')");
        }
        List<String> written = new ArrayList<>();
        if (html != null) {
            Outputs.write("--html", html, card.toHtml(), out());
            written.add(html.toString());
        }
        if (markdown != null) {
            Outputs.write("--markdown", markdown, card.toMarkdown(), out());
            written.add(markdown.toString());
        }
        if (outputs.toStdout()) {
            return Errors.OK; // stdout carries that document alone
        }
        if (jsonOutput()) {
            json(CardViews.card(card, written));
        } else if (written.isEmpty()) {
            out().print(card.toMarkdown());
            out().flush();
        } else {
            for (String w : written) {
                line("wrote model card of " + version + " to " + w);
            }
        }
        return Errors.OK;
    }

    private static ModelRef.Version resolve(Mlops mlops, ModelRef ref) {
        ModelVersion v = mlops.models().resolve(ref);
        return v.ref();
    }
}
