package dev.mlops.gates;

import dev.mlops.api.AttachmentNames;
import dev.mlops.core.Mlops;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.ConflictException;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.LatencyMeasurement;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.quality.Verdict;
import dev.mlops.api.Digests;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Decides whether a candidate version may take an alias, and moves the alias only when every
 * check of its {@link PromotionPolicy} passes.
 *
 * <pre>{@code
 * PromotionGate gate = PromotionGate.of(mlops, policy);
 * PromotionGate.Inputs inputs = PromotionGate.inputs()
 *         .frame(holdout)                                        // data checks, fairness, evaluation
 *         .classifier(version -> evaluatorFor(loader.load(version)))  // the gate evaluates both models
 *         .latency(Evaluation.latency(candidateModel, sample, 200))
 *         .build();
 * PromotionGate.Promotion p = gate.promote(new ModelRef.Version("credit", 4), "production", inputs);
 * if (!p.promoted()) {
 *     p.decision().failures().forEach(c -> log.warn("{}: {}", c.name(), c.detail()));
 * }
 * }</pre>
 *
 * <p>Failure semantics: a check that cannot be computed fails with the reason (an evaluation
 * that throws, missing or empty data, a champion that cannot be loaded or evaluated, a metric
 * that is absent or not finite); a decision with no check does not pass; {@link #promote} never
 * moves the alias unless the decision passed, and records every decision, passed or refused,
 * before anything moves. Thread-safe.
 */
public final class PromotionGate {
    /** Prefix of the attachment names under which decisions are recorded: {@code promotion-decision-N} (see {@link AttachmentNames}). */
    public static final String DECISION_PREFIX = AttachmentNames.DECISION_PREFIX;
    /** The decision document's kind. */
    public static final String DECISION_KIND = "promotion-decision";
    /** The decision document's schema version: 2, snake_case; version 1 (camelCase) is still read. */
    public static final int DECISION_SCHEMA_VERSION = 2;
    private static final int MAX_RECORD_ATTEMPTS = 1_000;

    private final Mlops mlops;
    private final PromotionPolicy policy;

    private PromotionGate(Mlops mlops, PromotionPolicy policy) {
        this.mlops = mlops;
        this.policy = policy;
    }

    /**
     * @param mlops the registry and audit log the gate reads and writes
     * @param policy the rules
     * @return a gate
     */
    public static PromotionGate of(Mlops mlops, PromotionPolicy policy) {
        return new PromotionGate(Objects.requireNonNull(mlops, "mlops"), Objects.requireNonNull(policy, "policy"));
    }

    /** @return the policy */
    public PromotionPolicy policy() {
        return policy;
    }

    /** @return a builder for what the checks need */
    public static Inputs.Builder inputs() {
        return new Inputs.Builder();
    }

    /**
     * Runs every check of the policy; changes nothing.
     *
     * @param candidate the version that would take the alias
     * @param alias the alias, such as {@code production}; its current holder is the champion
     * @param inputs what the checks need
     * @return the decision with every check
     */
    public PromotionDecision evaluate(ModelRef.Version candidate, String alias, Inputs inputs) {
        return run(candidate, alias, inputs).decision;
    }

    /**
     * Evaluates, records the decision as the candidate's attachment {@code promotion-decision-N}
     * (audited {@code version.attach}), and then: when it passed, moves the alias by
     * compare-and-set against the champion the decision saw, audited as {@code alias.promote}
     * with the decision's name and digest; when it did not, appends {@code promotion.refused}
     * and leaves the alias alone. If the process dies after recording a passed decision and
     * before the move, the decision is kept and the alias did not move: promote again.
     *
     * @param candidate the version that would take the alias
     * @param alias the alias
     * @param inputs what the checks need
     * @return the decision, whether the alias now points at the candidate, and where the decision is recorded
     * @throws ConflictException if the alias moved between the decision and the move (the
     *     decision stays recorded; evaluate again)
     */
    public Promotion promote(ModelRef.Version candidate, String alias, Inputs inputs) {
        Run run = run(candidate, alias, inputs);
        PromotionDecision d = run.decision;
        byte[] json = toJson(d).getBytes(StandardCharsets.UTF_8);
        String sha = Digests.sha256Hex(json);
        Optional<String> recordedAs = run.candidateExists ? Optional.of(record(candidate, json)) : Optional.empty();
        Map<String, String> facts = new TreeMap<>();
        facts.put("alias", alias);
        recordedAs.ifPresent(n -> facts.put("decision", n));
        facts.put("decision_sha256", sha);
        facts.put("policy", d.policy());
        if (!d.passed()) {
            List<String> failed = d.failures().stream().map(CheckResult::name).toList();
            facts.put("failed", failed.isEmpty() ? "(no checks)" : String.join(", ", failed));
            mlops.audit().record("promotion.refused", candidate.toString(), d.champion()
                    .map(c -> Map.of("champion", c.toString())).orElse(Map.of()), facts);
            return new Promotion(d, false, recordedAs);
        }
        facts.put("candidate", candidate.toString());
        facts.remove("alias");
        try {
            mlops.models().setAliasIf(candidate.model(), alias, candidate.number(),
                    d.champion().map(c -> java.util.OptionalInt.of(c.number())).orElse(java.util.OptionalInt.empty()), facts);
        } catch (dev.mlops.api.ConflictException e) {
            // the registry says what it found; the gate says what to do about it
            throw new dev.mlops.api.ConflictException(candidate + " was not promoted: the alias moved since the promotion"
                    + " decision; evaluate again against the new champion (" + e.getMessage() + ")");
        }
        return new Promotion(d, true, recordedAs);
    }

    private String record(ModelRef.Version candidate, byte[] json) {
        ModelRegistry models = mlops.models();
        int n = 1 + models.version(candidate.model(), candidate.number()).attachments().keySet().stream()
                .filter(k -> k.startsWith(DECISION_PREFIX))
                .mapToInt(k -> parseOrZero(k.substring(DECISION_PREFIX.length()))).max().orElse(0);
        for (int attempt = 0; attempt < MAX_RECORD_ATTEMPTS; attempt++, n++) {
            try {
                models.addAttachment(candidate, DECISION_PREFIX + n, json);
                return DECISION_PREFIX + n;
            } catch (ConflictException takenByAConcurrentGate) {
                // another decision took this number: try the next
            }
        }
        throw new ConflictException("could not record a promotion decision for " + candidate + " after "
                + MAX_RECORD_ATTEMPTS + " attempts lost to concurrent gates");
    }

    private static int parseOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Reads every decision recorded with a version, oldest first.
     *
     * @param models the registry
     * @param version a version
     * @return its recorded decisions by attachment name, in number order
     */
    public static Map<String, PromotionDecision> recordedDecisions(ModelRegistry models, ModelRef.Version version) {
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(version, "version");
        TreeMap<Integer, String> names = new TreeMap<>();
        models.version(version.model(), version.number()).attachments().keySet().stream()
                .filter(k -> k.startsWith(DECISION_PREFIX))
                .forEach(k -> names.put(parseOrZero(k.substring(DECISION_PREFIX.length())), k));
        Map<String, PromotionDecision> out = new java.util.LinkedHashMap<>();
        names.values().forEach(k -> out.put(k, decisionFromJson(new String(models.attachment(version, k),
                StandardCharsets.UTF_8))));
        return out;
    }

    // ---- the checks ---------------------------------------------------------------------------

    private record Run(PromotionDecision decision, boolean candidateExists) {
    }

    private Run run(ModelRef.Version candidate, String alias, Inputs inputs) {
        Objects.requireNonNull(candidate, "candidate");
        Names.requireValid(Names.Kind.ALIAS, alias);
        Objects.requireNonNull(inputs, "inputs");
        Instant now = mlops.clock().instant();
        GateContext ctx = new GateContext(mlops.models(), policy, candidate, alias, inputs);
        List<CheckResult> checks = ctx.checks();
        return new Run(new PromotionDecision(candidate, alias, ctx.championRef(), checks, now, policy.id()),
                ctx.candidateExists());
    }

    // ---- JSON ---------------------------------------------------------------------------------

    /**
     * @param decision a decision
     * @return it as JSON ({@code schema_version}, {@code kind}, every check; an absent observed
     *     value is {@code null})
     */
    public static String toJson(PromotionDecision decision) {
        Objects.requireNonNull(decision, "decision");
        ObjectNode root = StrictJson.objectNode();
        root.put("schema_version", DECISION_SCHEMA_VERSION).put("kind", DECISION_KIND)
                .put("candidate", decision.candidate().toString()).put("alias", decision.alias());
        if (decision.champion().isPresent()) {
            root.put("champion", decision.champion().get().toString());
        } else {
            root.putNull("champion");
        }
        root.put("decided_at", decision.decidedAt().toString()).put("policy", decision.policy())
                .put("passed", decision.passed());
        ArrayNode checks = root.putArray("checks");
        for (CheckResult c : decision.checks()) {
            ObjectNode o = checks.addObject().put("name", c.name());
            if (c.observed().isPresent() && Double.isFinite(c.observed().getAsDouble())) {
                o.put("observed", c.observed().getAsDouble());
            } else {
                o.putNull("observed");
            }
            o.put("required", c.required()).put("verdict", c.verdict().name()).put("detail", c.detail());
        }
        return StrictJson.writePretty(root);
    }

    /**
     * @param json a document written by {@link #toJson(PromotionDecision)} (schema 2, or schema 1
     *     with camelCase names)
     * @return the decision
     * @throws ValidationException if it is not one (naming the field)
     */
    public static PromotionDecision decisionFromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonFields root = StrictJson.readObject(json, "promotion decision").versioned(DECISION_KIND, DECISION_SCHEMA_VERSION);
        ModelRef.Version candidate = versionRef(root, "candidate");
        Optional<ModelRef.Version> champion = root.has("champion") ? Optional.of(versionRef(root, "champion"))
                : Optional.empty();
        Instant at;
        try {
            at = Instant.parse(root.text("decided_at"));
        } catch (java.time.format.DateTimeParseException e) {
            throw root.invalid("decided_at", "not an ISO-8601 instant: " + Names.quote(e.getParsedString()));
        }
        List<CheckResult> checks = new ArrayList<>();
        for (JsonFields o : root.objects("checks")) {
            OptionalDouble observed = o.optionalNumber("observed");
            String v = o.text("verdict");
            Verdict verdict;
            try {
                verdict = Verdict.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw o.invalid("verdict", "unknown verdict " + Names.quote(v) + "; expected PASS or FAIL");
            }
            checks.add(new CheckResult(o.text("name"), observed, o.text("required"), verdict, o.text("detail")));
            o.end();
        }
        PromotionDecision d = new PromotionDecision(candidate, root.text("alias"), champion, checks, at, root.text("policy"));
        // written by toJson for readers of the document; the decision recomputes it from its checks
        boolean passed = root.bool("passed");
        if (passed != d.passed()) {
            throw root.invalid("passed", "is " + passed + ", but the checks say " + d.passed());
        }
        root.end();
        return d;
    }

    private static ModelRef.Version versionRef(JsonFields root, String field) {
        String s = root.text(field);
        try {
            if (ModelRef.parse(s) instanceof ModelRef.Version v) {
                return v;
            }
        } catch (RuntimeException e) {
            throw root.invalid(field, "not a version reference: " + e.getMessage());
        }
        throw root.invalid(field, Names.quote(s) + " is not a version; expected one such as credit/3");
    }

    // ---- public value types -------------------------------------------------------------------

    /**
     * The outcome of {@link #promote}.
     *
     * @param decision the decision with every check
     * @param promoted true if the decision passed and the alias now points at the candidate
     * @param recordedAs the attachment of the candidate that holds the decision (absent only when
     *     the candidate version does not exist)
     */
    public record Promotion(PromotionDecision decision, boolean promoted, Optional<String> recordedAs) {
        /** Checks arguments. */
        public Promotion {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(recordedAs, "recordedAs");
        }
    }

    /**
     * Turns a registered version into an evaluator over the evaluation frame: typically load the
     * model from its artifact and wrap it with {@code Evaluation.classifier(...)}. Whatever it
     * throws fails the checks that need that model's evaluation, with the message.
     *
     * @param <D> evaluation data type
     */
    @FunctionalInterface
    public interface EvaluatorFactory<D> {
        /**
         * @param version the candidate or the champion
         * @return an evaluator of that version's model
         * @throws Exception if the model cannot be loaded
         */
        FrameEvaluator<D> evaluator(ModelVersion version) throws Exception;
    }

    /**
     * What the checks need. Metric values for thresholds come, for each side (candidate,
     * champion), from the first source present: explicit values
     * ({@link Builder#candidateMetrics}), evaluation data (given, computed by an
     * {@link EvaluatorFactory} on the frame, or read from the policy's prediction columns of the
     * frame), or the registered metrics of the version ({@link Builder#registeredMetrics()}).
     * Significance and fairness need evaluation data; data validation needs the frame; the
     * latency ceiling needs a measurement.
     */
    public static final class Inputs {
        final Optional<Frame> frame;
        final Optional<LatencyMeasurement> latency;
        final Optional<Map<String, Double>> candidateMetrics;
        final Optional<Map<String, Double>> championMetrics;
        final boolean registeredMetrics;
        final Optional<Object> candidateData;
        final Optional<Object> championData;
        final Optional<EvaluatorFactory<ClassificationData>> classifier;
        final Optional<EvaluatorFactory<RegressionData>> regressor;

        private Inputs(Builder b) {
            this.frame = Optional.ofNullable(b.frame);
            this.latency = Optional.ofNullable(b.latency);
            this.candidateMetrics = Optional.ofNullable(b.candidateMetrics);
            this.championMetrics = Optional.ofNullable(b.championMetrics);
            this.registeredMetrics = b.registeredMetrics;
            this.candidateData = Optional.ofNullable(b.candidateData);
            this.championData = Optional.ofNullable(b.championData);
            this.classifier = Optional.ofNullable(b.classifier);
            this.regressor = Optional.ofNullable(b.regressor);
        }

        /** Builds {@link Inputs}; fails at once on a conflicting source. */
        public static final class Builder {
            private Frame frame;
            private LatencyMeasurement latency;
            private Map<String, Double> candidateMetrics;
            private Map<String, Double> championMetrics;
            private boolean registeredMetrics;
            private Object candidateData;
            private Object championData;
            private EvaluatorFactory<ClassificationData> classifier;
            private EvaluatorFactory<RegressionData> regressor;

            private Builder() {
            }

            /**
             * @param frame the labeled evaluation frame: validated by the policy's suite, split by
             *     its sensitive columns, evaluated by an {@link EvaluatorFactory}, or read for
             *     predictions through the policy's prediction columns
             * @return this
             */
            public Builder frame(Frame frame) {
                this.frame = Objects.requireNonNull(frame, "frame");
                return this;
            }

            /**
             * @param measurement the candidate's latency, for the latency ceiling
             * @return this
             */
            public Builder latency(LatencyMeasurement measurement) {
                this.latency = Objects.requireNonNull(measurement, "measurement");
                return this;
            }

            /**
             * @param metrics the candidate's metric values, computed on the same rows as the
             *     champion's
             * @return this
             */
            public Builder candidateMetrics(Map<String, Double> metrics) {
                this.candidateMetrics = Map.copyOf(Objects.requireNonNull(metrics, "metrics"));
                return this;
            }

            /**
             * @param metrics the champion's metric values on the same rows
             * @return this
             */
            public Builder championMetrics(Map<String, Double> metrics) {
                this.championMetrics = Map.copyOf(Objects.requireNonNull(metrics, "metrics"));
                return this;
            }

            /**
             * Falls back to the metrics registered with each version (as the CLI does). They
             * compare fairly only if both were computed on the same data.
             *
             * @return this
             */
            public Builder registeredMetrics() {
                this.registeredMetrics = true;
                return this;
            }

            /**
             * @param candidate the candidate's predictions with labels
             * @return this
             */
            public Builder classification(ClassificationData candidate) {
                return data(Objects.requireNonNull(candidate, "candidate"), null);
            }

            /**
             * @param candidate the candidate's predictions with labels
             * @param champion the champion's on the same rows in the same order
             * @return this
             */
            public Builder classification(ClassificationData candidate, ClassificationData champion) {
                return data(Objects.requireNonNull(candidate, "candidate"), Objects.requireNonNull(champion, "champion"));
            }

            /**
             * @param candidate the candidate's predictions with targets
             * @return this
             */
            public Builder regression(RegressionData candidate) {
                return data(Objects.requireNonNull(candidate, "candidate"), null);
            }

            /**
             * @param candidate the candidate's predictions with targets
             * @param champion the champion's on the same rows in the same order
             * @return this
             */
            public Builder regression(RegressionData candidate, RegressionData champion) {
                return data(Objects.requireNonNull(candidate, "candidate"), Objects.requireNonNull(champion, "champion"));
            }

            private Builder data(Object candidate, Object champion) {
                if (candidateData != null || classifier != null || regressor != null) {
                    throw new IllegalStateException("evaluation data was given already");
                }
                candidateData = candidate;
                championData = champion;
                return this;
            }

            /**
             * @param factory makes an evaluator for the candidate and for the champion, run on the frame
             * @return this
             */
            public Builder classifier(EvaluatorFactory<ClassificationData> factory) {
                Objects.requireNonNull(factory, "factory");
                if (candidateData != null || classifier != null || regressor != null) {
                    throw new IllegalStateException("evaluation data was given already");
                }
                classifier = factory;
                return this;
            }

            /**
             * @param factory makes an evaluator for the candidate and for the champion, run on the frame
             * @return this
             */
            public Builder regressor(EvaluatorFactory<RegressionData> factory) {
                Objects.requireNonNull(factory, "factory");
                if (candidateData != null || classifier != null || regressor != null) {
                    throw new IllegalStateException("evaluation data was given already");
                }
                regressor = factory;
                return this;
            }

            /**
             * @return the inputs
             * @throws IllegalStateException if an evaluator factory was given without a frame
             */
            public Inputs build() {
                if ((classifier != null || regressor != null) && frame == null) {
                    throw new IllegalStateException("an evaluator factory needs the frame to evaluate on: call frame(...)");
                }
                return new Inputs(this);
            }
        }
    }
}
