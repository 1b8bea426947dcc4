#!/usr/bin/env python3
"""Fixtures for Gaussian mixtures' parity with scikit-learn (needs: pip install scikit-learn numpy).

Writes gaussian_mixture.json next to this script: seeded data sets (numbers rounded to 4 decimals and stored in the
file, so the Swift tests need no Python) and, for each covariance type and several random_state values, what
scikit-learn's GaussianMixture(k, covariance_type=t, random_state=s) ends with: labels (fit_predict), n_iter_,
converged_, weights_, means_ and score(X) (the mean log-likelihood under the final parameters). Petal starts EM from
scikit-learn's k-means clusters (k-means++ drawn from numpy's RandomState), so it must take the same EM steps: the
same labels and iterations, and the same parameters up to rounding. Deterministic; run it again after upgrading
scikit-learn and commit the output.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import make_blobs, make_classification
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))


def datasets():
    # Overlapping blobs, so EM takes more than a couple of steps.
    blobs, _ = make_blobs(n_samples=600, n_features=5, centers=4, cluster_std=3.0, random_state=5)
    classes, _ = make_classification(n_samples=2000, n_features=8, n_informative=5, n_redundant=1, n_classes=3,
                                     random_state=7)
    # Wider than a GEMM kernel's blocks (40 features, 1,500 rows: several row blocks, ragged tiles).
    wide, _ = make_classification(n_samples=1500, n_features=40, n_informative=10, n_redundant=5, n_classes=3,
                                  random_state=11)
    return {"blobs": (np.round(blobs, 4), [3, 4], ["full", "tied", "diag", "spherical"], (0, 1)),
            "classes": (np.round(classes, 4), [3], ["full", "diag"], (0, 42)),
            "wide": (np.round(wide, 4), [3], ["full", "tied"], (0,))}


def main():
    out = {"sklearn": sklearn.__version__, "data": {}, "cases": []}
    for name, (X, ks, types, seeds) in datasets().items():
        out["data"][name] = X.tolist()
        for k in ks:
            for t in types:
                for seed in seeds:
                    gm = GaussianMixture(k, covariance_type=t, random_state=seed)
                    labels = gm.fit_predict(X)
                    out["cases"].append({"data": name, "k": k, "covariance_type": t, "seed": seed,
                                         "labels": labels.tolist(), "n_iter": int(gm.n_iter_),
                                         "converged": bool(gm.converged_), "weights": gm.weights_.tolist(),
                                         "means": gm.means_.tolist(), "score": float(gm.score(X))})
    with open(os.path.join(HERE, "gaussian_mixture.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
