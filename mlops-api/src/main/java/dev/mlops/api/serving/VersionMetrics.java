package dev.mlops.api.serving;

import dev.mlops.api.ModelRef;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Counters of one version served by a {@link ModelService}, since the service started.
 *
 * @param version the version
 * @param calls requests it answered or tried to answer (shadow calls excluded)
 * @param errors calls where the model threw
 * @param fallbacks errors answered by the fallback
 * @param latency latency of its successful calls
 * @param shadowCalls requests mirrored to it as a shadow
 * @param shadowAgreements shadow outputs that agreed with the live output
 * @param shadowErrors shadow calls that threw
 * @param feedbackCount ground-truth values joined to its predictions
 * @param meanLiveError mean error over the joined feedback, if any
 */
public record VersionMetrics(ModelRef.Version version, long calls, long errors, long fallbacks, LatencySnapshot latency,
                             long shadowCalls, long shadowAgreements, long shadowErrors, long feedbackCount,
                             OptionalDouble meanLiveError) {
    /** Checks arguments. */
    public VersionMetrics {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(meanLiveError, "meanLiveError");
    }

    /** @return shadow agreements over shadow calls that returned, or empty before the first */
    public OptionalDouble shadowAgreementRate() {
        long answered = shadowCalls - shadowErrors;
        return answered == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) shadowAgreements / answered);
    }
}
