#!/usr/bin/env python3
"""Fixtures for the model families of issue 19 (needs: pip install scikit-learn numpy).

Writes families2.json next to this script: seeded data sets (numbers rounded to 4 decimals, stored in the file so
the Swift tests need no Python), a train/test cut (the first `train` rows / the rest), and scikit-learn's scores
and labels on them:
- scores: accuracy (classes) or R² (values) of extra trees, AdaBoost, histogram gradient boosting and MLPs,
  each with the Petal pipeline text that should come within two points (0.02 R²);
- dbscan: DBSCAN's labels on the training rows (Petal must match exactly) and, for the test rows, the label of
  the nearest core point within eps, else -1 (Petal's documented predict rule, computed here the same way);
- gaussian_mixture: GaussianMixture's labels (Petal must reach an adjusted Rand index of 0.9 against them).
Deterministic; run it again after upgrading scikit-learn and commit the output.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import make_blobs, make_classification, make_friedman1

HERE = os.path.dirname(os.path.abspath(__file__))


def rounded(a):
    return np.round(np.asarray(a, dtype=float), 4)


def as_json(X):
    """Rows of numbers, NaN as null."""
    return [[None if np.isnan(v) else float(v) for v in row] for row in X]


def datasets():
    X, y = make_classification(n_samples=1000, n_features=8, n_informative=5, n_redundant=1, n_classes=3,
                               class_sep=1.0, random_state=7)
    classes = (rounded(X), y)
    Xr, yr = make_friedman1(n_samples=1000, n_features=6, noise=0.5, random_state=7)
    values = (rounded(Xr), rounded(yr))
    rng = np.random.RandomState(11)
    Xm = classes[0].copy()
    Xm[rng.rand(*Xm.shape) < 0.1] = np.nan
    missing = (Xm, y)
    Xb, _ = make_blobs(n_samples=360, centers=[[0, 0], [5, 5], [0, 6]], cluster_std=[0.8, 1.0, 0.6], random_state=3)
    noise = rng.uniform(-4, 9, size=(40, 2))
    blobs = rounded(np.vstack([Xb, noise])[rng.permutation(400)])
    return {"classes": classes, "values": values, "missing": missing, "blobs": blobs}


def scores(data, train):
    from sklearn.ensemble import (AdaBoostClassifier, AdaBoostRegressor, ExtraTreesClassifier, ExtraTreesRegressor,
                                  HistGradientBoostingClassifier, HistGradientBoostingRegressor)
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    cases = [
        ("classes", "extra_trees", ExtraTreesClassifier(random_state=0)),
        ("classes", "extra_trees max_depth=8 n_estimators=50", ExtraTreesClassifier(max_depth=8, n_estimators=50, random_state=0)),
        ("values", "extra_trees", ExtraTreesRegressor(random_state=0)),
        ("values", "extra_trees min_samples_leaf=3", ExtraTreesRegressor(min_samples_leaf=3, random_state=0)),
        ("classes", "ada_boost", AdaBoostClassifier(random_state=0)),
        ("classes", "ada_boost n_estimators=100 learning_rate=0.5", AdaBoostClassifier(n_estimators=100, learning_rate=0.5, random_state=0)),
        ("values", "ada_boost", AdaBoostRegressor(random_state=0)),
        ("values", "ada_boost loss=square", AdaBoostRegressor(loss="square", random_state=0)),
        ("classes", "hist_gradient_boosting", HistGradientBoostingClassifier(random_state=0)),
        ("missing", "hist_gradient_boosting", HistGradientBoostingClassifier(random_state=0)),
        ("values", "hist_gradient_boosting", HistGradientBoostingRegressor(random_state=0)),
        ("values", "hist_gradient_boosting max_leaf_nodes=15 learning_rate=0.2 l2_regularization=1",
         HistGradientBoostingRegressor(max_leaf_nodes=15, learning_rate=0.2, l2_regularization=1.0, random_state=0)),
        ("classes", "standard_scaler | mlp hidden_layer_sizes=32 max_iter=300",
         make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(32,), max_iter=300, random_state=0))),
        ("classes", "standard_scaler | mlp hidden_layer_sizes=16,16 solver=lbfgs max_iter=300",
         make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(16, 16), solver="lbfgs", max_iter=300, random_state=0))),
        # learning_rate_init=0.01: at the default 0.001, 500 epochs stop short of convergence and the score depends
        # on the trajectory (scikit-learn 0.889, Petal 0.924); converged, both land near 0.98.
        ("values", "standard_scaler | mlp hidden_layer_sizes=64 learning_rate_init=0.01 max_iter=500",
         make_pipeline(StandardScaler(), MLPRegressor(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=500, random_state=0))),
    ]
    out = []
    import warnings
    for name, text, est in cases:
        X, y = data[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X[:train], y[:train])
        out.append({"data": name, "pipeline": text, "score": float(est.score(X[train:], y[train:]))})
    return out


def dbscan(X, train):
    from sklearn.cluster import DBSCAN
    out = []
    for eps, min_samples in [(0.5, 5), (0.8, 5), (0.3, 3), (1.2, 10)]:
        m = DBSCAN(eps=eps, min_samples=min_samples).fit(X[:train])
        core = m.core_sample_indices_
        test = []
        for row in X[train:]:
            if len(core) == 0:
                test.append(-1)
                continue
            d = np.sqrt(((X[:train][core] - row) ** 2).sum(axis=1))
            j = int(np.argmin(d))
            test.append(int(m.labels_[core[j]]) if d[j] <= eps else -1)
        out.append({"eps": eps, "min_samples": min_samples, "labels": m.labels_.tolist(), "test_labels": test,
                    "core": core.tolist()})
    return out


def gaussian_mixture(X):
    from sklearn.mixture import GaussianMixture
    out = []
    for cov in ["full", "tied", "diag", "spherical"]:
        m = GaussianMixture(n_components=3, covariance_type=cov, random_state=0).fit(X)
        out.append({"covariance_type": cov, "labels": m.predict(X).tolist(), "converged": bool(m.converged_)})
    return out


def main():
    data = datasets()
    train = 750
    blobs = data["blobs"]
    out = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "train": train,
           "data": {k: {"X": as_json(v[0]), "y": np.asarray(v[1]).tolist()} for k, v in data.items() if k != "blobs"},
           "blobs": as_json(blobs), "blobs_train": 300,
           "scores": scores(data, train), "dbscan": dbscan(blobs, 300), "gaussian_mixture": gaussian_mixture(blobs)}
    path = os.path.join(HERE, "families2.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}: {len(out['scores'])} scores")
    for s in out["scores"]:
        print(f"  {s['data']:8} {s['pipeline']:80} {s['score']:.4f}")


if __name__ == "__main__":
    main()
