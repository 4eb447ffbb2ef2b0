"""Expected values for DriftAnalysisTest's Seattle weather case (2012 vs 2015), computed with
scipy 1.17.1 / numpy 2.4.6 and Evidently's default-method rules applied by hand:
reference <= 1000 rows -> ks for numerical columns with > 5 distinct values (reference and
current together), chisquare for categorical columns with > 2 categories. Also the 2012-2014 vs
2015 split (reference > 1000 rows -> wasserstein_norm / jensenshannon).

Run: python3 gen_seattle_drift.py ../resources/seattle-weather.csv
"""
import csv
import sys

import numpy as np
from scipy import stats
from scipy.spatial import distance

rows = list(csv.DictReader(open(sys.argv[1])))
NUM = ["precipitation", "temp_max", "temp_min", "wind"]


def split(pred):
    return [r for r in rows if pred(r["date"])]


def chisquare(ref, cur):
    keys = sorted(set(ref) | set(cur))
    rc = {k: ref.count(k) for k in keys}
    cc = {k: cur.count(k) for k in keys}
    f_exp = [rc[k] * len(cur) / len(ref) for k in keys]
    f_obs = [cc[k] for k in keys]
    return stats.chisquare(f_obs, f_exp)


def js(ref, cur):
    keys = sorted(set(ref) | set(cur))
    p = np.array([ref.count(k) / len(ref) for k in keys])
    q = np.array([cur.count(k) / len(cur) for k in keys])
    return distance.jensenshannon(p, q)


def wasserstein_norm(ref, cur):
    return stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)


for title, ref_rows, cur_rows in [
    ("2012 vs 2015", split(lambda d: d.startswith("2012")), split(lambda d: d.startswith("2015"))),
    ("2012-2014 vs 2015", split(lambda d: d[:4] != "2015"), split(lambda d: d.startswith("2015"))),
]:
    print(title, len(ref_rows), len(cur_rows))
    for c in NUM:
        ref = np.array([float(r[c]) for r in ref_rows])
        cur = np.array([float(r[c]) for r in cur_rows])
        n_values = len(set(ref) | set(cur))
        if len(ref) <= 1000:
            res = stats.ks_2samp(ref, cur)
            print(f"  {c}: ks n_values={n_values} statistic={res.statistic!r} p={res.pvalue!r}")
        else:
            print(f"  {c}: wasserstein_norm n_values={n_values} statistic={wasserstein_norm(ref, cur)!r}")
    ref = [r["weather"] for r in ref_rows]
    cur = [r["weather"] for r in cur_rows]
    if len(ref) <= 1000:
        res = chisquare(ref, cur)
        print(f"  weather: chisquare statistic={res.statistic!r} p={res.pvalue!r}")
    else:
        print(f"  weather: jensenshannon statistic={js(ref, cur)!r}")
