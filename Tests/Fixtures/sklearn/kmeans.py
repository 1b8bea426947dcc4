#!/usr/bin/env python3
"""Fixtures for k-means' parity with scikit-learn (needs: pip install scikit-learn numpy).

Writes kmeans.json next to this script: seeded data sets (numbers rounded to 4 decimals and stored in the file, so
the Swift tests need no Python) and, for several random_state values, what scikit-learn's KMeans does with them:
- init: the rows `_kmeans_plusplus` picks as the first centres (on the mean-centred data, as KMeans.fit calls it),
- labels, n_iter and inertia of KMeans(k, n_init=1, random_state=s), and labels and inertia with n_init=3.
Petal draws k-means++ from numpy's RandomState as scikit-learn does, so it must pick the same rows and end with the
same labels. Deterministic; run it again after upgrading scikit-learn and commit the output.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.cluster._kmeans import _kmeans_plusplus
from sklearn.datasets import load_iris, make_blobs, make_classification

HERE = os.path.dirname(os.path.abspath(__file__))


def datasets():
    blobs, _ = make_blobs(n_samples=600, n_features=5, centers=4, cluster_std=1.5, random_state=5)
    classes, _ = make_classification(n_samples=2000, n_features=8, n_informative=5, n_redundant=1, n_classes=3,
                                     random_state=7)
    wide = np.random.RandomState(9).normal(size=(500, 30))  # no cluster structure at all
    iris = load_iris().data
    return {"blobs": (np.round(blobs, 4), [3, 4, 6]), "classes": (np.round(classes, 4), [3, 5]),
            "wide": (np.round(wide, 4), [2, 8]), "iris": (np.round(iris, 4), [3])}


def main():
    out = {"sklearn": sklearn.__version__, "data": {}, "cases": []}
    for name, (X, ks) in datasets().items():
        out["data"][name] = X.tolist()
        centred = X - X.mean(axis=0)
        norms = (centred ** 2).sum(axis=1)
        for k in ks:
            for seed in (0, 1, 42):
                _, init = _kmeans_plusplus(centred, k, x_squared_norms=norms, random_state=np.random.RandomState(seed),
                                           sample_weight=np.ones(len(X)))
                one = KMeans(k, n_init=1, random_state=seed).fit(X)
                three = KMeans(k, n_init=3, random_state=seed).fit(X)
                out["cases"].append({"data": name, "k": k, "seed": seed, "init": [int(i) for i in init],
                                     "labels": one.labels_.tolist(), "n_iter": int(one.n_iter_), "inertia": float(one.inertia_),
                                     "labels3": three.labels_.tolist(), "inertia3": float(three.inertia_)})
    with open(os.path.join(HERE, "kmeans.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
