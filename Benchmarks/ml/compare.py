#!/usr/bin/env python3
"""Prints Petal's and scikit-learn's fit+predict times side by side with the ratio (target: at most 1.0)."""
import json
import sys


def main() -> None:
    petal, sk = (json.load(open(p)) for p in sys.argv[1:3])
    print(f"scikit-learn {sk.get('version')}")
    print(f"{'model':22s} {'petal s':>9s} {'sklearn s':>10s} {'ratio':>7s} {'petal acc':>10s} {'sklearn acc':>12s}  (k-means: inertia)")
    for name in ["knn", "logistic_regression", "decision_tree", "random_forest", "gaussian_nb", "svm", "kmeans"]:
        p, s = petal.get(name), sk.get(name)
        if not p:
            print(f"{name:22s} {'-':>9s} {s['seconds']:10.3f} {'-':>7s}  (not in Petal yet)")
            continue
        ratio = p["seconds"] / s["seconds"]
        pa, sa = p.get("accuracy", p.get("inertia")), s.get("accuracy", s.get("inertia"))
        flag = "MET" if ratio <= 1.0 else "NOT MET"
        print(f"{name:22s} {p['seconds']:9.3f} {s['seconds']:10.3f} {ratio:6.2f}x {pa if pa is None else f'{pa:10.4f}'} "
              f"{sa if sa is None else f'{sa:12.4f}'}  {flag}")


if __name__ == "__main__":
    main()
