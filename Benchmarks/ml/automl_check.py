#!/usr/bin/env python3
"""The acceptance check of `automl` (issue 13): on a held-out test split, `automl … time=T` must score at least as
well as the best of scikit-learn's default models — logistic regression, random forest, histogram gradient
boosting, SVC and kNN, each behind standard preprocessing (median imputation + standard scaling for numbers,
most-frequent imputation + one-hot for text) — less one accuracy point.

Both sides use the same rows: Petal's automl holds out test=0.2 stratified with seed=S, which is
scikit-learn's train_test_split(test_size=0.2, stratify=y, random_state=S) row for row (Petal's splits are
checked against scikit-learn's in Tests/Fixtures/sklearn/splits.json), and the script checks that the held-out
row counts agree.

Usage: automl_check.py PETAL_BINARY [--time 40] [--seed 42] [--out DIR]
Data sets: samples/penguins.csv (species; text and missing values), samples/iris.csv (variety), and two
generated with make_classification (2,000 × 20, 3 classes; 5,000 × 12 binary with 10% label noise).
Needs numpy, pandas, scikit-learn.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def datasets(out):
    """(name, csv path, target) for each data set, writing the generated ones to `out`."""
    sets = [("penguins", os.path.join(ROOT, "samples/penguins.csv"), "species"),
            ("iris", os.path.join(ROOT, "samples/iris.csv"), "variety")]
    X, y = make_classification(n_samples=2000, n_features=20, n_informative=8, n_redundant=4, n_classes=3,
                               n_clusters_per_class=2, random_state=7)
    frame = pd.DataFrame(np.round(X, 5), columns=[f"x{i}" for i in range(X.shape[1])])
    frame["label"] = [f"c{v}" for v in y]
    path = os.path.join(out, "synthetic3.csv")
    frame.to_csv(path, index=False)
    sets.append(("synthetic 2000x20, 3 classes", path, "label"))
    X, y = make_classification(n_samples=5000, n_features=12, n_informative=6, n_classes=2, flip_y=0.1,
                               weights=[0.7, 0.3], random_state=11)
    frame = pd.DataFrame(np.round(X, 5), columns=[f"f{i}" for i in range(X.shape[1])])
    frame["outcome"] = np.where(y == 1, "yes", "no")
    path = os.path.join(out, "synthetic2.csv")
    frame.to_csv(path, index=False)
    sets.append(("synthetic 5000x12, binary, noisy", path, "outcome"))
    return sets


def sklearn_defaults(path, target, seed):
    """Test accuracy of each default model on the held-out split, and the test row count."""
    frame = pd.read_csv(path)
    y = frame.pop(target).astype(str)
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    numbers = [c for c in frame.columns if c not in text]
    Xtr, Xte, ytr, yte = train_test_split(frame, y, test_size=0.2, stratify=y, random_state=seed)
    prep = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
        ("txt", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), text),
    ])
    models = {"logistic_regression": LogisticRegression(max_iter=1000), "random_forest": RandomForestClassifier(random_state=0),
              "hist_gradient_boosting": HistGradientBoostingClassifier(random_state=0), "svc": SVC(), "knn": KNeighborsClassifier()}
    scores = {}
    for name, model in models.items():
        scores[name] = float(make_pipeline(prep, model).fit(Xtr, ytr).score(Xte, yte))
    return scores, len(yte)


def petal_automl(binary, path, target, seconds, seed, home):
    name = "data"
    script = f'open "{path}" as {name}; automl {name} target={target} time={seconds} seed={seed} as best'
    started = time.time()
    r = subprocess.run([binary, "exec", "--json", script], capture_output=True, text=True, cwd=home,
                       env={**os.environ, "PETAL_HOME": os.path.join(home, ".petal")})
    wall = time.time() - started
    if r.returncode != 0:
        raise SystemExit(f"petal failed on {path}:\n{r.stdout}\n{r.stderr}")
    result = json.loads(r.stdout.strip().split("\n")[-1])["result"]
    return result, wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("petal")
    parser.add_argument("--time", type=float, default=40)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default=os.path.join(ROOT, "Benchmarks/out/automl"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    failed = False
    print(f"automl time={args.time:g} seed={args.seed} against scikit-learn's defaults, held-out test=0.2 (accuracy)")
    for label, path, target in datasets(args.out):
        scores, test_rows = sklearn_defaults(path, target, args.seed)
        best_name = max(scores, key=scores.get)
        result, wall = petal_automl(args.petal, path, target, args.time, args.seed, args.out)
        petal = result["metrics"]["accuracy"]
        if result["test_rows"] != test_rows:
            raise SystemExit(f"{label}: petal held out {result['test_rows']} rows, scikit-learn {test_rows}")
        ok = petal >= scores[best_name] - 0.01
        failed |= not ok
        print(f"\n{label}: {test_rows} test rows")
        for name, s in sorted(scores.items(), key=lambda kv: -kv[1]):
            print(f"  sklearn {name:24s} {s:.4f}")
        print(f"  petal automl             {petal:.4f}  ({result['trials']} trials, search {result['elapsed_seconds']:.1f} s, "
              f"final fit {result['final_fit_seconds']:.1f} s, process {wall:.1f} s)")
        print(f"    {result['best']['pipeline']}")
        print(f"  {'PASS' if ok else 'FAIL'}: {petal:.4f} vs best default {best_name} {scores[best_name]:.4f} (allowed -0.01); "
              f"budget {'kept' if result['elapsed_seconds'] <= args.time * 1.1 else 'EXCEEDED'}")
        failed |= result["elapsed_seconds"] > args.time * 1.1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
