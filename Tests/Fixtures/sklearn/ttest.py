#!/usr/bin/env python3
"""Fixtures for the corrected resampled paired t-test (Nadeau & Bengio 2003) that `leaderboard` marks rows with
(needs: numpy, scipy). Writes ttest.json next to this script: fold scores of two models, n_test/n_train, and
t = mean(d) / sqrt((1/k + n_test/n_train) * var(d, ddof=1)) with its two-sided p from scipy's Student t
(scipy.stats.t.sf(|t|, k-1) * 2). Deterministic; commit the output.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


def case(a, b, fraction):
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = a - b
    k = len(d)
    t = d.mean() / np.sqrt((1 / k + fraction) * d.var(ddof=1))
    p = 2 * stats.t.sf(abs(t), k - 1)
    return {"a": a.tolist(), "b": b.tolist(), "test_fraction": fraction, "t": float(t), "df": k - 1, "p": float(p)}


rng = np.random.RandomState(13)
cases = [
    case([0.96, 0.97, 0.95, 0.99, 0.97], [0.93, 0.95, 0.96, 0.94, 0.92], 0.25),
    case([0.80, 0.82, 0.79, 0.85, 0.81], [0.79, 0.83, 0.80, 0.84, 0.80], 0.25),
    case([0.70, 0.72, 0.69, 0.75, 0.71, 0.70, 0.73, 0.74, 0.69, 0.72], [0.60, 0.66, 0.61, 0.64, 0.60, 0.65, 0.62, 0.63, 0.61, 0.64], 1 / 9),
    case([0.5, 0.6, 0.55], [0.52, 0.58, 0.50], 0.5),
]
for k in (5, 10, 20):
    a = rng.uniform(0.7, 0.9, size=k)
    b = a - rng.normal(0.01, 0.03, size=k)
    cases.append(case(np.round(a, 4), np.round(b, 4), 1 / (k - 1)))
with open(os.path.join(HERE, "ttest.json"), "w") as f:
    json.dump({"scipy": scipy.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
