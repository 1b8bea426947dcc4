#!/usr/bin/env python3
"""Fixtures for Petal's diagnostics (issue 13): writes diagnostics.json next to this script.

- metrics: balanced_accuracy_score, matthews_corrcoef and cohen_kappa_score of seeded predictions;
- curves: roc_curve (drop_intermediate=True), precision_recall_curve, average_precision_score, auc and
  calibration_curve (uniform bins) of seeded scores with ties;
- iris: `fit p on iris target=variety test=0.3 seed=0 stratify=true` with `knn k=7`: the one-vs-rest ROC,
  PR and calibration curves of each class on the test rows, and learning_curve on the training rows
  (StratifiedKFold(5), train_sizes=linspace(0.1, 1, 5), accuracy). kNN's probabilities are exact fractions
  (j/7), so ties are the same on both sides; a model whose probabilities saturate near 1 (Gaussian NB on
  iris) differs in the last bits there, which splits or merges tied thresholds.
- class_weight: LogisticRegression and DecisionTreeClassifier with class_weight="balanced" on an imbalanced
  iris subset.

Deterministic; run it again after upgrading scikit-learn and commit the output:
    /path/to/venv/bin/python Tests/Fixtures/sklearn/generate_diagnostics.py
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (auc, average_precision_score, balanced_accuracy_score, cohen_kappa_score,
                             matthews_corrcoef, precision_recall_curve, roc_auc_score, roc_curve)
from sklearn.model_selection import StratifiedKFold, learning_curve, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def curves(truth, scores, n_bins=5):
    """Every curve of one binary problem, as lists."""
    fpr, tpr, roc_t = roc_curve(truth, scores)
    precision, recall, pr_t = precision_recall_curve(truth, scores)
    prob_true, prob_pred = calibration_curve(truth, scores, n_bins=n_bins, strategy="uniform")
    return {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "roc_thresholds": [t if np.isfinite(t) else "inf" for t in roc_t.tolist()],
            "roc_auc": float(auc(fpr, tpr)), "roc_auc_score": float(roc_auc_score(truth, scores)),
            "precision": precision.tolist(), "recall": recall.tolist(), "pr_thresholds": pr_t.tolist(),
            "average_precision": float(average_precision_score(truth, scores)),
            "prob_true": prob_true.tolist(), "prob_pred": prob_pred.tolist(), "n_bins": n_bins}


def main() -> None:
    rng = np.random.RandomState(13)
    metrics = []
    for k, n, noise in [(3, 30, 0.2), (4, 200, 0.5), (2, 50, 0.0), (3, 12, 0.9), (2, 40, 0.3), (5, 25, 1.0)]:
        y = rng.randint(0, k, size=n)
        pred = np.where(rng.rand(n) < noise, rng.randint(0, k, size=n), y)
        metrics.append({"classes": k, "truth": y.tolist(), "predicted": pred.tolist(),
                        "balanced_accuracy": balanced_accuracy_score(y, pred), "mcc": matthews_corrcoef(y, pred),
                        "kappa": cohen_kappa_score(y, pred)})
    # A class predicted but absent from the truth (balanced accuracy leaves it out), and a constant prediction
    # (MCC 0, kappa 0).
    for y, pred in [([0, 0, 1, 1, 0], [0, 2, 1, 1, 2]), ([0, 1, 2, 1, 0, 2], [1, 1, 1, 1, 1, 1])]:
        metrics.append({"classes": 3, "truth": y, "predicted": pred, "balanced_accuracy": balanced_accuracy_score(y, pred),
                        "mcc": matthews_corrcoef(y, pred), "kappa": cohen_kappa_score(y, pred)})

    binary = []
    for n, decimals, n_bins in [(40, 1, 5), (200, 2, 10), (15, 3, 4), (300, 6, 8)]:
        truth = rng.randint(0, 2, size=n)
        scores = np.clip(np.round(0.35 * truth + 0.65 * rng.rand(n), decimals), 0, 1)
        binary.append({"truth": truth.tolist(), "scores": scores.tolist(), **curves(truth, scores, n_bins)})

    df = pd.read_csv(os.path.join(ROOT, "samples", "iris.csv"))
    X, y = df.drop(columns="variety").to_numpy(), df["variety"].to_numpy()
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    model = KNeighborsClassifier(7).fit(Xtr, ytr)
    proba = model.predict_proba(Xte)
    per_class = [{"class": c, **curves((yte == c).astype(int), proba[:, i], 10)} for i, c in enumerate(model.classes_)]
    sizes, train_scores, test_scores = learning_curve(KNeighborsClassifier(7), Xtr, ytr, train_sizes=np.linspace(0.1, 1.0, 5),
                                                      cv=StratifiedKFold(5), scoring="accuracy")
    iris = {"command": "fit p on iris target=variety test=0.3 seed=0 stratify=true", "pipeline": "knn k=7",
            "classes": model.classes_.tolist(), "curves": per_class,
            "learning_curve": {"train_sizes": sizes.tolist(), "train_scores": train_scores.tolist(),
                               "test_scores": test_scores.tolist()}}

    # class_weight="balanced" on 50 versicolor and 12 virginica rows.
    sub = pd.concat([df[df.variety == "versicolor"], df[df.variety == "virginica"].head(12)])
    Xs, ys = sub.drop(columns="variety").to_numpy(), sub["variety"].to_numpy()
    weighted = []
    for text, make in [("logistic_regression class_weight=balanced", lambda: LogisticRegression(class_weight="balanced", tol=1e-10, max_iter=10000)),
                       ("logistic_regression", lambda: LogisticRegression(tol=1e-10, max_iter=10000)),
                       ("decision_tree max_depth=2 class_weight=balanced", lambda: DecisionTreeClassifier(max_depth=2, class_weight="balanced", random_state=0)),
                       ("decision_tree max_depth=2", lambda: DecisionTreeClassifier(max_depth=2, random_state=0))]:
        m = make().fit(Xs, ys)
        weighted.append({"pipeline": text, "classes": m.classes_.tolist(), "probabilities": m.predict_proba(Xs).tolist(),
                         "predicted": m.predict(Xs).tolist()})
    out = {"sklearn_version": sklearn.__version__, "metrics": metrics, "binary": binary, "iris": iris,
           "class_weight": {"rows": "versicolor, then the first 12 virginica rows of samples/iris.csv", "cases": weighted}}
    path = os.path.join(HERE, "diagnostics.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
