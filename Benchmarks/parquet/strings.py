#!/usr/bin/env python3
"""A second Parquet benchmark file, unlike the first: written by polars (not pyarrow), zstd (not snappy), mostly
text columns of low to high cardinality (dictionary pages that fall back to PLAIN), integers and floats with nulls,
dates and timestamps, a bool. The reader was not tuned on it.

  strings.py OUT.parquet [--rows N] [--seed S]
"""
import argparse

import numpy as np
import polars as pl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    n = args.rows

    def words(k: int, length: int) -> np.ndarray:
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        return np.array(["".join(rng.choice(letters, length)) for _ in range(k)])

    def nulls(values, share: float):
        return pl.Series(values).set(pl.Series(rng.random(n) < share), None) if share > 0 else pl.Series(values)

    frame = pl.DataFrame({
        "country": words(30, 8)[rng.integers(0, 30, n)],
        "city": nulls(words(2_000, 10)[rng.integers(0, 2_000, n)], 0.05),
        "product": words(50_000, 12)[rng.integers(0, 50_000, n)],
        "user": np.char.add("user-", rng.integers(0, 10**9, n).astype(str)),   # nearly unique: PLAIN fallback
        "comment": nulls(words(200_000, 24)[rng.integers(0, 200_000, n)], 0.3),
        "status": np.array(["ok", "late", "lost", "refunded"])[rng.integers(0, 4, n)],
        "amount": nulls(rng.normal(100, 30, n).round(2), 0.1),
        "quantity": nulls(rng.integers(1, 20, n), 0.02),
        "day": pl.Series(rng.integers(18_000, 20_000, n)).cast(pl.Date),
        "at": pl.Series(rng.integers(1.5e15, 1.7e15, n)).cast(pl.Datetime("us")),
        "flag": rng.random(n) < 0.3,
    })
    frame.write_parquet(args.out, compression="zstd")


if __name__ == "__main__":
    main()
