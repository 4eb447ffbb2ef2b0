package dev.mlops.rollout;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The mixture sequential probability ratio test (mSPRT) with a normal mixing distribution, for
 * a difference of two means θ = μ<sub>candidate</sub> − μ<sub>control</sub> observed through its
 * running estimate {@code diff} with variance {@code variance} (Johari, Koomen, Pekelis and Walsh,
 * "Always valid inference: continuous monitoring of A/B tests", Operations Research 70(3), 2022;
 * arXiv:1512.04922). Every method is a closed form; docs/rollouts.md derives each one.
 *
 * <p>Under the Gaussian approximation {@code diff ~ N(θ, variance)} the likelihood ratio of θ
 * against θ₀ is {@code exp((θ−θ₀)(diff−θ₀)/V − (θ−θ₀)²/(2V))}. Mixing it over a prior on θ gives
 * a nonnegative martingale under θ₀, so by Ville's inequality the probability that it ever
 * reaches {@code 1/α}, at any of arbitrarily many looks, is at most α: the test may be checked
 * after every request.
 *
 * <ul>
 *   <li>{@link #logRatioTwoSided}: mixture N(0, τ²) on θ−θ₀ (Johari et al., eq. 11);</li>
 *   <li>{@link #logRatioGreater}: the half-normal mixture on θ−θ₀ &gt; 0 only, a one-sided test
 *       whose ratio is also a supermartingale for every θ &lt; θ₀, so "the candidate is worse"
 *       is claimed falsely with probability at most α for every candidate that is not worse;</li>
 *   <li>{@link #halfWidth}: the two-sided confidence sequence the same mixture gives (Robbins
 *       1970; Howard, Ramdas, McAuliffe and Sekhon, Annals of Statistics 49(2), 2021, the
 *       normal-mixture boundary).</li>
 * </ul>
 */
public final class NormalMixture {

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    private static final double LOG_2 = Math.log(2);

    private NormalMixture() {
    }

    /**
     * log of the two-sided mixture likelihood ratio
     * {@code Λ = sqrt(V/(V+τ²)) · exp(τ²(d−θ₀)² / (2V(V+τ²)))}.
     *
     * @param diff the estimate d of the difference
     * @param nullValue θ₀
     * @param variance V, the variance of d (0 when every observation is the same: no evidence)
     * @param tau2 τ², the mixing variance, positive
     * @return log Λ; {@code -Infinity} when V is 0
     */
    public static double logRatioTwoSided(double diff, double nullValue, double variance, double tau2) {
        check(variance, tau2);
        if (variance == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double d = diff - nullValue;
        return 0.5 * Math.log(variance / (variance + tau2)) + tau2 * d * d / (2 * variance * (variance + tau2));
    }

    /**
     * log of the one-sided (half-normal mixture) likelihood ratio for θ &gt; θ₀:
     * {@code Λ₊ = 2 · sqrt(V/(V+τ²)) · exp(z²/2) · Φ(z)} with {@code z = τ(d−θ₀)/sqrt(V(V+τ²))}.
     * For the other side ("θ &lt; θ₀") pass {@code −diff} and {@code −θ₀}.
     *
     * @param diff the estimate d of the difference
     * @param nullValue θ₀
     * @param variance V, the variance of d
     * @param tau2 τ², the mixing variance of the half-normal, positive
     * @return log Λ₊; {@code -Infinity} when V is 0 or Φ(z) underflows
     */
    public static double logRatioGreater(double diff, double nullValue, double variance, double tau2) {
        check(variance, tau2);
        if (variance == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double z = Math.sqrt(tau2) * (diff - nullValue) / Math.sqrt(variance * (variance + tau2));
        double phi = STANDARD_NORMAL.cumulativeProbability(z);
        if (phi == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return LOG_2 + 0.5 * Math.log(variance / (variance + tau2)) + 0.5 * z * z + Math.log(phi);
    }

    /**
     * Half-width of the normal-mixture confidence sequence at level α: {@code d ± h} covers θ at
     * every look at once with probability at least 1−α, where
     * {@code h = sqrt( V(V+τ²)/τ² · (log((V+τ²)/V) + 2 log(1/α)) )}. It is the set of θ₀ the
     * two-sided mSPRT does not reject ({@code log Λ < log(1/α)}).
     *
     * @param variance V, positive
     * @param tau2 τ², positive
     * @param alpha the level, in (0, 1)
     * @return h
     */
    public static double halfWidth(double variance, double tau2, double alpha) {
        check(variance, tau2);
        checkAlpha(alpha);
        if (variance == 0) {
            return 0;
        }
        return Math.sqrt(variance * (variance + tau2) / tau2
                * (Math.log((variance + tau2) / variance) + 2 * Math.log(1 / alpha)));
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), was " + alpha);
        }
    }

    private static void check(double variance, double tau2) {
        if (!(variance >= 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("variance must be finite and >= 0, was " + variance);
        }
        if (!(tau2 > 0) || Double.isInfinite(tau2)) {
            throw new IllegalArgumentException("mixing variance tau^2 must be finite and > 0, was " + tau2);
        }
    }
}
