#!/usr/bin/env python3
"""The whole `fit` command as a user waits for it, against scikit-learn's fit + predict, for every case in
fit_cases.tsv (one line per family; the same data, an 80/20 split with seed 42). Any CSV of feature columns and a
`label` column will do (generate.py's shape options make ones the code was not tuned on); the cases' row counts
(`all` or the first N) apply to it as they are.

Petal: the wall time of `petal exec 'open CSV as d; pipeline p = …; fit p on d target=… test=0.2 seed=42'`
(process start, load, split, fit, predicting the test rows, the report, recording the run and its artifacts)
minus the same process that only opens the file (the two run alternately, best of --repeat each). scikit-learn:
fit + predict in-process on the already-loaded frame (no load, no report, no tracking), best of --repeat. Prints
a table with the ratio.
"""
import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import DBSCAN, KMeans  # noqa: F401 (used by the cases' expressions)
from sklearn.decomposition import PCA  # noqa: F401
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis  # noqa: F401
from sklearn.ensemble import AdaBoostClassifier, ExtraTreesClassifier, GradientBoostingClassifier, HistGradientBoostingClassifier, RandomForestClassifier  # noqa: F401
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge  # noqa: F401
from sklearn.model_selection import train_test_split
from sklearn.mixture import GaussianMixture  # noqa: F401
from sklearn.naive_bayes import BernoulliNB, GaussianNB, MultinomialNB  # noqa: F401
from sklearn.neural_network import MLPClassifier  # noqa: F401
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors  # noqa: F401
from sklearn.pipeline import make_pipeline  # noqa: F401
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: F401
from sklearn.svm import SVC  # noqa: F401
from sklearn.tree import DecisionTreeClassifier  # noqa: F401

HERE = os.path.dirname(os.path.abspath(__file__))


class DBSCANPredicting:
    """scikit-learn's DBSCAN, which has no `predict`, with what Petal's fitted dbscan does for new rows: each joins
    the cluster of its nearest core row when that row is within eps, else it is noise (-1)."""

    def __init__(self, eps, min_samples):
        self.model = DBSCAN(eps=eps, min_samples=min_samples)

    def fit(self, X):
        self.model.fit(X)
        core = self.model.core_sample_indices_
        self.core_labels = self.model.labels_[core]
        self.nearest = NearestNeighbors(n_neighbors=1).fit(X[core]) if len(core) else None
        return self

    def predict(self, X):
        if self.nearest is None:
            return np.full(len(X), -1)
        distance, index = self.nearest.kneighbors(X)
        return np.where(distance[:, 0] <= self.model.eps, self.core_labels[index[:, 0]], -1)


def cases(path):
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        name, rows, target, pipeline, estimator = line.rstrip("\n").split("\t")
        yield name, rows, target, pipeline, estimator


def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def petal_seconds(petal, scripts, repeat):
    """For each script, the best wall time and best CPU time (user + system, every thread) of the whole process,
    and the wall time of every round. The scripts' runs alternate (a, b, a, b, ...), so that every best comes from
    the same minutes: on a machine whose speed swings by tens of percent, an open-only time measured minutes before
    a fit made the difference meaningless (negative, once)."""
    best = [[float("inf"), float("inf")] for _ in scripts]
    rounds = [[] for _ in scripts]
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PETAL_HOME=home)
        for _ in range(repeat):
            for k, script in enumerate(scripts):
                c = children_cpu()
                t = time.perf_counter()
                r = subprocess.run([petal, "exec", script], env=env, cwd=home, capture_output=True, text=True)
                elapsed = time.perf_counter() - t
                if r.returncode != 0:
                    raise SystemExit(f"petal failed on {script!r}:\n{r.stdout}{r.stderr}")
                best[k][0] = min(best[k][0], elapsed)
                best[k][1] = min(best[k][1], children_cpu() - c)
                rounds[k].append(elapsed)
    return best, rounds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("csv")
    ap.add_argument("--petal", default=".build/release/petal")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated case names")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    args.petal = os.path.abspath(args.petal)  # petal runs in a scratch folder
    full = pd.read_csv(args.csv)
    classes = full["label"].nunique() if "label" in full.columns else 0
    print(f"scikit-learn {sklearn.__version__}; {os.cpu_count()} cores; {args.csv}: {len(full)} rows x {full.shape[1] - 1} features, {classes} classes")
    # CPU seconds (user + system over all threads) are printed too: on a machine shared with other work the wall
    # clock of both sides swings, the work done much less. The target is on the wall-clock ratio.
    # "paired": the median over rounds of (fit process − open process) of the same round, over scikit-learn's best —
    # steadier than the difference of two bests when the fit is small against the process (not the target's ratio).
    print(f"{'case':22s} {'rows':>8s} {'petal s':>9s} {'sklearn s':>10s} {'ratio':>7s}        {'cpu ratio':>9s}  {'paired':>7s}  petal pipeline")
    for name, rows, target, pipeline, estimator in cases(os.path.join(HERE, "fit_cases.tsv")):
        if only and name not in only:
            continue
        csv = os.path.abspath(args.csv)
        df = full
        if rows != "all":
            df = full.head(int(rows))
            # Named after the source too: a case's first N rows of one data set are not another's.
            stem = os.path.splitext(os.path.basename(args.csv))[0]
            csv = os.path.join(tempfile.gettempdir(), f"petal-bench-{stem}-{rows}.csv")
            if not os.path.exists(csv):
                df.to_csv(csv, index=False)
        fit = f"fit p on d test=0.2 seed=42" + ("" if target == "-" else f" target={target}")
        if target == "-":
            # Clustering: every feature column (the label left out), however wide the data set.
            fit = f"select d {','.join(c for c in full.columns if c != 'label')} as d; " + fit
        scripts = [f"open {csv} as d", f"open {csv} as d; pipeline p = {pipeline}; {fit}"]
        (opened, fitted), rounds = petal_seconds(args.petal, scripts, args.repeat)
        if fitted[0] - opened[0] < 0.2:
            # A fit of a few tens of milliseconds is the difference of two ~0.3 s processes, and one noisy round
            # moves either best by as much: more rounds, and the median of the rounds' own differences beside it.
            (more_opened, more_fitted), more_rounds = petal_seconds(args.petal, scripts, 3 * args.repeat)
            opened = [min(a, b) for a, b in zip(opened, more_opened)]
            fitted = [min(a, b) for a, b in zip(fitted, more_fitted)]
            rounds = [a + b for a, b in zip(rounds, more_rounds)]
        whole, whole_cpu = fitted[0] - opened[0], fitted[1] - opened[1]
        paired = statistics.median(f - o for o, f in zip(rounds[0], rounds[1]))
        if target == "-":
            X, y = df.drop(columns="label").to_numpy(), None
        else:
            X, y = df.drop(columns=[target] + (["label"] if target != "label" else [])).to_numpy(), df[target].to_numpy()
        split = train_test_split(X, test_size=0.2, random_state=42) if y is None else train_test_split(X, y, test_size=0.2, random_state=42)
        best, best_cpu = float("inf"), float("inf")
        for _ in range(args.repeat):
            model = eval(estimator)  # the case's estimator expression, from the committed table
            c = time.process_time()
            t = time.perf_counter()
            if y is None:
                model.fit(split[0]).predict(split[1])
            else:
                model.fit(split[0], split[2]).predict(split[1])
            best = min(best, time.perf_counter() - t)
            best_cpu = min(best_cpu, time.process_time() - c)
        ratio = whole / best
        cpu_ratio = whole_cpu / best_cpu if best_cpu > 0 else float("nan")
        print(f"{name:22s} {len(df):8d} {whole:9.3f} {best:10.3f} {ratio:6.2f}x  {'MET' if ratio <= 1 else 'NOT MET':7s}  {cpu_ratio:8.2f}x"
              f"  {paired / best:7.2f}x  {pipeline}")


if __name__ == "__main__":
    main()
