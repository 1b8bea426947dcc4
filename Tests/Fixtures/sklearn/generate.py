#!/usr/bin/env python3
"""Fixtures for PetalML's scikit-learn parity tests (needs: pip install scikit-learn numpy).

Writes splits.json next to this script: train_test_split indices (random and stratified) for several row
counts, test sizes, seeds and label layouts, plus the first numbers of np.random.RandomState streams.
Deterministic; run it again after upgrading scikit-learn and commit the output.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.model_selection import train_test_split


def main() -> None:
    out = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "streams": [], "splits": []}
    for seed in [0, 1, 42, 2**32 - 1]:
        rs = np.random.RandomState(seed)
        out["streams"].append({"seed": seed, "uint32": [int(v) for v in rs.randint(0, 2**32, size=1000, dtype=np.uint64)],
                               "permutation_1000": np.random.RandomState(seed).permutation(1000).tolist()})
    label_sets = {
        "iris": np.repeat([0, 1, 2], 50),
        "unbalanced": np.array([0] * 7 + [1] * 23 + [2] * 3 + [3] * 11),
        "penguins": np.array([0] * 152 + [1] * 68 + [2] * 124),
    }
    for name, y in label_sets.items():
        n = len(y)
        X = np.arange(n)
        for test in [0.2, 0.25, 0.33]:
            for seed in [0, 42, 7]:
                tr, te = train_test_split(X, test_size=test, random_state=seed)
                str_, ste = train_test_split(X, test_size=test, random_state=seed, stratify=y)
                out["splits"].append({"labels": name, "y": y.tolist(), "test": test, "seed": seed,
                                      "train": tr.tolist(), "test_rows": te.tolist(),
                                      "stratified_train": str_.tolist(), "stratified_test": ste.tolist()})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "splits.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}: {len(out['splits'])} splits")


if __name__ == "__main__":
    main()
