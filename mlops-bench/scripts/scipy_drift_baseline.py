#!/usr/bin/env python3
"""scipy's side of issue 16's drift figures, to run on the same machine as the JMH benchmarks.

  ks      scipy.stats.ks_2samp on 1,000,000 vs 1,000,000 doubles (normal(0, 1) vs
          normal(0.01, 1)), as KsBenchmark; numpy.sort of both arrays beside it (numpy's floor).
  report  the per-column loop with Evidently's defaults over 100 columns x 200,000 reference vs
          200,000 current rows, as DatasetDriftBenchmark: the same four column shapes, shifts
          and missing values; wasserstein_distance / std(reference) for columns with more than
          5 distinct values, jensenshannon of Sturges-binned shares otherwise (Evidently's rule
          for a reference of more than 1,000 rows). The data are drawn by numpy, so the values
          differ from the Java benchmark's but the shapes and sizes are the same.

Times are wall-clock seconds per call, the best and the median of --repeat runs, one thread.
Needs numpy and scipy (Debian: apt-get install python3-scipy).

  python3 mlops-bench/scripts/scipy_drift_baseline.py             # both
  python3 mlops-bench/scripts/scipy_drift_baseline.py ks --repeat 5
  python3 mlops-bench/scripts/scipy_drift_baseline.py report --repeat 1
"""
import argparse
import statistics
import time

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance


def timed(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def ks(n, repeat):
    rng = np.random.default_rng(20250131)
    reference = rng.normal(0.0, 1.0, n)
    current = rng.normal(0.01, 1.0, n)
    best, median, result = timed(lambda: stats.ks_2samp(reference, current), repeat)
    print(f"ks_2samp {n:,} vs {n:,}: best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms "
          f"(D={result.statistic:.6f}, p={result.pvalue:.4g})")
    best, median, _ = timed(lambda: (np.sort(reference), np.sort(current)), repeat)
    print(f"numpy.sort of both: best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms")


def column(rng, c, rows, shift):
    u = rng.random(rows)
    shape = c % 4
    if shape == 0:
        v = shift + np.sqrt(-2.0 * np.log1p(-u)) * np.cos(2.0 * np.pi * rng.random(rows))
    elif shape == 1:
        v = shift + u
    elif shape == 2:
        v = shift - np.log1p(-u)
    else:
        v = np.floor(4 * u + shift)
    if c % 10 == 9:
        v[::100] = np.nan
    return v


def evidently_default(reference, current):
    reference = reference[~np.isnan(reference)]
    current = current[~np.isnan(current)]
    if len(np.unique(reference)) <= 5:
        edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins="sturges")
        r = np.histogram(reference, edges)[0] / len(reference)
        c = np.histogram(current, edges)[0] / len(current)
        r[r == 0] = 0.0001
        c[c == 0] = 0.0001
        return distance.jensenshannon(r, c)
    return stats.wasserstein_distance(reference, current) / np.std(reference)


def report(columns, rows, repeat):
    rng = np.random.default_rng(7)
    frames = []
    for c in range(columns):
        shift = 0.2 if c % 3 == 0 else 0.0
        frames.append((column(rng, c, rows, 0.0), column(rng, c, rows, shift)))
    best, median, _ = timed(lambda: [evidently_default(r, c) for r, c in frames], repeat)
    print(f"per-column loop, {columns} columns x {rows:,} vs {rows:,} rows: best {best:.2f} s, median {median:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", choices=["ks", "report", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n", type=int, default=1_000_000, help="values per KS sample")
    parser.add_argument("--columns", type=int, default=100)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    print(f"numpy {np.__version__}, scipy {scipy.__version__}")
    if args.what in ("ks", "both"):
        ks(args.n, args.repeat)
    if args.what in ("report", "both"):
        report(args.columns, args.rows, args.repeat)


if __name__ == "__main__":
    main()
