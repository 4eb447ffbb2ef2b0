package dev.mlops.rollout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ValidationException;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The stored JSON of a rollout's state, policy and looks, and of an instance's arm statistics (docs/rollouts.md). */
final class RolloutDocuments {

    static final int SCHEMA_VERSION = 1;
    /**
     * The arms document's version with predictions and estimated losses. Written only when one of
     * them was counted, so that a fleet upgraded instance by instance keeps running on schema 1
     * (which the older instances read) until a rollout uses the new guardrails.
     */
    static final int ARMS_SCHEMA_VERSION = 2;
    static final String STATE_KIND = "mlops-rollout-state";
    static final String ARMS_KIND = "mlops-rollout-arms";
    static final String POLICY_KIND = "mlops-rollout-policy";
    static final String LOOKS_KIND = "mlops-rollout-looks";

    private RolloutDocuments() {
    }

    static byte[] state(RolloutState s) {
        ObjectNode n = StrictJson.objectNode();
        n.put("schema_version", SCHEMA_VERSION);
        n.put("kind", STATE_KIND);
        n.put("name", s.name());
        n.put("alias", s.alias());
        n.put("model", s.control().model());
        n.put("control_version", s.control().number());
        n.put("candidate_version", s.candidate().number());
        n.put("status", s.status().name().toLowerCase(Locale.ROOT));
        n.put("step", s.step());
        n.put("started_at", s.startedAt().toString());
        n.put("step_started_at", s.stepStartedAt().toString());
        n.put("candidate_requests_at_step_start", s.candidateRequestsAtStepStart());
        s.decidedAt().ifPresent(t -> n.put("decided_at", t.toString()));
        n.put("reason", s.reason());
        writeResults(n.putArray("evidence"), s.evidence());
        n.put("alias_moved", s.aliasMoved());
        return StrictJson.write(n);
    }

    private static void writeResults(ArrayNode ev, List<GuardrailResult> results) {
        for (GuardrailResult r : results) {
            ObjectNode g = ev.addObject();
            g.put("guardrail", r.guardrail().jsonName());
            g.put("control_count", r.controlCount());
            g.put("candidate_count", r.candidateCount());
            g.set("control", StrictJson.numberOrNonFinite(r.control()));
            g.set("candidate", StrictJson.numberOrNonFinite(r.candidate()));
            g.set("difference", StrictJson.numberOrNonFinite(r.difference()));
            g.set("log_ratio_worse", StrictJson.numberOrNonFinite(r.logRatioWorse()));
            g.set("log_ratio_not_worse", StrictJson.numberOrNonFinite(r.logRatioNotWorse()));
            g.set("log_threshold", StrictJson.numberOrNonFinite(r.logThreshold()));
            g.set("lower", StrictJson.numberOrNonFinite(r.lower()));
            g.set("upper", StrictJson.numberOrNonFinite(r.upper()));
            g.put("verdict", r.verdict().name().toLowerCase(Locale.ROOT));
        }
    }

    private static List<GuardrailResult> readResults(JsonFields f, String field) {
        List<GuardrailResult> results = new ArrayList<>();
        for (JsonFields g : f.objects(field)) {
            results.add(new GuardrailResult(Guardrail.ofJsonName(g.text("guardrail")), g.integer("control_count"),
                    g.integer("candidate_count"), g.numberOrNonFinite("control"), g.numberOrNonFinite("candidate"),
                    g.numberOrNonFinite("difference"), g.numberOrNonFinite("log_ratio_worse"),
                    g.numberOrNonFinite("log_ratio_not_worse"), g.numberOrNonFinite("log_threshold"),
                    g.numberOrNonFinite("lower"), g.numberOrNonFinite("upper"),
                    GuardrailResult.Verdict.valueOf(g.text("verdict").toUpperCase(Locale.ROOT))));
            g.end();
        }
        return results;
    }

    static RolloutState readState(byte[] json, String where) {
        JsonFields f = StrictJson.readObject(json, "rollout state " + where).versioned(STATE_KIND, SCHEMA_VERSION);
        try {
            if (!f.has("kind")) {
                throw f.invalid("kind", "missing; expected " + STATE_KIND);
            }
            String model = f.text("model");
            List<GuardrailResult> evidence = readResults(f, "evidence");
            RolloutState s = new RolloutState(f.text("name"), f.text("alias"),
                    new ModelRef.Version(model, f.intValue("control_version")),
                    new ModelRef.Version(model, f.intValue("candidate_version")),
                    RolloutState.Status.valueOf(f.text("status").toUpperCase(Locale.ROOT)), f.intValue("step"),
                    Instant.parse(f.text("started_at")), Instant.parse(f.text("step_started_at")),
                    f.integer("candidate_requests_at_step_start"), f.optionalText("decided_at").map(Instant::parse),
                    f.text("reason"), evidence, f.bool("alias_moved"));
            f.end();
            return s;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ValidationException("invalid rollout state " + where + ": " + e.getMessage());
        }
    }

    static byte[] arms(String rollout, String instance, Instant publishedAt, ArmStats control, ArmStats candidate) {
        boolean schema2 = !control.onlySchema1() || !candidate.onlySchema1();
        ObjectNode n = StrictJson.objectNode();
        n.put("schema_version", schema2 ? ARMS_SCHEMA_VERSION : SCHEMA_VERSION);
        n.put("kind", ARMS_KIND);
        n.put("rollout", rollout);
        n.put("instance", instance);
        n.put("published_at", publishedAt.toString());
        n.set("control", arm(control, schema2));
        n.set("candidate", arm(candidate, schema2));
        return StrictJson.write(n);
    }

    private static ObjectNode arm(ArmStats a, boolean schema2) {
        ObjectNode n = StrictJson.objectNode();
        n.put("requests", a.requests());
        n.put("errors", a.errors());
        n.put("losses", a.losses());
        n.put("loss_sum", a.lossSum());
        n.put("loss_sum_squares", a.lossSumSquares());
        n.put("latencies", a.latencies());
        n.put("over_p50", a.overP50());
        n.put("over_p99", a.overP99());
        if (schema2) {
            n.put("predictions", a.predictions());
            n.put("over_q25", a.overQ25());
            n.put("over_q50", a.overQ50());
            n.put("over_q75", a.overQ75());
            n.put("invalid_predictions", a.invalidPredictions());
            n.put("estimates", a.estimates());
            n.put("estimate_sum", a.estimateSum());
            n.put("estimate_sum_squares", a.estimateSumSquares());
        }
        return n;
    }

    /** One instance's published arms. */
    record Arms(ArmStats control, ArmStats candidate) {
    }

    static Arms readArms(byte[] json, String rollout, String instance, String where) {
        JsonFields doc = StrictJson.readObject(json, "rollout statistics " + where);
        // schema 1 (no predictions, estimated losses) from instances not upgraded yet, or 2
        boolean schema1 = doc.has("schema_version") && doc.node().get("schema_version").isInt()
                && doc.node().get("schema_version").intValue() == SCHEMA_VERSION;
        JsonFields f = doc.versioned(ARMS_KIND, schema1 ? SCHEMA_VERSION : ARMS_SCHEMA_VERSION);
        try {
            if (!rollout.equals(f.text("rollout")) || !instance.equals(f.text("instance"))) {
                throw f.invalid("it names rollout " + f.text("rollout") + " instance " + f.text("instance")
                        + ", expected " + rollout + " instance " + instance + " (its key)");
            }
            Instant.parse(f.text("published_at"));
            Arms a = new Arms(readArm(f.object("control"), !schema1), readArm(f.object("candidate"), !schema1));
            f.end();
            return a;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ValidationException("invalid rollout statistics " + where + ": " + e.getMessage());
        }
    }

    private static ArmStats readArm(JsonFields f, boolean schema2) {
        ArmStats a = schema2
                ? new ArmStats(f.integer("requests"), f.integer("errors"), f.integer("losses"), f.number("loss_sum"),
                        f.number("loss_sum_squares"), f.integer("latencies"), f.integer("over_p50"), f.integer("over_p99"),
                        f.integer("predictions"), f.integer("over_q25"), f.integer("over_q50"), f.integer("over_q75"),
                        f.integer("invalid_predictions"), f.integer("estimates"), f.number("estimate_sum"),
                        f.number("estimate_sum_squares"))
                : new ArmStats(f.integer("requests"), f.integer("errors"), f.integer("losses"), f.number("loss_sum"),
                        f.number("loss_sum_squares"), f.integer("latencies"), f.integer("over_p50"), f.integer("over_p99"));
        f.end();
        return a;
    }

    static byte[] policy(String rollout, RolloutPolicy p) {
        ObjectNode n = StrictJson.objectNode();
        n.put("schema_version", SCHEMA_VERSION);
        n.put("kind", POLICY_KIND);
        n.put("rollout", rollout);
        ArrayNode steps = n.putArray("steps");
        for (RolloutPolicy.Step st : p.steps()) {
            ObjectNode o = steps.addObject();
            o.put("share", st.share());
            o.put("min_candidate_requests", st.minCandidateRequests());
            o.put("min_duration", st.minDuration().toString());
        }
        ArrayNode guardrails = n.putArray("guardrails");
        for (GuardrailSpec g : p.guardrails()) {
            ObjectNode o = guardrails.addObject();
            o.put("guardrail", g.guardrail().jsonName());
            o.put("margin", g.margin());
            o.put("effect_size", g.effectSize());
            o.put("min_samples_per_arm", g.minSamplesPerArm());
        }
        n.put("alpha", p.alpha());
        return StrictJson.write(n);
    }

    static RolloutPolicy readPolicy(byte[] json, String rollout, String where) {
        JsonFields f = StrictJson.readObject(json, "rollout policy " + where).versioned(POLICY_KIND, SCHEMA_VERSION);
        try {
            if (!rollout.equals(f.text("rollout"))) {
                throw f.invalid("rollout", "names " + f.text("rollout") + ", expected " + rollout + " (its key)");
            }
            List<RolloutPolicy.Step> steps = new ArrayList<>();
            for (JsonFields o : f.objects("steps")) {
                steps.add(new RolloutPolicy.Step(o.number("share"), o.integer("min_candidate_requests"),
                        Duration.parse(o.text("min_duration"))));
                o.end();
            }
            List<GuardrailSpec> guardrails = new ArrayList<>();
            for (JsonFields o : f.objects("guardrails")) {
                guardrails.add(new GuardrailSpec(Guardrail.ofJsonName(o.text("guardrail")), o.number("margin"),
                        o.number("effect_size"), o.integer("min_samples_per_arm")));
                o.end();
            }
            RolloutPolicy p = new RolloutPolicy(steps, guardrails, f.number("alpha"));
            f.end();
            return p;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ValidationException("invalid rollout policy " + where + ": " + e.getMessage());
        }
    }

    static byte[] looks(String rollout, List<RolloutLook> looks) {
        ObjectNode n = StrictJson.objectNode();
        n.put("schema_version", SCHEMA_VERSION);
        n.put("kind", LOOKS_KIND);
        n.put("rollout", rollout);
        ArrayNode a = n.putArray("looks");
        for (RolloutLook l : looks) {
            ObjectNode o = a.addObject();
            o.put("at", l.at().toString());
            o.put("step", l.step());
            o.put("share", l.share());
            o.put("control_requests", l.controlRequests());
            o.put("candidate_requests", l.candidateRequests());
            o.put("action", l.action().name().toLowerCase(Locale.ROOT));
            writeResults(o.putArray("results"), l.results());
        }
        return StrictJson.write(n);
    }

    static List<RolloutLook> readLooks(byte[] json, String rollout, String where) {
        JsonFields f = StrictJson.readObject(json, "rollout looks " + where).versioned(LOOKS_KIND, SCHEMA_VERSION);
        try {
            if (!rollout.equals(f.text("rollout"))) {
                throw f.invalid("rollout", "names " + f.text("rollout") + ", expected " + rollout + " (its key)");
            }
            List<RolloutLook> looks = new ArrayList<>();
            for (JsonFields o : f.objects("looks")) {
                looks.add(new RolloutLook(Instant.parse(o.text("at")), o.intValue("step"), o.number("share"),
                        o.integer("control_requests"), o.integer("candidate_requests"),
                        RolloutPolicy.Action.valueOf(o.text("action").toUpperCase(Locale.ROOT)), readResults(o, "results")));
                o.end();
            }
            f.end();
            return looks;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ValidationException("invalid rollout looks " + where + ": " + e.getMessage());
        }
    }
}
