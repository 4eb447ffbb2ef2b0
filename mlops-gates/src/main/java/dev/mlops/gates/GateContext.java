package dev.mlops.gates;

import dev.mlops.quality.Fairness;
import dev.mlops.quality.Frames;
import dev.mlops.quality.Metrics;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.MetricValue;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.quality.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One evaluation of a policy: resolves the champion, computes what the checks need at most once
 * (each as a value or the reason it could not be had), and turns every rule into a
 * {@link CheckResult}. Nothing here throws for a check: whatever goes wrong fails that check.
 */
final class GateContext {
    private final ModelRegistry models;
    private final PromotionPolicy policy;
    private final ModelRef.Version candidate;
    private final String alias;
    private final PromotionGate.Inputs in;

    private final Got<ModelVersion> candidateVersion;
    /** Empty: no version holds the alias. */
    private final Optional<Got<ModelVersion>> champion;
    private final Optional<ModelRef.Version> championRef;
    private Got<Object> candidateData;
    private Got<Object> championData;
    private Got<Map<String, Double>> candidateMetrics;
    private Got<Map<String, Double>> championMetrics;
    private final Map<String, Got<FairnessReport>> fairness = new HashMap<>();

    /** A value, or why it could not be had. */
    private record Got<T>(T value, String error) {
        static <T> Got<T> of(T value) {
            return new Got<>(value, null);
        }

        static <T> Got<T> fail(String error) {
            return new Got<>(null, error);
        }

        boolean ok() {
            return error == null;
        }
    }

    GateContext(ModelRegistry models, PromotionPolicy policy, ModelRef.Version candidate, String alias,
                PromotionGate.Inputs in) {
        this.models = models;
        this.policy = policy;
        this.candidate = candidate;
        this.alias = alias;
        this.in = in;
        this.candidateVersion = attempt(() -> models.version(candidate.model(), candidate.number()),
                "candidate " + candidate + " cannot be read");
        Optional<Got<ModelVersion>> ch;
        Optional<ModelRef.Version> chRef;
        try {
            ModelVersion v = models.resolve(new ModelRef.Alias(candidate.model(), alias));
            ch = Optional.of(Got.of(v));
            chRef = Optional.of(v.ref());
        } catch (NotFoundException noChampion) {
            ch = Optional.empty();
            chRef = Optional.empty();
        } catch (RuntimeException e) {
            ch = Optional.of(Got.fail("the champion (" + candidate.model() + "@" + alias + ") cannot be loaded: "
                    + describe(e)));
            chRef = Optional.empty();
        }
        this.champion = ch;
        this.championRef = chRef;
    }

    boolean candidateExists() {
        return candidateVersion.ok();
    }

    Optional<ModelRef.Version> championRef() {
        return championRef;
    }

    List<CheckResult> checks() {
        List<CheckResult> out = new ArrayList<>();
        if (policy.isEmpty()) {
            out.add(fail("policy", "at least one rule", "policy " + Names.quote(policy.name())
                    + " has no rules; a gate without checks never promotes"));
        }
        if (!candidateVersion.ok()) {
            out.add(fail("candidate", "an existing version", candidateVersion.error()));
        }
        if (champion.isPresent() && !champion.get().ok()) {
            out.add(fail("champion", "the alias holder can be read", champion.get().error()));
        }
        if (gateEvaluates()) {
            // an evaluation that throws refuses the candidate even when no rule reads its result
            out.add(evaluationCheck("evaluation:candidate", candidateData()));
            if (champion.isPresent() && champion.get().ok() && canEvaluateChampion()) {
                out.add(evaluationCheck("evaluation:champion", championData()));
            }
        }
        in.frame.ifPresent(f -> {
            if (f.rowCount() == 0) {
                out.add(new CheckResult("data:rows", OptionalDouble.of(0), ">= 1", Verdict.FAIL,
                        "the evaluation frame has no rows; a gate never passes empty data"));
            }
        });
        for (PromotionRule rule : policy.rules()) {
            try {
                out.addAll(rule.check(this));
            } catch (RuntimeException e) {
                // each rule guards its own check; this is the last line, so one broken rule cannot stop the gate
                out.add(fail(rule.key(), "the check runs", "the check threw " + describe(e)));
            }
        }
        return out;
    }

    // ---- what the rules use ------------------------------------------------------------------

    /** An absolute bound, {@code limit}, on the candidate's metric. */
    CheckResult bound(String check, String metric, double limit, String required, java.util.function.DoublePredicate ok) {
        return guarded(check, required, () -> {
            Got<Double> v = metric(candidateMetrics(), metric, "candidate");
            if (!v.ok()) {
                return fail(check, required, v.error());
            }
            double x = v.value();
            return result(check, x, required, ok.test(x), "candidate " + metric + " = " + num(x, limit));
        });
    }

    Optional<dev.mlops.api.quality.LatencyMeasurement> latency() {
        return in.latency;
    }

    Optional<Frame> frame() {
        return in.frame;
    }

    /** Both values, or a finished check when the comparison cannot be made (or is skipped). */
    private record Pair(double candidate, double champion, CheckResult settled) {
    }

    private Pair pair(String check, String metric, String required) {
        Optional<CheckResult> noChampion = championMissing(check, required);
        if (noChampion.isPresent()) {
            return new Pair(Double.NaN, Double.NaN, noChampion.get());
        }
        Got<Double> c = metric(candidateMetrics(), metric, "candidate");
        if (!c.ok()) {
            return new Pair(Double.NaN, Double.NaN, fail(check, required, c.error()));
        }
        Got<Double> h = metric(championMetrics(), metric, "champion " + championRef.map(Object::toString).orElse(""));
        if (!h.ok()) {
            return new Pair(Double.NaN, Double.NaN, fail(check, required, h.error()));
        }
        return new Pair(c.value(), h.value(), null);
    }

    /**
     * The oriented change must be at least {@code minChange} (negative for a margin): as MLflow,
     * the bound is computed first ({@code champion +/- minChange}), then compared.
     */
    CheckResult absoluteChange(String check, String metric, boolean greaterIsBetter, double minChange,
                                 String required, String changeLabel, String note) {
        Pair p = pair(check, metric, required);
        if (p.settled() != null) {
            return p.settled();
        }
        boolean ok = greaterIsBetter ? p.candidate() >= p.champion() + minChange
                : p.candidate() <= p.champion() - minChange;
        double change = greaterIsBetter ? p.candidate() - p.champion() : p.champion() - p.candidate();
        return result(check, change, required, ok, metric + ": candidate " + num(p.candidate()) + ", champion "
                + num(p.champion()) + " (" + direction(greaterIsBetter) + "); " + changeLabel + " " + num(change, minChange)
                + note);
    }

    /**
     * The oriented change divided by |champion| must be at least {@code minChange}; for a champion
     * of 0, an {@code improvement} must be strictly better by 1e-10 (MLflow's fallback) and a
     * margin, a fraction of 0, tolerates no loss.
     */
    CheckResult relativeChange(String check, String metric, boolean greaterIsBetter, double minChange,
                                 String required, boolean improvement, String changeLabel, String note) {
        Pair p = pair(check, metric, required);
        if (p.settled() != null) {
            return p.settled();
        }
        String values = metric + ": candidate " + num(p.candidate()) + ", champion " + num(p.champion()) + " ("
                + direction(greaterIsBetter) + ")";
        if (p.champion() == 0.0) {
            double by = improvement ? 1e-10 : 0.0;
            boolean ok = greaterIsBetter ? p.candidate() >= p.champion() + by : p.candidate() <= p.champion() - by;
            return new CheckResult(check, OptionalDouble.empty(), required, ok ? Verdict.PASS : Verdict.FAIL,
                    values + (improvement ? "; the champion's value is 0, so as MLflow the candidate must only be better"
                            + " by 1e-10" : "; the champion's value is 0, so a relative margin tolerates no loss: the"
                            + " candidate must not be worse"));
        }
        double change = (greaterIsBetter ? p.candidate() - p.champion() : p.champion() - p.candidate())
                / Math.abs(p.champion());
        return result(check, change, required, change >= minChange, values + "; " + changeLabel + " "
                + num(change, minChange) + note);
    }

    /** Empty when a champion's values can be had; else the finished check (skipped or failed). */
    private Optional<CheckResult> championMissing(String check, String required) {
        if (champion.isEmpty()) {
            String none = "no version holds alias " + candidate.model() + "@" + alias;
            if (policy.requireChampion()) {
                return Optional.of(fail(check, required, none + " and the policy requires a champion to compare with"));
            }
            return Optional.of(new CheckResult(check, OptionalDouble.empty(), required, Verdict.PASS, none
                    + ": comparison skipped (no baseline, as MLflow skips it); set requireChampion to refuse instead"));
        }
        if (!champion.get().ok()) {
            return Optional.of(fail(check, required, champion.get().error()));
        }
        return Optional.empty();
    }

    // ---- significance -------------------------------------------------------------------------

    /** Both models' evaluation data, or a finished check when it cannot be had (or the comparison is skipped). */
    record Both(Object candidate, Object champion, CheckResult settled) {
    }

    Both bothData(String check, String required) {
        Optional<CheckResult> noChampion = championMissing(check, required);
        if (noChampion.isPresent()) {
            return new Both(null, null, noChampion.get());
        }
        Got<Object> c = candidateData();
        if (!c.ok()) {
            return new Both(null, null, fail(check, required, c.error()));
        }
        Got<Object> h = championData();
        if (!h.ok()) {
            return new Both(null, null, fail(check, required, h.error()));
        }
        return new Both(c.value(), h.value(), null);
    }

    // ---- latency, data, fairness --------------------------------------------------------------

    /** A bound on a fairness measure; the report of each column is computed once. */
    CheckResult fairness(String check, String column, String metric, String required,
                         java.util.function.DoublePredicate ok) {
        return guarded(check, required, () -> fairnessCheck(check, column, metric, required, ok));
    }

    private CheckResult fairnessCheck(String check, String column, String metric, String required,
                                      java.util.function.DoublePredicate ok) {
        Got<FairnessReport> g = fairness.computeIfAbsent(column, col -> {
            if (in.frame.isEmpty()) {
                return Got.fail("fairness needs the evaluation frame with column " + Names.quote(col));
            }
            Got<Object> c = candidateData();
            if (!c.ok()) {
                return Got.fail(c.error());
            }
            if (!(c.value() instanceof ClassificationData cd)) {
                return Got.fail("fairness needs classification data of the candidate");
            }
            return attempt(() -> Fairness.assess(cd, in.frame.get(), col), "fairness on " + Names.quote(col)
                    + " could not be computed");
        });
        if (!g.ok()) {
            return fail(check, required, g.error());
        }
        double v = g.value().metrics().stream().filter(m -> m.name().equals(metric)).findFirst()
                .map(MetricValue::value).orElse(Double.NaN);
        StringBuilder slices = new StringBuilder();
        g.value().slices().forEach(s -> slices.append(slices.length() == 0 ? "" : ", ").append(s.slice())
                .append(": selection rate ").append(num(s.selectionRate())));
        return result(check, v, required, ok.test(v), metric + " over slices of " + Names.quote(column)
                + " (positive class " + Names.quote(g.value().positiveClass()) + "): " + slices);
    }

    // ---- sources ------------------------------------------------------------------------------

    /** True when the gate itself produces evaluation data (a factory, or prediction columns of the frame). */
    private boolean gateEvaluates() {
        return in.candidateData.isEmpty() && hasDataSource();
    }

    private boolean canEvaluateChampion() {
        return in.classifier.isPresent() || in.regressor.isPresent()
                || policy.predictions().flatMap(PromotionPolicy.PredictionColumns::championPrediction).isPresent();
    }

    private static CheckResult evaluationCheck(String name, Got<Object> data) {
        if (!data.ok()) {
            return fail(name, "evaluates without error", data.error());
        }
        int rows = data.value() instanceof ClassificationData c ? c.size() : ((RegressionData) data.value()).size();
        return new CheckResult(name, OptionalDouble.of(rows), "evaluates without error", Verdict.PASS,
                "evaluated on " + rows + " rows");
    }

    private boolean hasDataSource() {
        return in.candidateData.isPresent() || in.classifier.isPresent() || in.regressor.isPresent()
                || (policy.predictions().isPresent() && in.frame.isPresent());
    }

    private Got<Object> candidateData() {
        if (candidateData == null) {
            candidateData = evaluationData(true);
        }
        return candidateData;
    }

    private Got<Object> championData() {
        if (championData == null) {
            championData = evaluationData(false);
        }
        return championData;
    }

    private Got<Object> evaluationData(boolean ofCandidate) {
        String who = ofCandidate ? "candidate " + candidate : "champion " + championRef.map(Object::toString).orElse("");
        if (in.candidateData.isPresent()) {
            Optional<Object> d = ofCandidate ? in.candidateData : in.championData;
            return d.map(Got::of).orElseGet(() -> Got.fail("no evaluation data for the " + who
                    + " was given (Inputs.classification(candidate, champion))"));
        }
        if (in.classifier.isPresent() || in.regressor.isPresent()) {
            Got<ModelVersion> v = ofCandidate ? candidateVersion : champion.orElseThrow();
            if (!v.ok()) {
                return Got.fail(v.error());
            }
            return attempt(() -> {
                Frame frame = in.frame.orElseThrow();
                if (in.classifier.isPresent()) {
                    return in.classifier.get().evaluator(v.value()).evaluate(frame);
                }
                return in.regressor.get().evaluator(v.value()).evaluate(frame);
            }, "the " + who + " could not be evaluated");
        }
        if (policy.predictions().isPresent() && in.frame.isPresent()) {
            PromotionPolicy.PredictionColumns pc = policy.predictions().get();
            if (!ofCandidate && pc.championPrediction().isEmpty()) {
                return Got.fail("the policy names no championPrediction column, so the champion's predictions"
                        + " on these rows are unknown");
            }
            return attempt(() -> fromColumns(in.frame.get(), pc, ofCandidate), "the " + who
                    + "'s predictions could not be read from the frame");
        }
        return Got.fail("no evaluation data for the " + who + ": give Inputs.classification/regression, an"
                + " evaluator factory with a frame, or a frame with the policy's prediction columns");
    }

    private static ClassificationData fromColumns(Frame frame, PromotionPolicy.PredictionColumns pc, boolean candidate) {
        String[] actual = Frames.labels(frame, pc.label());
        String[] predicted = Frames.labels(frame, candidate ? pc.prediction() : pc.championPrediction().orElseThrow());
        TreeSet<String> classes = new TreeSet<>(List.of(actual));
        classes.addAll(List.of(predicted));
        // the other model's predictions join the class list, so both sides compare over the same classes
        String other = candidate ? pc.championPrediction().orElse(null) : pc.prediction();
        if (other != null) {
            classes.addAll(List.of(Frames.labels(frame, other)));
        }
        ClassificationData d = ClassificationData.ofLabels(new ArrayList<>(classes), actual, predicted);
        return pc.positiveClass().map(d::withPositive).orElse(d);
    }

    private Got<Map<String, Double>> candidateMetrics() {
        if (candidateMetrics == null) {
            candidateMetrics = metrics(true);
        }
        return candidateMetrics;
    }

    private Got<Map<String, Double>> championMetrics() {
        if (championMetrics == null) {
            championMetrics = metrics(false);
        }
        return championMetrics;
    }

    private Got<Map<String, Double>> metrics(boolean ofCandidate) {
        Optional<Map<String, Double>> explicit = ofCandidate ? in.candidateMetrics : in.championMetrics;
        if (explicit.isPresent()) {
            return Got.of(explicit.get());
        }
        if (hasDataSource()) {
            Got<Object> d = ofCandidate ? candidateData() : championData();
            if (!d.ok()) {
                return Got.fail(d.error());
            }
            return attempt(() -> {
                Map<String, Double> m = new LinkedHashMap<>();
                List<MetricValue> values = d.value() instanceof ClassificationData c ? Metrics.report(c).metrics()
                        : Metrics.report((RegressionData) d.value()).metrics();
                values.forEach(v -> m.put(v.name(), v.value()));
                return m;
            }, "metrics could not be computed");
        }
        if (in.registeredMetrics) {
            Got<ModelVersion> v = ofCandidate ? candidateVersion : champion.orElseThrow();
            return v.ok() ? Got.of(v.value().metrics()) : Got.fail(v.error());
        }
        return Got.fail("no metric values for the " + (ofCandidate ? "candidate" : "champion")
                + ": give candidateMetrics/championMetrics, evaluation data, or registeredMetrics()");
    }

    private static Got<Double> metric(Got<Map<String, Double>> metrics, String name, String who) {
        if (!metrics.ok()) {
            return Got.fail(metrics.error());
        }
        Double v = metrics.value().get(name);
        if (v == null) {
            return Got.fail(who.strip() + " has no metric " + Names.quote(name) + "; it has "
                    + new TreeSet<>(metrics.value().keySet()));
        }
        if (!Double.isFinite(v)) {
            return Got.fail(who.strip() + " metric " + Names.quote(name) + " is " + v + ", not a finite number");
        }
        return Got.of(v);
    }

    // ---- helpers ------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Attempt<T> {
        T get() throws Exception;
    }

    private static <T> Got<T> attempt(Attempt<T> body, String what) {
        try {
            T v = body.get();
            return v == null ? Got.fail(what + ": the result was null") : Got.of(v);
        } catch (Exception e) {
            return Got.fail(what + ": " + describe(e));
        }
    }

    /** Runs a check; if it throws, the check fails with the exception's message. */
    static CheckResult guarded(String name, String required, Supplier<CheckResult> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return fail(name, required, "the check threw " + describe(e));
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    static CheckResult fail(String name, String required, String detail) {
        return new CheckResult(name, OptionalDouble.empty(), required, Verdict.FAIL, detail);
    }

    static CheckResult result(String name, double observed, String required, boolean ok, String detail) {
        if (!Double.isFinite(observed)) {
            return fail(name, required, detail + "; the observed value is " + observed + ", not a finite number");
        }
        return new CheckResult(name, OptionalDouble.of(observed), required, ok ? Verdict.PASS : Verdict.FAIL, detail);
    }

    private static String direction(boolean greaterIsBetter) {
        return greaterIsBetter ? "greater is better" : "smaller is better";
    }

    /** Shortest round-trip text of a double, without a trailing {@code .0} for integers. */
    /**
     * {@code v} with as many significant digits beyond four as it takes to tell it from
     * {@code bound}, so that a value that fails its bound never prints equal to it.
     */
    static String num(double v, double bound) {
        if (v == bound || !Double.isFinite(v)) {
            return num(v);
        }
        for (int digits = 4; digits < 17; digits++) {
            String a = round(v, digits);
            if (!a.equals(round(bound, digits))) {
                return digits == 4 ? num(v) : a;
            }
        }
        return Double.toString(v);
    }

    private static String round(double v, int digits) {
        java.math.BigDecimal r = new java.math.BigDecimal(v).round(new java.math.MathContext(digits)).stripTrailingZeros();
        double a = Math.abs(v);
        return a >= 1e-4 && a < 1e15 ? r.toPlainString() : r.toString();
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        // four significant digits: a difference of two metrics prints 0.01, not 0.010000000000000009
        return round(v, 4);
    }
}
