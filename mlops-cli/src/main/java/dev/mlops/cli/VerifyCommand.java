package dev.mlops.cli;

import dev.mlops.api.IntegrityReport;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the store's integrity; exits 1 when a problem remains.",
                "Checks every blob against its hash, every document, registry consistency, that every committed",
                "change has its audit entry, that the state holds what the audit trail records, and the audit",
                "chain."},
        footer = {"", "Example:", "  mlops --store ./registry verify", "  mlops --store ./registry verify --repair --json",
                "  mlops --store ./registry verify --repair --audit-grace 0"})
final class VerifyCommand extends StoreCommand {
    @Option(names = "--repair", description = "Remove leftovers of crashed writers, finish interrupted operations, rebuild"
            + " derived indexes and append lost audit entries (marked recovered_by: verify --repair).")
    boolean repair;

    @Option(names = "--audit-grace", paramLabel = "DURATION", defaultValue = "1m", converter = Inputs.DurationConverter.class,
            description = "Changes younger than this are not checked for their audit entry, which a running writer may"
                    + " still be appending: 0, 90s, 15m, 24h or ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration auditGrace;

    @Override
    int execute(Mlops mlops) {
        IntegrityReport report;
        // every blob is read and hashed: minutes for a large store, with nothing to count from here
        try (Progress.Task phase = progress().phase(repair ? "verifying and repairing store" : "verifying store")) {
            report = mlops.verify(new VerifyOptions(repair, auditGrace));
            phase.done();
        }
        int code = report.ok() ? Errors.OK : Errors.FAILURE;
        if (jsonOutput()) {
            json(Views.verify(report));
            return code;
        }
        if (report.problems().isEmpty()) {
            line("ok: no problems found");
            return code;
        }
        Table t = new Table("KIND", "LOCATION", "REPAIRED", "DETAIL");
        for (IntegrityProblem p : report.problems()) {
            t.row(Views.lower(p.kind()), p.location(), p.repaired() ? "yes" : p.repairable() ? "no (repairable)" : "no",
                    p.detail());
        }
        t.print(out());
        long open = report.problems().stream().filter(p -> !p.repaired()).count();
        long repairable = report.problems().stream().filter(p -> !p.repaired() && p.repairable()).count();
        if (open == 0) {
            line("ok: " + report.problems().size() + " problem(s) repaired");
        } else if (repair || repairable == 0) {
            line("NOT OK: " + open + " problem(s) that a repair cannot fix; restore the store from a backup or"
                    + " see docs/operations.md");
        } else if (repairable == open) {
            line("NOT OK: " + open + " problem(s); 'verify --repair' fixes them");
        } else {
            line("NOT OK: " + open + " problem(s); 'verify --repair' fixes " + repairable + " of them, the other "
                    + (open - repairable) + " need a backup or a person (see docs/operations.md)");
        }
        return code;
    }
}
