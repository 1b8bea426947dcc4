#!/usr/bin/env python3
"""Fixtures for Petal's support vector machine parity tests (needs: pip install scikit-learn numpy).

Writes svm.json next to this script: for SVC and SVR with each kernel and several settings, the training and
test matrices, the targets, and scikit-learn's answers: predicted labels, one-vs-one decision values
(decision_function_shape="ovo"), support vector counts per class, and regression predictions.
Data: iris standardised (three classes), its versicolor/virginica subset (two overlapping classes), a
regression target (iris petal length from the other measurements), and a seeded noisy three-class problem.
Deterministic; run it again after upgrading scikit-learn and commit the output.
"""
import csv
import json
import os

import numpy as np
import sklearn
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def iris():
    with open(os.path.join(ROOT, "samples", "iris.csv")) as f:
        rows = list(csv.DictReader(f))
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    X = np.array([[float(r[n]) for n in names] for r in rows])
    classes = sorted(set(r["variety"] for r in rows))
    y = np.array([classes.index(r["variety"]) for r in rows])
    return X, y


def split(n):
    """Every fourth row is a test row."""
    test = np.arange(n) % 4 == 3
    return ~test, test


def main():
    X, y = iris()
    Xs = StandardScaler().fit_transform(X)
    tr, te = split(len(y))
    binary = y > 0
    Xb, yb = Xs[binary], y[binary] - 1
    trb, teb = split(len(yb))
    rs = np.random.RandomState(7)
    Xn = rs.normal(size=(240, 5))
    yn = (Xn[:, 0] + 0.8 * Xn[:, 1] ** 2 - Xn[:, 2] * Xn[:, 3] + 0.7 * rs.normal(size=240) > 0.5).astype(int)
    yn[Xn[:, 4] > 1.0] = 2
    trn, ten = split(len(yn))
    # Regression: petal length from the other three, standardised.
    Xr = Xs[:, [0, 1, 3]]
    yr = X[:, 2]

    kernels = [{"kernel": "rbf"}, {"kernel": "linear"}, {"kernel": "poly"}, {"kernel": "sigmoid"},
               {"kernel": "poly", "degree": 2, "coef0": 1.0, "gamma": "auto"}, {"kernel": "sigmoid", "gamma": 0.05, "coef0": -0.5}]
    extra = [{"kernel": "rbf", "C": 10.0}, {"kernel": "rbf", "C": 0.1, "gamma": 0.5}, {"kernel": "rbf", "class_weight": "balanced"},
             {"kernel": "linear", "C": 100.0}, {"kernel": "rbf", "tol": 1e-5, "gamma": "auto"}]
    cases = []
    for data, (A, t, a, b) in {"iris": (Xs, y, tr, te), "binary": (Xb, yb, trb, teb), "noisy": (Xn, yn, trn, ten)}.items():
        for params in kernels + extra:
            m = SVC(decision_function_shape="ovo", **params).fit(A[a], t[a])
            cases.append({"data": data, "task": "classification", "params": params,
                          "x_train": A[a].tolist(), "y_train": t[a].tolist(), "x_test": A[b].tolist(),
                          "labels": m.predict(A[b]).tolist(), "train_labels": m.predict(A[a]).tolist(),
                          "decision": np.atleast_2d(m.decision_function(A[b]).T).T.tolist(),
                          "n_support": m.n_support_.tolist()})
    for params in kernels + [{"kernel": "rbf", "C": 10.0, "epsilon": 0.05}, {"kernel": "linear", "epsilon": 0.5}]:
        m = SVR(**params).fit(Xr[tr], yr[tr])
        cases.append({"data": "iris_petal_length", "task": "regression", "params": params,
                      "x_train": Xr[tr].tolist(), "y_train": yr[tr].tolist(), "x_test": Xr[te].tolist(),
                      "values": m.predict(Xr[te]).tolist(), "n_support": [int(len(m.support_))]})
    out = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "cases": cases}
    path = os.path.join(HERE, "svm.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
