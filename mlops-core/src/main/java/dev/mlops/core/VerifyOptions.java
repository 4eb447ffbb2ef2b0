package dev.mlops.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Mlops#verify(VerifyOptions)} runs: whether it repairs what it finds, and how long a
 * writer may take between committing a change and appending its audit entry.
 *
 * <pre>{@code
 * mlops.verify(VerifyOptions.check());                                   // report only
 * mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));  // after a crash, no writer running
 * }</pre>
 *
 * @param repairs remove leftovers of crashed writers, finish interrupted operations, rebuild
 *     derived indexes and append lost audit entries (marked {@code recovered_by: verify --repair});
 *     when false, verify only reports
 * @param auditGracePeriod a change whose audit entry is missing is reported (and on repair
 *     recovered) only once it is older than this by the verifying instance's clock, so that an
 *     entry a live writer is about to append is not recovered twice; {@link Duration#ZERO} when
 *     no writer is running; not negative
 */
public record VerifyOptions(boolean repairs, Duration auditGracePeriod) {
    /** The default grace period: how long a writer may take between a change and its audit entry. */
    public static final Duration DEFAULT_AUDIT_GRACE_PERIOD = Duration.ofMinutes(1);

    /** Checks the arguments. */
    public VerifyOptions {
        Objects.requireNonNull(auditGracePeriod, "auditGracePeriod");
        if (auditGracePeriod.isNegative()) {
            throw new IllegalArgumentException("auditGracePeriod must not be negative, was " + auditGracePeriod);
        }
    }

    /** @return options that only report, with the {@linkplain #DEFAULT_AUDIT_GRACE_PERIOD default grace period} */
    public static VerifyOptions check() {
        return new VerifyOptions(false, DEFAULT_AUDIT_GRACE_PERIOD);
    }

    /** @return options that repair what can be repaired, with the {@linkplain #DEFAULT_AUDIT_GRACE_PERIOD default grace period} */
    public static VerifyOptions repair() {
        return new VerifyOptions(true, DEFAULT_AUDIT_GRACE_PERIOD);
    }

    /**
     * @param period how old a change must be before its missing audit entry counts; not negative
     * @return these options with that grace period
     */
    public VerifyOptions auditGracePeriod(Duration period) {
        return new VerifyOptions(repairs, period);
    }
}
