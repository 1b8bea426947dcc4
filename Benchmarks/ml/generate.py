#!/usr/bin/env python3
"""A seeded 200,000-row x 8-feature, 3-class data set for the fit/predict benchmark (needs scikit-learn)."""
import argparse

import numpy as np
from sklearn.datasets import make_classification


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    X, y = make_classification(n_samples=args.rows, n_features=8, n_informative=6, n_redundant=1, n_classes=3,
                               n_clusters_per_class=2, class_sep=1.0, random_state=args.seed)
    names = np.array(["a", "b", "c"])[y]
    with open(args.out, "w") as f:
        f.write(",".join(f"x{i}" for i in range(8)) + ",label\n")
        for row, label in zip(X, names):
            f.write(",".join(repr(float(v)) for v in row) + "," + label + "\n")
    print(f"wrote {args.out}: {args.rows} rows")


if __name__ == "__main__":
    main()
