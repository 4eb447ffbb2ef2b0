package dev.mlops.training;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.gate.RetrainTrigger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened in a run of {@link ContinuousTraining}, delivered to its listeners in order on
 * the thread running the run. A run yields {@link Triggered}, then (if training and registration
 * succeed) {@link Registered}, then exactly one {@link Outcome}: {@link Promoted},
 * {@link Refused} or {@link TrainingFailed}.
 */
public sealed interface TrainingEvent permits TrainingEvent.Triggered, TrainingEvent.Registered, TrainingEvent.Outcome {

    /** @return the run's number, from 1 per {@link ContinuousTraining} instance */
    long run();

    /** @return the model being retrained */
    String model();

    /** @return why the run started */
    RetrainTrigger trigger();

    /** @return when it happened */
    Instant at();

    /** How a run ended: {@link Promoted}, {@link Refused} or {@link TrainingFailed}. */
    sealed interface Outcome extends TrainingEvent permits Promoted, Refused, TrainingFailed {
    }

    /**
     * A run started.
     *
     * @param run run number
     * @param model model name
     * @param trigger why
     * @param at when
     * @param champion the version holding the alias, if any
     * @param coalesced further triggers merged into this run while it was pending
     */
    record Triggered(long run, String model, RetrainTrigger trigger, Instant at, Optional<ModelRef.Version> champion,
                     int coalesced) implements TrainingEvent {
        /** Checks arguments. */
        public Triggered {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(champion, "champion");
        }
    }

    /**
     * The trainer's candidate was registered (with lineage).
     *
     * @param run run number
     * @param model model name
     * @param trigger why
     * @param at when
     * @param candidate the registered version
     */
    record Registered(long run, String model, RetrainTrigger trigger, Instant at, ModelVersion candidate)
            implements TrainingEvent {
        /** Checks arguments. */
        public Registered {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(candidate, "candidate");
        }
    }

    /**
     * The gate passed the candidate and the alias now points at it.
     *
     * @param run run number
     * @param model model name
     * @param trigger why
     * @param at when
     * @param candidate the promoted version
     * @param decision the gate's decision (passed)
     */
    record Promoted(long run, String model, RetrainTrigger trigger, Instant at, ModelVersion candidate,
                    PromotionDecision decision) implements Outcome {
        /** Checks arguments. */
        public Promoted {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /**
     * The gate refused the candidate; it stays registered, the alias did not move.
     *
     * @param run run number
     * @param model model name
     * @param trigger why
     * @param at when
     * @param candidate the refused version
     * @param decision the gate's decision, whose {@link PromotionDecision#failures()} say why
     */
    record Refused(long run, String model, RetrainTrigger trigger, Instant at, ModelVersion candidate,
                   PromotionDecision decision) implements Outcome {
        /** Checks arguments. */
        public Refused {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /**
     * A step of the run threw; the alias did not move (unless the failure was in recording
     * after the move, see {@code stage}).
     *
     * @param run run number
     * @param model model name
     * @param trigger why
     * @param at when
     * @param stage {@value ContinuousTraining#STAGE_CHAMPION}, {@value ContinuousTraining#STAGE_DATASETS},
     *     {@value ContinuousTraining#STAGE_TRAIN}, {@value ContinuousTraining#STAGE_REGISTER},
     *     {@value ContinuousTraining#STAGE_GATE}, {@value ContinuousTraining#STAGE_PROMOTE},
     *     {@value ContinuousTraining#STAGE_AUDIT} or {@value ContinuousTraining#STAGE_INTERNAL}
     * @param message the exception's class and message
     * @param candidate the registered candidate, when the failure came after registration
     */
    record TrainingFailed(long run, String model, RetrainTrigger trigger, Instant at, String stage, String message,
                          Optional<ModelRef.Version> candidate) implements Outcome {
        /** Checks arguments. */
        public TrainingFailed {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(candidate, "candidate");
        }
    }
}
