package dev.mlops.drift;

/** Modified Bessel function of the second kind, for the Cramér–von Mises limiting CDF. */
final class Bessel {

    private Bessel() {
    }

    /**
     * e^x·K_ν(x) for x &gt; 0, from K_ν(x) = ∫_0^∞ exp(−x cosh t) cosh(νt) dt by the trapezoidal
     * rule. The integrand is entire and decays double-exponentially, so the rule converges
     * geometrically in 1/h (error about exp(−π²/h), far below double precision at h = 0.05);
     * for large x the integrand is a narrow peak of width about 1/√x, so h shrinks to 0.5/√x
     * (error about exp(−2π²/(h²x)) = e^−79). All terms are positive, so the sum loses no digits.
     * Checked against scipy.special.kv.
     */
    static double kScaled(double nu, double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("x must be > 0, got " + x);
        }
        double step = Math.min(0.05, 0.5 / Math.sqrt(x));
        double sum = 0.5; // t = 0: exp(0) * cosh(0) / 2
        for (int i = 1; ; i++) {
            double t = i * step;
            double s = Math.sinh(t / 2);
            double f = Math.exp(-2 * x * s * s) * Math.cosh(nu * t);
            sum += f;
            if (f < 1e-18 * sum) {
                break;
            }
        }
        return sum * step;
    }
}
