#!/usr/bin/python3
"""Generates mlops-quality/src/test/resources/quality/sklearn-reference.json.

The reference values that the Java quality metrics are compared with (QualityReferenceTest).
Run once by hand with Debian's Python and scikit-learn (the build never runs it):

    apt-get install -y python3-sklearn python3-statsmodels
    /usr/bin/python3 mlops-core/src/test/python/generate_quality_reference.py

Sources of truth:
- scikit-learn (version recorded in the output): accuracy_score, precision_recall_fscore_support,
  roc_auc_score, average_precision_score, log_loss, confusion_matrix, mean_absolute_error,
  mean_squared_error(squared=False), r2_score, mean_absolute_percentage_error,
  permutation_importance.
- statsmodels: statsmodels.stats.contingency_tables.mcnemar (exact=True; exact=False,
  correction=True). The one-sided p-values use scipy.stats.binom / chi2 directly (statsmodels
  has no one-sided McNemar).
- fairlearn is not packaged for Debian, so its definitions (fairlearn/metrics/_fairness_metrics.py,
  method="between_groups", agg="worst_case"; true/false positive rate with 0 for an empty
  denominator) are computed here in plain numpy.
Inputs are written next to the expected values, so the Java test needs no Python and no
random generator of numpy's.
"""
import csv
import json
import os
import sys

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn import metrics as skm
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.preprocessing import label_binarize
import statsmodels
from statsmodels.stats.contingency_tables import mcnemar

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = os.path.dirname(os.path.dirname(HERE))
DATASETS = os.path.join(CORE, "test", "resources", "datasets")
OUT = os.path.join(CORE, "test", "resources", "quality", "sklearn-reference.json")


def f(x):
    return float(x)


def classification_expected(classes, y_true, y_pred, proba, pos):
    """sklearn on label strings, labels inferred (unique_labels), as the Java report does."""
    classes = list(classes)
    t = np.array([classes[i] for i in y_true], dtype=object)
    p = np.array([classes[i] for i in y_pred], dtype=object)
    out = {"accuracy": f(skm.accuracy_score(t, p))}
    labels = sorted(set(t) | set(p))
    prec, rec, f1, sup = skm.precision_recall_fscore_support(t, p, labels=labels, zero_division=0)
    for i, c in enumerate(labels):
        out["precision[" + c + "]"] = f(prec[i])
        out["recall[" + c + "]"] = f(rec[i])
        out["f1[" + c + "]"] = f(f1[i])
    for avg in ("macro", "weighted"):
        pr, re, ff, _ = skm.precision_recall_fscore_support(t, p, average=avg, zero_division=0)
        out["precision_" + avg] = f(pr)
        out["recall_" + avg] = f(re)
        out["f1_" + avg] = f(ff)
    cm = skm.confusion_matrix(t, p, labels=classes)
    if proba is not None:
        proba = np.asarray(proba, dtype=np.float64)
        yt_idx = np.asarray(y_true)
        if len(classes) == 2:
            score = proba[:, pos]
            yb = (yt_idx == pos).astype(int)
            out["roc_auc"] = f(skm.roc_auc_score(yb, score))
            out["average_precision"] = f(skm.average_precision_score(yb, score))
        else:
            out["roc_auc"] = f(skm.roc_auc_score(yt_idx, proba, multi_class="ovr", average="macro",
                                                 labels=list(range(len(classes)))))
            yb = label_binarize(yt_idx, classes=list(range(len(classes))))
            out["average_precision"] = f(skm.average_precision_score(yb, proba, average="macro"))
        out["log_loss"] = f(skm.log_loss(yt_idx, proba, labels=list(range(len(classes)))))
    return out, cm.tolist()


def classification_case(name, source, classes, y_true, y_pred=None, proba=None, pos=1):
    if proba is not None:
        y_pred = [int(i) for i in np.argmax(np.asarray(proba), axis=1)]
    expected, cm = classification_expected(classes, y_true, y_pred, proba, pos)
    case = {"name": name, "source": source, "classes": list(classes), "positive": pos,
            "actual": [int(v) for v in y_true], "expected": expected, "confusion": cm}
    if proba is not None:
        case["probabilities"] = [[f(v) for v in row] for row in proba]
    else:
        case["predicted"] = [int(v) for v in y_pred]
    return case


def regression_case(name, source, y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    exp = {"mae": f(skm.mean_absolute_error(y_true, y_pred)),
           "rmse": f(skm.mean_squared_error(y_true, y_pred, squared=False)),
           "mape": f(skm.mean_absolute_percentage_error(y_true, y_pred))}
    if len(y_true) >= 2:
        exp["r2"] = f(skm.r2_score(y_true, y_pred))
    return {"name": name, "source": source, "actual": [f(v) for v in y_true],
            "predicted": [f(v) for v in y_pred], "expected": exp}


def read_csv(name):
    with open(os.path.join(DATASETS, name), newline="") as fh:
        return list(csv.DictReader(fh))


def fairness_expected(y_true, y_pred, groups, pos):
    """fairlearn's definitions in numpy: MetricFrame per group, difference/ratio between groups."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    groups = np.asarray(groups, dtype=object)
    slices = []
    for g in sorted(set(groups)):
        m = groups == g
        t = y_true[m] == pos
        p = y_pred[m] == pos
        n = int(m.sum())
        npos = int(t.sum())
        nneg = n - npos
        tpr = float((p & t).sum() / npos) if npos > 0 else 0.0
        fpr = float((p & ~t).sum() / nneg) if nneg > 0 else 0.0
        slices.append({"slice": g, "count": n, "actualPositives": npos, "predictedPositives": int(p.sum()),
                       "selectionRate": float(p.mean()), "truePositiveRate": tpr, "falsePositiveRate": fpr,
                       "accuracy": float((y_true[m] == y_pred[m]).mean())})
    sel = [s["selectionRate"] for s in slices]
    tprs = [s["truePositiveRate"] for s in slices]
    fprs = [s["falsePositiveRate"] for s in slices]
    return {"slices": slices,
            "demographic_parity_difference": max(sel) - min(sel),
            "demographic_parity_ratio": min(sel) / max(sel),
            "equalized_odds_difference": max(max(tprs) - min(tprs), max(fprs) - min(fprs)),
            "equal_opportunity_difference": max(tprs) - min(tprs)}


def age_group(age):
    # Same labels as Fairness.bins(values, 25, 40) in Java.
    if age < 25:
        return "< 25"
    if age < 40:
        return "[25, 40)"
    return ">= 40"


def fmt_edge(x):
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def german_credit():
    rows = read_csv("german-credit.csv")
    features = ["duration", "credit_amount", "installment_commitment", "residence_since", "age",
                "existing_credits", "num_dependents"]
    X = np.array([[float(r[c]) for c in features] for r in rows])
    classes = ["bad", "good"]
    y = np.array([classes.index(r["class"]) for r in rows])
    # Standardize so lbfgs converges; the model only has to produce real, imperfect predictions.
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    clf = LogisticRegression(max_iter=1000).fit(Xs, y)
    proba = clf.predict_proba(Xs)
    case = classification_case("german-credit-logistic", "german-credit.csv, LogisticRegression on the numeric "
                               "columns (standardized), in-sample predict_proba", classes, y, proba=proba, pos=1)
    y_pred = np.argmax(proba, axis=1)
    personal = [r["personal_status"] for r in rows]
    ages = [float(r["age"]) for r in rows]
    fairness = {
        "personal_status": fairness_expected(y, y_pred, personal, 1),
        "age": fairness_expected(y, y_pred, [age_group(a) for a in ages], 1),
    }
    # Also with "bad" as the positive outcome (the class the gate may care about).
    fairness_bad = fairness_expected(y, y_pred, personal, 0)
    return case, {"case": case["name"], "positiveClass": "good", "slicesBy": fairness,
                  "personal_status_positive_bad": fairness_bad}


def mcnemar_cases():
    out = []
    # (champion right & candidate wrong = b, candidate right & champion wrong = c, both right, both wrong)
    for b, c, both, neither in [(3, 9, 50, 8), (0, 5, 40, 5), (12, 12, 60, 16), (10, 25, 100, 15),
                                (40, 60, 800, 100), (7, 17, 70, 6), (30, 18, 120, 32), (0, 0, 10, 2)]:
        # table rows: champion correct / wrong; columns: candidate correct / wrong
        table = np.array([[both, b], [c, neither]])
        n = b + c
        ex = mcnemar(table, exact=True)
        entry = {"championOnlyCorrect": b, "candidateOnlyCorrect": c, "bothCorrect": both, "neitherCorrect": neither,
                 "exact": {"statistic": f(ex.statistic), "pvalue": f(ex.pvalue),
                           "pvalueImprovement": f(scipy.stats.binom.sf(c - 1, n, 0.5)) if n > 0 else 1.0}}
        if n > 0:
            ch = mcnemar(table, exact=False, correction=True)
            sf = f(ch.pvalue)
            entry["chiSquareCorrected"] = {"statistic": f(ch.statistic), "pvalue": sf,
                                           "pvalueImprovement": sf / 2 if c > b else 1 - sf / 2}
        out.append(entry)
    return out


def importance_case():
    rows = read_csv("seattle-weather.csv")
    features = ["precipitation", "temp_min", "wind"]
    X = np.array([[float(r[c]) for c in features] for r in rows])
    y = np.array([float(r["temp_max"]) for r in rows])
    lr = LinearRegression().fit(X, y)
    repeats, seed = 5, 7
    res = permutation_importance(lr, X, y, scoring="r2", n_repeats=repeats, random_state=seed)
    # Re-create the permutations scikit-learn applied (sklearn/inspection/_permutation_importance.py):
    # one seed per run, each column shuffles one index array in place per repeat and permutes the
    # already permuted column, so repeat r sees original[p_1[p_2[...p_r]]].
    rs = np.random.RandomState(seed)
    col_seed = rs.randint(np.iinfo(np.int32).max + 1)
    perms = []
    for _ in features:
        crs = np.random.RandomState(col_seed)
        idx = np.arange(len(y))
        effective = np.arange(len(y))
        col = []
        for _ in range(repeats):
            crs.shuffle(idx)
            effective = effective[idx]
            col.append([int(v) for v in effective])
        perms.append(col)
    # check the re-creation against scikit-learn's numbers
    base = lr.score(X, y)
    for j in range(len(features)):
        for r in range(repeats):
            Xp = X.copy()
            Xp[:, j] = X[perms[j][r], j]
            assert abs((base - lr.score(Xp, y)) - res.importances[j][r]) < 1e-12
    return {"name": "seattle-temp-max-linear", "source": "seattle-weather.csv, LinearRegression temp_max ~ "
            "precipitation + temp_min + wind, permutation_importance(scoring='r2', n_repeats=5, random_state=7)",
            "features": features, "intercept": f(lr.intercept_), "coefficients": [f(v) for v in lr.coef_],
            "target": "temp_max", "repeats": repeats, "baseline": f(base), "permutations": perms,
            "importancesMean": [f(v) for v in res.importances_mean],
            "importancesStd": [f(v) for v in res.importances_std],
            "importances": [[f(v) for v in row] for row in res.importances]}


def main():
    rng = np.random.default_rng(20240501)
    cls = []
    # 1. binary with tied scores, exact 0 and 1 probabilities (log-loss clipping), hand-sized
    p1 = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.3, 0.2, 0.1, 1.0, 0.0]
    y1 = [1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1]
    cls.append(classification_case("binary-ties-clipping", "hand-made: ties in the scores, p = 0 and 1 on wrong rows",
                                   ["neg", "pos"], y1, proba=[[1 - p, p] for p in p1], pos=1))
    # 2. three classes, Dirichlet probabilities
    n = 60
    pr = rng.dirichlet([1.0, 1.0, 1.0], size=n)
    y2 = [int(np.argmax(r)) if rng.random() < 0.6 else int(rng.integers(0, 3)) for r in pr]
    cls.append(classification_case("multiclass-dirichlet", "numpy default_rng(20240501), 60 rows, 3 classes",
                                   ["a", "b", "c"], y2, proba=pr.tolist()))
    # 3. hard predictions: a class never predicted (precision 0/0 -> 0), a fourth class that never occurs
    y3 = [0, 0, 1, 1, 2, 2, 2, 0, 1, 2, 0, 1]
    p3 = [0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0]
    cls.append(classification_case("hard-zero-division", "hand-made: class c never predicted, class d absent",
                                   ["a", "b", "c", "d"], y3, y_pred=p3))
    # 4. binary, unnormalized probability rows, negative class as positive
    pr4 = rng.uniform(0.0, 1.0, size=(25, 2))
    y4 = [int(v) for v in rng.integers(0, 2, size=25)]
    cls.append(classification_case("binary-unnormalized-positive-first", "numpy default_rng(20240501): rows do "
                                   "not sum to 1 (log_loss renormalizes); positive class is the first",
                                   ["yes", "no"], y4, proba=pr4.tolist(), pos=0))
    gc_case, fairness = german_credit()
    cls.append(gc_case)

    reg = []
    a = rng.normal(10.0, 3.0, size=50)
    reg.append(regression_case("normal", "numpy default_rng(20240501): y ~ N(10, 3), noise N(0, 1)",
                               a, a + rng.normal(0.0, 1.0, size=50)))
    reg.append(regression_case("zeros-in-target", "hand-made: y = 0 rows (MAPE divides by eps)",
                               [0.0, 1.0, -2.0, 0.0, 3.5], [0.1, 1.1, -1.5, 0.0, 3.0]))
    reg.append(regression_case("constant-target-perfect", "hand-made: constant y, perfect fit (r2 = 1)",
                               [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]))
    reg.append(regression_case("constant-target-imperfect", "hand-made: constant y, imperfect fit (r2 = 0)",
                               [2.0, 2.0, 2.0], [2.0, 2.5, 1.0]))
    reg.append(regression_case("single-row", "hand-made: one row (r2 undefined)", [4.0], [3.0]))
    weather = read_csv("seattle-weather.csv")
    wx = np.array([[float(r["temp_min"])] for r in weather])
    wy = np.array([float(r["temp_max"]) for r in weather])
    wp = LinearRegression().fit(wx[:1000], wy[:1000]).predict(wx)
    reg.append(regression_case("seattle-temp-max", "seattle-weather.csv: LinearRegression temp_max ~ temp_min "
                               "fitted on the first 1000 days, predicted for all 1461", wy, wp))

    doc = {
        "schemaVersion": 1,
        "generator": "mlops-core/src/test/python/generate_quality_reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                     "sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__},
        "classification": cls,
        "regression": reg,
        "fairness": fairness,
        "mcnemar": mcnemar_cases(),
        "permutationImportance": importance_case(),
    }
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
