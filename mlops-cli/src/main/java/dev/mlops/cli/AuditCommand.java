package dev.mlops.cli;

import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditHead;
import dev.mlops.api.AuditLog;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.core.Mlops;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Show the audit trail, or check its hash chain with --verify.",
                "Entries are listed oldest first, ending with the newest. --verify exits 1 when an entry",
                "was altered, removed or reordered. --head prints the last entry as SEQUENCE:HASH; kept",
                "outside the store, it lets --verify --expect-head find a trail cut back at its end."},
        footer = {"", "Example:", "  mlops --store ./registry audit --limit 20",
                "  mlops --store ./registry audit --target rain@production",
                "  mlops --store ./registry audit --verify --json",
                "  mlops --store ./registry audit --head",
                "  mlops --store ./registry audit --verify --expect-head 42:HASH"})
final class AuditCommand extends StoreCommand {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 10_000;

    @Option(names = "--verify", description = "Recompute the hash chain instead of listing entries.")
    boolean verify;

    @Option(names = "--target", paramLabel = "T", description = "Only entries about this target or below it (rain, rain/3, rain@production).")
    String target;

    @Option(names = "--limit", paramLabel = "N", description = "Show the last N entries, 1 to 10000 (default: " + DEFAULT_LIMIT + ").")
    Integer limit;

    @Option(names = "--head", description = "Print the last entry as SEQUENCE:HASH, to record outside the store.")
    boolean head;

    @Option(names = "--expect-head", paramLabel = "SEQ:HASH", description = "With --verify: the trail must still hold"
            + " this entry, recorded earlier with --head.")
    String expectHead;

    private AuditHead expected;

    @Override
    void check() {
        if (head && (verify || target != null || limit != null)) {
            throw new BadInputException("--head prints the last entry; it cannot be combined with --verify, --target or"
                    + " --limit");
        }
        if (expectHead != null) {
            if (!verify) {
                throw new BadInputException("--expect-head goes with --verify");
            }
            try {
                expected = AuditHead.parse(expectHead);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--expect-head: " + e.getMessage());
            }
        }
        if (verify && (target != null || limit != null)) {
            throw new BadInputException("--verify checks the whole chain; it cannot be combined with --target or --limit");
        }
        if (limit != null) {
            Inputs.limit("--limit", limit, MAX_LIMIT);
        }
        if (target != null) {
            checkTarget(target);
        }
    }

    /** A target is a model or dataset name, NAME/VERSION or NAME@ALIAS, each part checked as the registry checks it. */
    private static void checkTarget(String target) {
        try {
            if (target.indexOf('/') >= 0 || target.indexOf('@') >= 0) {
                ModelRef.parse(target);
            } else {
                Names.requireValid(Names.Kind.MODEL, target);
            }
        } catch (InvalidNameException e) {
            throw new BadInputException("--target " + Names.quote(target) + " is not valid: expected a model or dataset"
                    + " name, NAME/VERSION or NAME@ALIAS, such as rain, rain/3, rain@production or weather/2 ("
                    + e.getMessage() + ")");
        }
    }

    @Override
    int execute(Mlops mlops) {
        AuditLog log = mlops.audit();
        if (head) {
            Optional<AuditHead> h = log.head();
            if (jsonOutput()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("head", h.map(AuditHead::toString).orElse(null));
                m.put("sequence", h.map(AuditHead::sequence).orElse(0L));
                m.put("hash", h.map(AuditHead::hash).orElse(null));
                json(m);
            } else {
                line(h.map(AuditHead::toString).orElse("the audit trail is empty"));
            }
            return Errors.OK;
        }
        if (verify) {
            AuditVerification v = log.verify();
            boolean chainOk = v.ok();
            if (chainOk && expected != null) {
                v = log.verify(expected);
            }
            if (jsonOutput()) {
                json(Views.audit(v));
            } else if (v.ok()) {
                line("ok: audit chain intact, " + v.entriesChecked() + " entries checked"
                        + (expected == null ? "" : ", holds the recorded head " + expected.sequence()));
            } else {
                line("BROKEN: " + (chainOk ? "the recorded head is missing at entry " : "audit chain breaks at entry ")
                        + v.firstBadSequence().getAsLong() + ": " + v.detail()
                        + " (" + v.entriesChecked() + " entries checked)");
            }
            return v.ok() ? Errors.OK : Errors.FAILURE;
        }
        int n = limit == null ? DEFAULT_LIMIT : limit;
        long total;
        List<AuditEntry> entries;
        if (target != null) {
            List<AuditEntry> all = log.entriesFor(target);
            total = all.size();
            entries = all.subList(Math.max(0, all.size() - n), all.size());
        } else {
            total = log.size();
            entries = total == 0 ? List.of() : log.entries(Math.max(1, total - n + 1), n);
        }
        if (jsonOutput()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", total);
            m.put("entries", entries.stream().map(Views::audit).toList());
            json(m);
            return Errors.OK;
        }
        if (entries.isEmpty()) {
            line("no audit entries" + (target == null ? "" : " for " + target));
            return Errors.OK;
        }
        Table t = new Table("SEQ", "TIME", "ACTOR", "ACTION", "TARGET", "CHANGE");
        for (AuditEntry e : entries) {
            t.row(e.sequence(), Text.time(e.time()), e.actor(), e.action(), e.target(), Text.cut(change(e), 60));
        }
        t.print(out());
        if (entries.size() < total) {
            line("(last " + entries.size() + " of " + total + " entries; --limit N shows more)");
        }
        return Errors.OK;
    }

    private static String change(AuditEntry e) {
        if (e.before().isEmpty()) {
            return Text.pairs(e.after());
        }
        return Text.pairs(e.before()) + " -> " + Text.pairs(e.after());
    }
}
