#!/usr/bin/env python3
"""Batch prediction benchmark: `petal predict` against scikit-learn on the same 1,000,000-row CSV, same run.

usage: compare.py PETAL BIG.csv TRAIN.csv BUNDLE OUT_DIR [--repeat N]
Both sides use the same model recipe (imputer → standard scaler → logistic regression on f1..f8 and n,
predicting `label`) fitted on the same TRAIN.csv rows; Petal's comes from the exported BUNDLE.
Petal: wall time of the `petal predict BUNDLE BIG.csv -o OUT.csv` process (load, schema check, predict,
write every row with its class probabilities). scikit-learn: pandas.read_csv + predict_proba + argmax,
and the same plus DataFrame.to_csv of the same columns. Best of --repeat runs each.
"""
import argparse
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = ["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "n"]


def cpu_now() -> float:
    """CPU seconds (user + system) of this process and of its finished children (the petal runs)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def best(fn, repeat: int) -> float:
    """Best wall time of `repeat` runs; the median CPU seconds of the same runs are left in best.last_cpu."""
    times, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_now()
        fn()
        times.append(time.perf_counter() - start)
        cpus.append(cpu_now() - cpu)
    best.last_cpu = sorted(cpus)[len(cpus) // 2]
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("petal"); ap.add_argument("big"); ap.add_argument("train"); ap.add_argument("bundle"); ap.add_argument("out")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()

    train = pd.read_csv(a.train)
    model = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(train[FEATURES], train["label"])

    petal_out = f"{a.out}/petal-predicted.csv"
    def petal(*extra: str):
        def run() -> None:
            subprocess.run([a.petal, "predict", a.bundle, a.big, "-o", petal_out, "--quiet", *extra], check=True)
        return run

    def sklearn_predict(write: bool):
        def run() -> None:
            df = pd.read_csv(a.big)
            p = model.predict_proba(df[FEATURES])
            labels = model.classes_[np.argmax(p, axis=1)]
            if write:
                out = df.copy()
                out["predicted"] = labels
                for k, c in enumerate(model.classes_):
                    out[f"p_{c}"] = p[:, k]
                out.to_csv(f"{a.out}/sklearn-predicted.csv", index=False)
        return run

    rows = sum(1 for _ in open(a.big)) - 1
    t_petal_only = best(petal("--predictions-only"), a.repeat); c_petal_only = best.last_cpu
    t_petal = best(petal(), a.repeat); c_petal = best.last_cpu
    t_sk = best(sklearn_predict(False), a.repeat); c_sk = best.last_cpu
    t_sk_write = best(sklearn_predict(True), a.repeat); c_sk_write = best.last_cpu

    petal_labels = pd.read_csv(petal_out, usecols=["predicted"])["predicted"].to_numpy()
    df = pd.read_csv(a.big)
    sk_labels = model.predict(df[FEATURES])
    agree = float(np.mean(petal_labels == sk_labels))

    print(f"rows: {rows:,}")
    # CPU: user + system seconds, median of the runs (both cores count for Petal; a loaded machine inflates wall
    # times more than CPU times).
    print(f"{'tool':58} {'seconds':>8} {'rows/s':>12} {'CPU s':>7}")
    for name, t, c in [("petal predict --predictions-only (load+check+predict+write)", t_petal_only, c_petal_only),
                       ("petal predict (also echoes the 11 input columns)", t_petal, c_petal),
                       ("scikit-learn: read_csv + predict_proba", t_sk, c_sk),
                       ("scikit-learn: read_csv + predict_proba + to_csv (all columns)", t_sk_write, c_sk_write)]:
        print(f"{name:58} {t:8.3f} {rows / t:12,.0f} {c:7.3f}")
    # Time ratios (Petal's seconds / the peer's): the target is <= 1.0 for predictions only.
    ratio_only = t_petal_only / t_sk
    print(f"time ratio, predictions only: petal takes {ratio_only:.2f}x scikit-learn's read+predict (which writes nothing); "
          f"target <= 1.0x: {'met' if ratio_only <= 1.0 else 'NOT met'}")
    print(f"CPU ratio, predictions only: petal uses {c_petal_only / c_sk:.2f}x scikit-learn's CPU seconds")
    print(f"time ratio, with the input columns: petal takes {t_petal / t_sk_write:.2f}x scikit-learn's read+predict+to_csv")
    for name, t in [("predictions only", t_petal_only), ("with input columns", t_petal)]:
        print(f"target >= 1,000,000 rows/s ({name}): {'met' if rows / t >= 1e6 else 'NOT met'} ({rows / t:,.0f} rows/s)")
    print(f"labels agreeing with scikit-learn's model: {agree:.4%}")


if __name__ == "__main__":
    sys.exit(main())
