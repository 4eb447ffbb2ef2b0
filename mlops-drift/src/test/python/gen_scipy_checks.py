"""Generates src/test/resources/scipy-checks.json: scipy values for the code paths that the shared
reference vectors do not reach (exact KS with equal sizes, the asymptotic KS distribution on every
branch of scipy's _kolmogn, exact Cramer-von Mises, exact Mann-Whitney, Anderson-Darling p-value
interpolation, Yates' correction, ...).

Run with scipy 1.17.1 / numpy 2.4.6 (the versions of the shared vectors):
    python3 gen_scipy_checks.py ../resources/scipy-checks.json
The Java tests only read the JSON; Python is not needed to build.
"""
import json
import sys
import warnings

import numpy as np
import scipy
from scipy import special, stats

warnings.simplefilter("ignore")
rng = np.random.default_rng(20261123)


def r(x, digits=None):
    return [float(v) for v in x]


def numerical_case(cid, ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    e = {}
    ks = stats.ks_2samp(ref, cur)
    e["ks"] = {"statistic": float(ks.statistic), "pvalue": float(ks.pvalue)}
    cv = stats.cramervonmises_2samp(ref, cur)
    e["cvm"] = {"statistic": float(cv.statistic), "pvalue": float(cv.pvalue)}
    mw = stats.mannwhitneyu(ref, cur)
    e["mann_whitney"] = {"statistic": float(mw.statistic), "pvalue": float(mw.pvalue)}
    if len(np.unique(np.concatenate([ref, cur]))) > 1:
        ad = stats.anderson_ksamp([ref, cur], variant="midrank")
        e["anderson"] = {"statistic": float(ad.statistic), "pvalue": float(ad.pvalue)}
    if len(ref) > 1 and len(cur) > 1:
        t = stats.ttest_ind(ref, cur, equal_var=False)
        if np.isfinite(t.statistic):
            e["t_test"] = {"statistic": float(t.statistic), "pvalue": float(t.pvalue)}
    e["wasserstein"] = float(stats.wasserstein_distance(ref, cur))
    e["energy"] = float(stats.energy_distance(ref, cur))
    return {"id": cid, "reference": r(ref), "current": r(cur), "expected": e}


cases = []
# exact KS with equal sizes, exact CvM (max <= 20), exact MWU (no ties, min <= 8)
cases.append(numerical_case("small-equal-8", rng.normal(0, 1, 8), rng.normal(0.8, 1, 8)))
cases.append(numerical_case("small-7-vs-13", rng.normal(0, 1, 7), rng.normal(1.5, 1, 13)))
cases.append(numerical_case("small-20-vs-20-shift", rng.normal(0, 1, 20), rng.normal(1.2, 1, 20)))
cases.append(numerical_case("small-3-vs-5", rng.normal(0, 1, 3), rng.normal(0, 1, 5)))
cases.append(numerical_case("small-ties-6-vs-9", rng.integers(0, 4, 6), rng.integers(1, 5, 9)))
cases.append(numerical_case("mwu-exact-5-vs-300", rng.normal(0, 1, 5), rng.normal(0.7, 1, 300)))
cases.append(numerical_case("equal-500-shift", rng.normal(0, 1, 500), rng.normal(0.25, 1, 500)))
# AD p-value inside the interpolation range
cases.append(numerical_case("ad-interpolated", rng.normal(0, 1, 200), rng.normal(0.18, 1, 180)))
# asymptotic KS (max > 10000) with a small en: kstwo with n <= 140
cases.append(numerical_case("asymp-10001-vs-60", rng.normal(0, 1, 10001), rng.normal(0.5, 1, 60)))
cases.append(numerical_case("asymp-10001-vs-60-null", rng.normal(0, 1, 10001), rng.normal(0, 1, 60)))

# large exact KS (inside method, tiny p) and a large asymptotic case on the 2*smirnov branch;
# values rounded to 6 decimals to keep the file small (both sides see the same numbers)
cases.append(numerical_case("exact-3000-vs-2999-shift", np.round(rng.normal(0, 1, 3000), 6),
                            np.round(rng.normal(0.3, 1, 2999), 6)))
cases.append(numerical_case("asymp-10001-vs-3000-shift", np.round(rng.normal(0, 1, 10001), 6),
                            np.round(rng.normal(0.12, 1, 3000), 6)))

# kstwo.sf(x, n) on every branch of _kolmogn, and smirnov(n, x)
kstwo = []
for n in [1, 2, 3, 5, 10, 37, 100, 140, 141, 500, 2000, 5739, 20000, 100000, 100001, 600000]:
    xs = set()
    for t in [0.3, 0.5, 0.75, 1.0, 1.5, 3.0]:
        xs.add(t / n)
    for z in [0.05, 0.2, 0.5, 0.8, 0.87, 1.0, 1.2, 1.48, 1.6, 2.0, 3.0, 4.5, 10.0, 19.3]:
        xs.add(z / np.sqrt(n))
    for x in [0.3, 0.5, 0.51, 0.75, 0.99, 1.0 - 1.0 / n if n > 1 else 0.5]:
        xs.add(x)
    for x in sorted(xs):
        if 0 < x < 1:
            kstwo.append([n, float(x), float(stats.kstwo.sf(x, n))])
smirnov = []
for n in [2, 5, 10, 50, 141, 1000, 5739, 100000, 1000000, 2000000]:
    for z in [0.01, 0.3, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0]:
        x = z / np.sqrt(n)
        if x < 1:
            smirnov.append([n, float(x), float(special.smirnov(n, x))])
    for x in [0.5 / n, 1.0 / n, 2.5 / n, 0.5, 0.9]:
        if x < 1:
            smirnov.append([n, float(x), float(special.smirnov(n, x))])
kv = [[float(q), float(special.kv(0.25, q))] for q in
      [1e-3, 0.01, 0.02, 0.05, 0.1, 0.3, 0.5, 1, 2, 5, 10, 20, 50, 100, 300, 600]]
cvm_inf = [[float(x), float(stats._hypotests._cdf_cvm_inf(x))] for x in
           [0.003, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.46, 0.7, 1.0, 1.5, 2.0, 3.0]]

# categorical: Yates on 2x2, unseen category, single category
cat = []
ref = ["no"] * 295 + ["yes"] * 105
cur = ["no"] * 256 + ["yes"] * 194
ct = stats.chi2_contingency(np.array([[295, 105], [256, 194]]), correction=True)
cat.append({"id": "binary-yates", "reference_counts": {"no": 295, "yes": 105},
            "current_counts": {"no": 256, "yes": 194},
            "expected": {"chi2_contingency_yates": {"statistic": float(ct.statistic), "pvalue": float(ct.pvalue)}}})
ct = stats.chi2_contingency(np.array([[40, 3], [45, 0]]), correction=True)
cat.append({"id": "small-yates", "reference_counts": {"a": 40, "b": 3}, "current_counts": {"a": 45},
            "expected": {"chi2_contingency_yates": {"statistic": float(ct.statistic), "pvalue": float(ct.pvalue)}}})
obs = np.array([30, 50, 20]); exp = np.array([0.5, 0.5, 0.0]) * 100
cs = stats.chisquare(obs, exp)
cat.append({"id": "unseen-category", "reference_counts": {"a": 50, "b": 50}, "current_counts": {"a": 30, "b": 50, "c": 20},
            "expected": {"chisquare": {"statistic": "inf" if np.isinf(cs.statistic) else float(cs.statistic),
                                      "pvalue": float(cs.pvalue)}}})

out = {"generator": f"gen_scipy_checks.py with scipy {scipy.__version__}, numpy {np.__version__}, seed 20261123",
       "cases": cases, "kstwo_sf": kstwo, "smirnov_sf": smirnov, "kv_quarter": kv, "cvm_inf_cdf": cvm_inf,
       "categorical": cat}
with open(sys.argv[1], "w") as f:
    json.dump(out, f, indent=None, allow_nan=False)
print(len(cases), "cases,", len(kstwo), "kstwo,", len(smirnov), "smirnov")
