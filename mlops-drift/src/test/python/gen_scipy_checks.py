"""Generates src/test/resources/scipy-checks.json: scipy values for the code paths that the shared
reference vectors do not reach (exact KS with equal sizes, the asymptotic KS distribution on every
branch of scipy's _kolmogn, exact Cramer-von Mises, exact Mann-Whitney, Anderson-Darling p-value
interpolation, Yates' correction, ...), and the three tests the shared vectors lack: Fisher's exact
test, the G-test and the Epps-Singleton test (issue 14), each computed as Evidently's stattest calls
scipy.

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
    if len(ref) >= 5 and len(cur) >= 5 and stats.iqr(np.concatenate([ref, cur])) > 0:
        # Evidently's es: epps_singleton_2samp(reference, current) with the default t=(0.4, 0.8)
        es = stats.epps_singleton_2samp(ref, cur)
        e["es"] = {"statistic": float(es.statistic), "pvalue": float(es.pvalue)}
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

# Epps-Singleton (issue 14): tiny samples (5 is scipy's minimum), the small-sample correction's
# edge (max size 24 corrected, 25 not), ties, a rank-deficient covariance, scale-only drift, large.
# New cases come after the existing ones so that the existing cases keep their random values.
cases.append(numerical_case("es-5-vs-5", rng.normal(0, 1, 5), rng.normal(1, 1, 5)))
cases.append(numerical_case("es-5-vs-9-ties", [1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 2.0, 3.0, 3.0, 4.0, 6.0, 6.0, 7.0, 1.0]))
cases.append(numerical_case("es-24-vs-24-corrected", rng.normal(0, 1, 24), rng.normal(0.6, 1.3, 24)))
cases.append(numerical_case("es-25-vs-24-uncorrected", rng.normal(0, 1, 25), rng.normal(0.6, 1.3, 24)))
cases.append(numerical_case("es-ties-integers-40-vs-50", rng.integers(0, 7, 40), rng.integers(1, 8, 50)))
cases.append(numerical_case("es-rank2-three-values", [0.0] * 8 + [1.0] * 7 + [3.0] * 5, [0.0] * 4 + [1.0] * 9 + [3.0] * 7))
cases.append(numerical_case("es-scale-only-300-vs-250", rng.normal(0, 1, 300), rng.normal(0, 1.6, 250)))
cases.append(numerical_case("es-null-2000-vs-1500", np.round(rng.normal(5, 2, 2000), 6), np.round(rng.normal(5, 2, 1500), 6)))
cases.append(numerical_case("es-tiny-p-1000-vs-1000", np.round(rng.normal(0, 1, 1000), 6),
                            np.round(rng.standard_t(2, 1000), 6)))

# Fisher's exact test (issue 14), Evidently's fisher_exact: scipy.stats.fisher_exact(table), two-sided.
# Table rows: reference, current; columns: the two categories in sorted order (the Java layout).
# [a, b, c, d, odds ratio ("inf"/"nan" where scipy gives those), p-value]
fisher = []
def fisher_row(a, b, c, d):
    res = stats.fisher_exact([[a, b], [c, d]])
    st = res.statistic
    st = "inf" if np.isinf(st) else ("nan" if np.isnan(st) else float(st))
    fisher.append([int(a), int(b), int(c), int(d), st, float(res.pvalue)])
for t in [(3, 1, 1, 3), (8, 2, 1, 5), (1, 9, 11, 3), (0, 5, 5, 0), (0, 10, 3, 7), (4, 0, 0, 4),
          (10, 10, 10, 10), (5, 5, 4, 6), (7, 3, 3, 7), (12, 5, 5, 12), (0, 1, 1, 0), (1, 0, 0, 0),
          (0, 0, 5, 7), (3, 0, 7, 0), (1, 1, 1, 1), (2, 7, 8, 2), (0, 30, 12, 18)]:
    fisher_row(*t)
# larger tables: near the mode (p ~ 1), moderate and tiny p-values, huge counts
for n1, n2 in [(100, 120), (500, 500), (2000, 1000), (40000, 35000), (300000, 250000)]:
    for share_ref, share_cur in [(0.3, 0.3), (0.3, 0.33), (0.3, 0.36), (0.05, 0.2)]:
        a = int(round(n1 * share_ref))
        c = int(round(n2 * share_cur))
        fisher_row(a, n1 - a, c, n2 - c)
# random small tables (exact symmetric ties included by chance)
for _ in range(40):
    a, b, c, d = (int(v) for v in rng.integers(0, 15, 4))
    fisher_row(a, b, c, d)

def evidently_g_test(ref_counts, cur_counts):
    """Evidently's g_test on counts: f_exp = reference count * (n_cur / n_ref) over the union."""
    keys = sorted(set(ref_counts) | set(cur_counts))
    n_ref = sum(ref_counts.values()); n_cur = sum(cur_counts.values())
    k_norm = n_cur / n_ref
    f_exp = [ref_counts.get(k, 0) * k_norm for k in keys]
    f_obs = [cur_counts.get(k, 0) for k in keys]
    res = stats.power_divergence(f_obs, f_exp, lambda_="log-likelihood")
    st = "inf" if np.isinf(res.statistic) else float(res.statistic)
    return {"statistic": st, "pvalue": float(res.pvalue)}

def fisher_case(cid, ref_counts, cur_counts):
    keys = sorted(set(ref_counts) | set(cur_counts))
    ref_row = [ref_counts.get(k, 0) for k in keys]
    cur_row = [cur_counts.get(k, 0) for k in keys]
    res = stats.fisher_exact([ref_row, cur_row])
    st = "inf" if np.isinf(res.statistic) else float(res.statistic)
    return {"id": cid, "reference_counts": ref_counts, "current_counts": cur_counts,
            "expected": {"fisher_exact": {"statistic": st, "pvalue": float(res.pvalue)},
                         "g_test": evidently_g_test(ref_counts, cur_counts)}}

cat.append(fisher_case("binary-shift", {"no": 295, "yes": 105}, {"no": 256, "yes": 194}))
cat.append(fisher_case("binary-zero-cell", {"no": 40, "yes": 3}, {"no": 45}))
cat.append(fisher_case("binary-different-sizes", {"false": 12, "true": 30}, {"false": 20, "true": 9}))
cat.append(fisher_case("binary-same-shares", {"a": 30, "b": 70}, {"a": 60, "b": 140}))
# G-test: a category absent from the reference (Evidently gets G = inf, p = 0: drift), one absent
# from the current data (its term is 0), many categories, large counts and a tiny p-value
cat.append({"id": "g-unseen-in-reference", "reference_counts": {"a": 50, "b": 50},
            "current_counts": {"a": 30, "b": 50, "c": 20},
            "expected": {"g_test": evidently_g_test({"a": 50, "b": 50}, {"a": 30, "b": 50, "c": 20})}})
cat.append({"id": "g-absent-from-current", "reference_counts": {"a": 50, "b": 30, "c": 20},
            "current_counts": {"a": 45, "b": 40},
            "expected": {"g_test": evidently_g_test({"a": 50, "b": 30, "c": 20}, {"a": 45, "b": 40})}})
many_ref = {f"c{i:02d}": int(v) for i, v in enumerate(rng.integers(20, 200, 30))}
many_cur = {f"c{i:02d}": int(v) for i, v in enumerate(rng.integers(20, 200, 30))}
cat.append({"id": "g-30-categories", "reference_counts": many_ref, "current_counts": many_cur,
            "expected": {"g_test": evidently_g_test(many_ref, many_cur)}})
close_ref = {"x": 3000, "y": 2000, "z": 1000}
close_cur = {"x": 1510, "y": 990, "z": 500}
cat.append({"id": "g-close-shares", "reference_counts": close_ref, "current_counts": close_cur,
            "expected": {"g_test": evidently_g_test(close_ref, close_cur)}})
tiny_ref = {"x": 3000, "y": 2000, "z": 1000}
tiny_cur = {"x": 1000, "y": 2000, "z": 1500}
cat.append({"id": "g-tiny-p", "reference_counts": tiny_ref, "current_counts": tiny_cur,
            "expected": {"g_test": evidently_g_test(tiny_ref, tiny_cur)}})

# 300 random 2x2 tables over five size scales (10 to 30,000 a row); every sixth has equal rows
# and mirrored current counts, so that tables exactly as likely as the observed one exist
for i in range(300):
    m = [10, 50, 300, 3000, 30000][i % 5]
    n1 = int(rng.integers(1, m))
    n2 = n1 if i % 3 == 0 else int(rng.integers(1, m))
    share = rng.uniform(0.02, 0.98)
    a = int(rng.binomial(n1, share))
    c = int(rng.binomial(n2, min(max(share + rng.normal(0, 0.05), 0.0), 1.0)))
    if i % 6 == 0:
        c = n1 - a
    fisher_row(a, n1 - a, c, n2 - c)

out = {"generator": f"gen_scipy_checks.py with scipy {scipy.__version__}, numpy {np.__version__}, seed 20261123",
       "cases": cases, "kstwo_sf": kstwo, "smirnov_sf": smirnov, "kv_quarter": kv, "cvm_inf_cdf": cvm_inf,
       "categorical": cat, "fisher_exact_tables": fisher}
with open(sys.argv[1], "w") as f:
    json.dump(out, f, indent=None, allow_nan=False)
print(len(cases), "cases,", len(kstwo), "kstwo,", len(smirnov), "smirnov,", len(cat), "categorical,",
      len(fisher), "fisher tables")
