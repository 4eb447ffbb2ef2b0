package dev.mlops.cli;

import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.LatencyMeasurement;
import dev.mlops.quality.Frames;
import dev.mlops.core.Mlops;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs a promotion gate from the command line. The CLI cannot run arbitrary models, so it checks
 * what it can read: the metrics registered with the candidate and with the alias holder (or, when
 * the policy names prediction columns and {@code --data} has them, metrics computed from those
 * columns), the policy's data-validation suite and fairness bounds on {@code --data}, and a
 * latency ceiling against the candidate's registered metric {@code latency_p99_ms}.
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Move an alias to a version only if it passes a promotion policy.",
                "Every check is printed with its observed value; the decision is recorded with the version",
                "(attachment promotion-decision-N) and in the audit trail, promoted or refused."},
        footer = {"", "Exit codes: 0 promoted, 4 refused by the gate, 2 bad input,",
                "1 failure (e.g. the alias moved meanwhile).",
                "", "Example:",
                "  mlops --store ./registry promote credit/4 --alias production \\",
                "        --policy policy.json --data eval.csv",
                "  mlops --store ./registry promote credit/4 --alias production \\",
                "        --policy policy.json --dry-run --json"})
final class PromoteCommand extends StoreCommand {
    /** Registered metric read as the candidate's 99th percentile latency in milliseconds. */
    static final String LATENCY_P99_METRIC = "latency_p99_ms";
    /** Registered metric read as the candidate's median latency in milliseconds, if present. */
    static final String LATENCY_P50_METRIC = "latency_p50_ms";

    @Parameters(index = "0", paramLabel = "NAME/V", description = "The candidate version, such as credit/4.")
    String ref;

    @Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "The alias to move, such as production.")
    String alias;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The promotion policy (JSON).")
    Path policyFile;

    @Option(names = "--data", paramLabel = "CSV",
            description = "Evaluation data: validated by the policy's suite, split by its fairness columns,"
                    + " and read for predictions through its prediction columns.")
    Path data;

    @Option(names = "--verbose", description = "Also print the policy's digest (its id, name@sha256:...).")
    boolean verbose;

    @Option(names = "--dry-run", description = "Evaluate and print the decision; record nothing, move nothing.")
    boolean dryRun;

    private ModelRef.Version candidate;
    private PromotionPolicy policy;
    private Frame frame;

    @Override
    void check() {
        candidate = Inputs.version(ref, "promote");
        Names.requireValid(Names.Kind.ALIAS, alias);
        Inputs.readable("--policy", policyFile);
        String json;
        try {
            json = Files.readString(policyFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("--policy " + Names.quote(policyFile.toString()) + " cannot be read: " + e.getMessage());
        }
        try {
            policy = PromotionPolicy.fromJson(json);
        } catch (ValidationException e) {
            throw new BadInputException("--policy " + Names.quote(policyFile.toString()) + ": " + e.getMessage());
        }
        if (data != null) {
            Inputs.readable("--data", data);
            try {
                frame = Frames.readCsv(data); // .tsv: tab-separated
            } catch (ValidationException e) {
                throw new BadInputException("--data: " + e.getMessage());
            }
        }
    }

    @Override
    int execute(Mlops mlops) {
        ModelVersion v = mlops.models().version(candidate.model(), candidate.number()); // unknown: exit 2
        PromotionGate.Inputs.Builder in = PromotionGate.inputs().registeredMetrics();
        if (frame != null) {
            in.frame(frame);
        }
        Double p99 = v.metrics().get(LATENCY_P99_METRIC);
        if (p99 != null) {
            double p50 = v.metrics().getOrDefault(LATENCY_P50_METRIC, Double.NaN);
            in.latency(new LatencyMeasurement(0, 0, Double.isNaN(p50) ? 0 : Math.round(p50 * 1e6), Math.round(p99 * 1e6),
                    Double.NaN, Math.round(p99 * 1e6)));
        }
        PromotionGate gate = PromotionGate.of(mlops, policy);
        PromotionDecision decision;
        boolean promoted;
        String recordedAs = null;
        if (dryRun) {
            decision = gate.evaluate(candidate, alias, in.build());
            promoted = false;
        } else {
            PromotionGate.Promotion p = gate.promote(candidate, alias, in.build());
            decision = p.decision();
            promoted = p.promoted();
            recordedAs = p.recordedAs().orElse(null);
        }
        print(decision, promoted, recordedAs);
        if (dryRun) {
            return decision.passed() ? Errors.OK : Errors.REFUSED;
        }
        return promoted ? Errors.OK : Errors.REFUSED;
    }

    private void print(PromotionDecision d, boolean promoted, String recordedAs) {
        if (jsonOutput()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("candidate", d.candidate().toString());
            m.put("alias", d.alias());
            m.put("champion", d.champion().map(Object::toString).orElse(null));
            m.put("passed", d.passed());
            m.put("promoted", promoted);
            m.put("dry_run", dryRun);
            m.put("recorded_as", recordedAs);
            m.put("policy", d.policy());
            m.put("decided_at", d.decidedAt().toString());
            List<Map<String, Object>> checks = new ArrayList<>();
            for (CheckResult c : d.checks()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("name", c.name());
                cm.put("observed", c.observed().isPresent() ? c.observed().getAsDouble() : null);
                cm.put("required", c.required());
                cm.put("verdict", c.verdict().name());
                cm.put("detail", c.detail());
                checks.add(cm);
            }
            m.put("checks", checks);
            json(m);
            return;
        }
        String target = d.candidate().model() + "@" + d.alias();
        String outcome = dryRun ? (d.passed() ? "would be promoted (dry run)" : "would be refused (dry run)")
                : promoted ? "PROMOTED" : "REFUSED";
        line(d.candidate() + " -> " + target + ": " + outcome + ", " + d.failures().size() + " of " + d.checks().size()
                + " checks failed (champion " + d.champion().map(Object::toString).orElse("none") + ", policy "
                + (verbose || d.policy().indexOf('@') < 0 ? d.policy() : d.policy().substring(0, d.policy().indexOf('@'))) + ")");
        Table t = new Table("CHECK", "OBSERVED", "REQUIRED", "VERDICT", "DETAIL");
        for (CheckResult c : d.checks()) {
            t.row(c.name(), c.observed().isPresent() ? number(c.observed().getAsDouble()) : null, c.required(),
                    c.verdict().name(), c.detail());
        }
        t.print(out());
        if (recordedAs != null) {
            line("decision recorded as " + recordedAs + " of " + d.candidate());
        }
    }

    /** Four significant digits, as the gate's details, no exponent for ordinary magnitudes. */
    static String number(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : String.valueOf(v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
