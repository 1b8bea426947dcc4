#!/usr/bin/env python3
"""A seeded classification data set for the fit/predict benchmarks (needs scikit-learn).

The default is the benchmarks' own 200,000-row x 8-feature, 3-class set (scikit-learn's make_classification: 6
informative features, 1 redundant, 2 Gaussian clusters per class). The shape options give data the code was not
tuned on: --features, --informative, --classes, and --no-clusters for features without cluster structure
(independent standard normals, the class the argmax of a random linear map of the informative ones plus noise).
Classes are named a, b, c, … (c10, c11, … past 26). Columns x0…x{features-1}, then label.
"""
import argparse
import string

import numpy as np
from sklearn.datasets import make_classification


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--features", type=int, default=8)
    ap.add_argument("--informative", type=int, default=6, help="features that carry the class (at most --features)")
    ap.add_argument("--classes", type=int, default=3)
    ap.add_argument("--no-clusters", action="store_true", help="no cluster structure: normal features, linear classes")
    args = ap.parse_args()
    if not 1 <= args.informative <= args.features:
        raise SystemExit("--informative must be between 1 and --features")
    if args.no_clusters:
        rng = np.random.RandomState(args.seed)
        X = rng.standard_normal((args.rows, args.features))
        weights = rng.standard_normal((args.informative, args.classes))
        scores = X[:, : args.informative] @ weights + 0.5 * rng.standard_normal((args.rows, args.classes))
        y = scores.argmax(axis=1)
    else:
        redundant = 1 if args.features > args.informative else 0
        X, y = make_classification(n_samples=args.rows, n_features=args.features, n_informative=args.informative,
                                   n_redundant=redundant, n_classes=args.classes, n_clusters_per_class=2, class_sep=1.0,
                                   random_state=args.seed)
    letters = list(string.ascii_lowercase)
    names = np.array([letters[c] if c < 26 else f"c{c}" for c in range(args.classes)])[y]
    with open(args.out, "w") as f:
        f.write(",".join(f"x{i}" for i in range(args.features)) + ",label\n")
        for row, label in zip(X, names):
            f.write(",".join(repr(float(v)) for v in row) + "," + label + "\n")
    print(f"wrote {args.out}: {args.rows} rows x {args.features} features, {args.classes} classes"
          + (", no clusters" if args.no_clusters else ""))


if __name__ == "__main__":
    main()
