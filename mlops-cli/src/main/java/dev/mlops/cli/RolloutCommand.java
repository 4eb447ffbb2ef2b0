package dev.mlops.cli;

import dev.mlops.api.ConflictException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import dev.mlops.rollout.ArmStats;
import dev.mlops.rollout.Guardrail;
import dev.mlops.rollout.GuardrailResult;
import dev.mlops.rollout.GuardrailSpec;
import dev.mlops.rollout.Rollout;
import dev.mlops.rollout.RolloutPage;
import dev.mlops.rollout.RolloutPolicy;
import dev.mlops.rollout.RolloutReport;
import dev.mlops.rollout.RolloutState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts, shows and aborts guarded rollouts (mlops-rollout): the state, policy and statistics live
 * in the store, where every instance of the serving fleet runs the rollout's looks; this command
 * takes part in none of them. {@code start} creates the rollout (its policy stored with it, which
 * every instance then applies), {@code status} reads it, {@code abort} stops it.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Start, show and abort guarded rollouts of a candidate version against an alias.",
                "The serving instances make the decisions (mlops-rollout's Rollout.tick); these commands",
                "create, read and stop the rollout stored in the store."},
        subcommands = {RolloutCommand.Start.class, RolloutCommand.Status.class, RolloutCommand.Abort.class},
        footer = {"", "Example:",
                "  mlops --store ./registry rollout start rain/4 --alias production \\",
                "        --steps 1%,5%,25%,50% --min-requests 500 --min-duration 10m",
                "  mlops --store ./registry rollout status rain-4 --html rollout.html",
                "  mlops --store ./registry rollout abort rain-4 --reason error-budget-spent"})
final class RolloutCommand extends GroupCommand {

    /** A command that needs the store itself, not only the registry on it. */
    abstract static class RolloutStoreCommand extends StoreCommand {
        Store store;

        @Override
        Store decorate(Store s) {
            this.store = s;
            return s;
        }

        final RolloutReport report(String name) {
            return RolloutReport.read(store, name).orElseThrow(() -> new NotFoundException(
                    "no rollout " + Names.quote(name) + " in this store (start one with: mlops rollout start NAME/V --alias ALIAS)"));
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start a rollout of NAME/V against the version holding --alias.",
                    "The policy (steps, minimum requests and duration per step, guardrails, alpha) is stored",
                    "with the rollout; every serving instance applies it. Guardrails: error rate (margin 1",
                    "point), latency p50 share (5 points), latency p99 share (1 point)."},
            footer = {"", "Exit codes: 0 started, 2 bad input (unknown version, alias not set, bad steps),",
                    "1 a rollout of that name already exists.",
                    "", "Example:",
                    "  mlops --store ./registry rollout start rain/4 --alias production \\",
                    "        --steps 1%,5%,25%,50%"})
    static final class Start extends RolloutStoreCommand {
        @Parameters(index = "0", paramLabel = "NAME/V", description = "The candidate version, such as rain/4.")
        String ref;

        @Option(names = "--alias", required = true, paramLabel = "ALIAS",
                description = "The alias whose version is the control, and which a passed rollout moves.")
        String alias;

        @Option(names = "--name", paramLabel = "ROLLOUT",
                description = "The rollout's name, which the serving instances use (default: MODEL-V, such as rain-4).")
        String name;

        @Option(names = "--steps", paramLabel = "LIST", defaultValue = "1%,5%,25%,50%",
                description = "The candidate's traffic shares, increasing, each in (0, 1): percentages (5%) or"
                        + " fractions (0.05), comma-separated (default: ${DEFAULT-VALUE}).")
        String steps;

        @Option(names = "--min-requests", paramLabel = "N", defaultValue = "500",
                description = "Candidate requests each step needs at least (default: ${DEFAULT-VALUE}).")
        long minRequests;

        @Option(names = "--min-duration", paramLabel = "DURATION", defaultValue = "10m",
                converter = Inputs.DurationConverter.class,
                description = "How long each step lasts at least: 90s, 10m, 1h or PT10M (default: ${DEFAULT-VALUE}).")
        Duration minDuration;

        @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.05",
                description = "The level of the sequential tests over the whole rollout (default: ${DEFAULT-VALUE}).")
        double alpha;

        @Option(names = "--prediction-drift", paramLabel = "MARGIN",
                description = "Also compare the arms' predictions: the share above each of the control's running"
                        + " quartiles, two-sided (a shift either way rolls back), promoted when each share is"
                        + " within +-MARGIN, such as 0.05. The serving instances must record predictions.")
        Double predictionDrift;

        @Option(names = "--estimated-loss", paramLabel = "MARGIN",
                description = "Also compare the arms' mean estimated loss (label-free, such as CBPE's expected"
                        + " error per prediction), promoted when at most MARGIN worse, such as 0.01. The serving"
                        + " instances must record estimated losses.")
        Double estimatedLoss;

        private ModelRef.Version candidate;
        private RolloutPolicy policy;

        @Override
        void check() {
            candidate = Inputs.version(ref, "rollout start");
            Names.requireValid(Names.Kind.ALIAS, alias);
            if (name == null) {
                name = candidate.model() + "-" + candidate.number();
            }
            Names.requireValid(Names.Kind.KEY_SEGMENT, name);
            if (minRequests < 0) {
                throw new BadInputException("--min-requests must be >= 0, was " + minRequests);
            }
            if (!(alpha > 0 && alpha < 1)) {
                throw new BadInputException("--alpha must be in (0, 1), was " + alpha);
            }
            List<RolloutPolicy.Step> list = new ArrayList<>();
            for (double share : shares(steps)) {
                list.add(new RolloutPolicy.Step(share, minRequests, minDuration));
            }
            List<GuardrailSpec> guardrails = new ArrayList<>(RolloutPolicy.defaults().guardrails());
            try {
                if (predictionDrift != null) {
                    guardrails.addAll(GuardrailSpec.predictionDrift(predictionDrift));
                }
                if (estimatedLoss != null) {
                    guardrails.add(GuardrailSpec.of(Guardrail.ESTIMATED_LOSS, estimatedLoss));
                }
            } catch (IllegalArgumentException e) {
                throw new BadInputException((predictionDrift != null && !(predictionDrift > 0) ? "--prediction-drift"
                        : "--estimated-loss") + ": " + e.getMessage());
            }
            try {
                policy = new RolloutPolicy(list, guardrails, alpha);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--steps " + Names.quote(steps) + ": " + e.getMessage());
            }
        }

        /** Parses {@code 1%,5%,0.25}: each share in (0, 1), increasing (checked by the policy). */
        static List<Double> shares(String text) {
            List<Double> shares = new ArrayList<>();
            for (String part : text.split(",", -1)) {
                String p = part.strip();
                boolean percent = p.endsWith("%");
                String number = percent ? p.substring(0, p.length() - 1).strip() : p;
                double v;
                try {
                    v = Inputs.finiteNumber("--steps", "step", number);
                } catch (BadInputException e) {
                    throw new BadInputException("--steps " + Names.quote(text) + ": step " + Names.quote(p)
                            + " is not a share: expected a percentage such as 5% or a fraction such as 0.05");
                }
                double share = percent ? v / 100 : v;
                if (!(share > 0 && share < 1)) {
                    throw new BadInputException("--steps " + Names.quote(text) + ": step " + Names.quote(p)
                            + " must be a share in (0, 1) (0% < share < 100%; 100% is the promotion itself)");
                }
                shares.add(share);
            }
            return shares;
        }

        @Override
        boolean createsStore() {
            return true;
        }

        @Override
        int execute(Mlops mlops) {
            mlops.models().version(candidate.model(), candidate.number()); // unknown version: exit 2
            RolloutReport.read(store, name).ifPresent(r -> {
                throw new ConflictException("rollout " + Names.quote(name) + " already exists ("
                        + lower(r.state().status()) + ", " + r.state().candidate() + " on " + r.state().alias()
                        + "); abort it or start one under another --name");
            });
            Rollout rollout = Rollout.builder(mlops, store, name).candidate(candidate).alias(alias).policy(policy)
                    .instanceId("cli").build();
            RolloutState s = rollout.start();
            RolloutReport r = report(name);
            if (jsonOutput()) {
                json(view(r));
            } else {
                line("rollout " + name + " started: " + s.candidate() + " against " + s.control() + " ("
                        + s.candidate().model() + "@" + s.alias() + "), step 1 of " + policy.steps().size() + " at "
                        + percent(r.candidateShare()));
            }
            return Errors.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show a rollout's state, steps, fleet-wide statistics and evidence.",
                    "The evidence is every guardrail's latest: the arms' estimates, the sequential tests' log",
                    "ratios against their threshold, and the always-valid confidence interval of the difference."},
            footer = {"", "--html FILE writes one self-contained page: the steps, each guardrail",
                    "over time and the decision with its evidence.",
                    "", "Example:",
                    "  mlops --store ./registry rollout status rain-4",
                    "  mlops --store ./registry rollout status rain-4 --html rollout.html"})
    static final class Status extends RolloutStoreCommand {
        @Parameters(index = "0", paramLabel = "ROLLOUT", description = "The rollout's name, such as rain-4.")
        String name;

        @Option(names = "--html", paramLabel = "FILE", description = "Also write the rollout as an HTML page; - for stdout.")
        Path html;

        @Override
        void check() {
            Names.requireValid(Names.Kind.KEY_SEGMENT, name);
            Outputs outputs = new Outputs().output("--html", html);
            root().storeDirectory().ifPresent(dir -> outputs.inputDirectory("the store directory", dir));
            outputs.check(jsonOutput());
        }

        @Override
        int execute(Mlops mlops) {
            RolloutReport r = report(name);
            if (html != null) {
                Outputs.write("--html", html, RolloutPage.render(r), out());
                if (Outputs.isStdout(html)) {
                    return Errors.OK;
                }
            }
            if (jsonOutput()) {
                json(view(r));
                return Errors.OK;
            }
            RolloutState s = r.state();
            line("rollout " + s.name() + ": " + lower(s.status()) + ", " + s.candidate() + " against " + s.control()
                    + " (" + s.candidate().model() + "@" + s.alias() + "), candidate share " + percent(r.candidateShare()));
            line("started " + Text.time(s.startedAt()) + ", step " + (s.step() + 1) + " of " + r.policy().steps().size()
                    + " since " + Text.time(s.stepStartedAt()) + (s.decidedAt().isPresent() ? ", decided "
                    + Text.time(s.decidedAt().get()) : "") + "; " + s.reason());
            Table steps = new Table("STEP", "SHARE", "MIN REQUESTS", "MIN DURATION", "STATE");
            for (int i = 0; i < r.policy().steps().size(); i++) {
                RolloutPolicy.Step st = r.policy().steps().get(i);
                steps.row(String.valueOf(i + 1), percent(st.share()), String.valueOf(st.minCandidateRequests()),
                        st.minDuration().toString(), stepState(s, i));
            }
            steps.print(out());
            line("fleet: " + r.instances() + " instance(s); control " + arm(r.control()) + "; candidate "
                    + arm(r.candidate()));
            List<GuardrailResult> evidence = s.evidence().isEmpty() && !r.looks().isEmpty()
                    ? r.looks().get(r.looks().size() - 1).results() : s.evidence();
            if (!evidence.isEmpty()) {
                Table t = new Table("GUARDRAIL", "CONTROL", "CANDIDATE", "DIFFERENCE", "INTERVAL", "LOG RATIO WORSE",
                        "NOT WORSE", "THRESHOLD", "VERDICT");
                for (GuardrailResult g : evidence) {
                    t.row(g.guardrail().jsonName(), number(g.control()) + " (n=" + g.controlCount() + ")",
                            number(g.candidate()) + " (n=" + g.candidateCount() + ")",
                            number(g.difference()), "[" + number(g.lower()) + ", "
                                    + number(g.upper()) + "]",
                            number(g.logRatioWorse()), number(g.logRatioNotWorse()),
                            number(g.logThreshold()), lower(g.verdict()));
                }
                t.print(out());
            }
            return Errors.OK;
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = {"Stop a running rollout: the candidate's share goes to 0, the alias stays.",
                    "Audited as rollout.abort with the reason; every instance follows on its next look."},
            footer = {"", "Exit codes: 0 aborted, 2 unknown rollout, 1 the rollout has already finished.",
                    "", "Example:", "  mlops --store ./registry rollout abort rain-4 --reason error-budget-spent"})
    static final class Abort extends RolloutStoreCommand {
        @Parameters(index = "0", paramLabel = "ROLLOUT", description = "The rollout's name, such as rain-4.")
        String name;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the audit trail.")
        String reason;

        @Override
        void check() {
            Names.requireValid(Names.Kind.KEY_SEGMENT, name);
            if (reason.isBlank()) {
                throw new BadInputException("--reason is empty: say why the rollout is stopped, for the audit trail");
            }
        }

        @Override
        int execute(Mlops mlops) {
            RolloutState before = report(name).state();
            if (before.status().finished()) {
                throw new ConflictException("rollout " + Names.quote(name) + " has already finished ("
                        + lower(before.status()) + ": " + before.reason() + "); nothing to abort");
            }
            RolloutState s = Rollout.builder(mlops, store, name).candidate(before.candidate()).alias(before.alias())
                    .instanceId("cli").build().abort(reason);
            if (s.status() != RolloutState.Status.ABORTED) {
                throw new ConflictException("rollout " + Names.quote(name) + " finished meanwhile ("
                        + lower(s.status()) + ": " + s.reason() + "); not aborted");
            }
            if (jsonOutput()) {
                json(view(report(name)));
            } else {
                line("rollout " + name + " aborted at step " + (s.step() + 1) + ": " + s.candidate() + " gets no traffic, "
                        + s.candidate().model() + "@" + s.alias() + " stays on " + s.control().number());
            }
            return Errors.OK;
        }
    }

    private static String stepState(RolloutState s, int i) {
        if (i != s.step()) {
            return i < s.step() ? "passed" : "";
        }
        return switch (s.status()) {
            case RUNNING -> "current";
            case PROMOTED, PROMOTION_REFUSED -> "passed";
            default -> lower(s.status()) + " here";
        };
    }

    /** Four significant digits; a bound or ratio not defined yet (too few observations) as inf or n/a. */
    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return PromoteCommand.number(v);
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static String percent(double share) {
        return PromoteCommand.number(share * 100) + "%";
    }

    private static String arm(ArmStats a) {
        String t = a.requests() + " requests, " + a.errors() + " errors";
        if (a.predictions() > 0 || a.invalidPredictions() > 0) {
            t += ", " + a.predictions() + " predictions compared, " + a.invalidPredictions() + " not finite";
        }
        if (a.estimates() > 0) {
            t += ", mean estimated loss " + number(a.estimateSum() / a.estimates()) + " (n=" + a.estimates() + ")";
        }
        return t;
    }

    /** The JSON of {@code status} (and of {@code start} and {@code abort}). */
    static Map<String, Object> view(RolloutReport r) {
        RolloutState s = r.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("model", s.candidate().model());
        m.put("alias", s.alias());
        m.put("control_version", s.control().number());
        m.put("candidate_version", s.candidate().number());
        m.put("status", lower(s.status()));
        m.put("step", s.step());
        m.put("candidate_share", r.candidateShare());
        m.put("started_at", s.startedAt().toString());
        m.put("step_started_at", s.stepStartedAt().toString());
        m.put("decided_at", s.decidedAt().map(Object::toString).orElse(null));
        m.put("reason", s.reason());
        m.put("alias_moved", s.aliasMoved());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (RolloutPolicy.Step st : r.policy().steps()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("share", st.share());
            o.put("min_candidate_requests", st.minCandidateRequests());
            o.put("min_duration", st.minDuration().toString());
            steps.add(o);
        }
        m.put("steps", steps);
        List<Map<String, Object>> guardrails = new ArrayList<>();
        for (GuardrailSpec g : r.policy().guardrails()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("guardrail", g.guardrail().jsonName());
            o.put("margin", g.margin());
            o.put("two_sided", g.guardrail().twoSided());
            guardrails.add(o);
        }
        m.put("guardrails", guardrails);
        m.put("alpha", r.policy().alpha());
        m.put("instances", r.instances());
        m.put("control", armView(r.control()));
        m.put("candidate", armView(r.candidate()));
        m.put("evidence", s.evidence().stream().map(RolloutCommand::resultView).toList());
        m.put("looks", r.looks().size());
        return m;
    }

    private static Map<String, Object> armView(ArmStats a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", a.requests());
        m.put("errors", a.errors());
        m.put("latencies", a.latencies());
        m.put("over_p50", a.overP50());
        m.put("over_p99", a.overP99());
        m.put("losses", a.losses());
        m.put("predictions", a.predictions());
        m.put("over_q25", a.overQ25());
        m.put("over_q50", a.overQ50());
        m.put("over_q75", a.overQ75());
        m.put("invalid_predictions", a.invalidPredictions());
        m.put("estimates", a.estimates());
        m.put("mean_estimated_loss", a.estimates() == 0 ? null : a.estimateSum() / a.estimates());
        return m;
    }

    private static Map<String, Object> resultView(GuardrailResult g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("guardrail", g.guardrail().jsonName());
        m.put("control_count", g.controlCount());
        m.put("candidate_count", g.candidateCount());
        m.put("control", finite(g.control()));
        m.put("candidate", finite(g.candidate()));
        m.put("difference", finite(g.difference()));
        m.put("lower", finite(g.lower()));
        m.put("upper", finite(g.upper()));
        m.put("log_ratio_worse", finite(g.logRatioWorse()));
        m.put("log_ratio_not_worse", finite(g.logRatioNotWorse()));
        m.put("log_threshold", finite(g.logThreshold()));
        m.put("verdict", lower(g.verdict()));
        return m;
    }

    /** JSON has no NaN or infinity: null stands for "not defined yet" (too few observations). */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
