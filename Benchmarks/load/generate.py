#!/usr/bin/env python3
"""Write a seeded synthetic CSV for the load benchmark (default 1,000,000 rows x 11 columns, ~100 MB).

Needs: pip install numpy pandas
Columns: f1..f8 floats (normal, uniform, lognormal, exponential, gamma; some rounded to 2-4
decimals, some at full precision, f7 with ~1% empty cells), n (int 0..100000), city (one of
~2,000 made-up words of 4-12 letters, Zipf-like frequencies), label (a/b/c, unbalanced).
Same --seed and --rows give the same bytes. Floats are written the way pandas.to_csv does.
"""
import argparse
import string
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_words(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` distinct lowercase made-up words of 4-12 letters."""
    letters = np.array(list(string.ascii_lowercase))
    words: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < count:
        w = "".join(rng.choice(letters, size=int(rng.integers(4, 13))))
        if w not in words:
            words.add(w)
            ordered.append(w)
    return np.array(ordered)


def make_frame(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cities = make_words(rng, 2000)
    weights = 1.0 / np.arange(1, len(cities) + 1) ** 0.8  # a few common cities, a long tail
    f7 = rng.normal(100.0, 15.0, rows).round(2)
    f7[rng.random(rows) < 0.01] = np.nan  # ~1% empty cells
    return pd.DataFrame({
        "f1": rng.normal(0.0, 1.0, rows),                    # full precision
        "f2": rng.uniform(0.0, 1000.0, rows).round(2),
        "f3": rng.lognormal(3.0, 1.0, rows),                 # full precision, skewed
        "f4": rng.normal(50.0, 10.0, rows).round(3),
        "f5": rng.uniform(-1.0, 1.0, rows).round(4),
        "f6": rng.exponential(2.0, rows).round(4),
        "f7": f7,
        "f8": rng.gamma(2.0, 2.0, rows).round(3),
        "n": rng.integers(0, 100001, rows),
        "city": rng.choice(cities, size=rows, p=weights / weights.sum()),
        "label": rng.choice(np.array(["a", "b", "c"]), size=rows, p=[0.6, 0.3, 0.1]),
    })


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path("Benchmarks/out/load-1m.csv"))
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    start = time.perf_counter()
    df = make_frame(args.rows, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out, index=False, lineterminator="\n")
    size = args.out.stat().st_size
    print(f"wrote {args.out}: {len(df)} rows x {df.shape[1]} columns, {size / 1e6:.1f} MB "
          f"in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
