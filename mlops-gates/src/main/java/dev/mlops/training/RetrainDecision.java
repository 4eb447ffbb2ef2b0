package dev.mlops.training;

import dev.mlops.api.gate.RetrainTrigger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RetrainPolicy} decided about one signal, and why: so a caller can show why a
 * drifted window did not retrain (hysteresis, cooldown) as well as why one did.
 *
 * @param source        the signal's source: {@link RetrainPolicy#DRIFT}, {@link RetrainPolicy#ESTIMATED_DROP},
 *                      {@link RetrainPolicy#LIVE_ERROR},
 *                      {@link RetrainPolicy#METRIC_FLOOR}
 * @param verdict       the decision
 * @param streak        consecutive signals of this source, counting this one (0 when it reset the streak)
 * @param needed        consecutive signals the policy needs ({@link RetrainPolicy.Builder#consecutiveSignals})
 * @param cooldownUntil for {@link Verdict#COOLDOWN}: when the cooldown ends (policy clock)
 * @param trigger       for {@link Verdict#TRIGGERED}: the trigger
 * @param reason        the decision in words, e.g. {@code drift signal 1 of 2 needed in a row (hysteresis)}
 */
public record RetrainDecision(String source, Verdict verdict, int streak, int needed, Optional<Instant> cooldownUntil,
                              Optional<RetrainTrigger> trigger, String reason) {
    /** Checks arguments. */
    public RetrainDecision {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(cooldownUntil, "cooldownUntil");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(reason, "reason");
        if (trigger.isPresent() != (verdict == Verdict.TRIGGERED)) {
            throw new IllegalArgumentException("a trigger comes with verdict TRIGGERED and only with it, verdict " + verdict);
        }
    }

    /** @return true if the signal fired a trigger */
    public boolean triggered() {
        return verdict == Verdict.TRIGGERED;
    }

    /** The decision about one signal. */
    public enum Verdict {
        /** Not a signal (e.g. a report without the drift looked for): the source's streak starts over. */
        NO_SIGNAL,
        /** A signal, but fewer in a row than the policy needs. */
        HYSTERESIS,
        /** Enough signals in a row, but within the cooldown of the previous trigger; the streak goes on. */
        COOLDOWN,
        /** A trigger fired. */
        TRIGGERED,
        /** Ignored: the retraining loop is closed. */
        IGNORED
    }
}
