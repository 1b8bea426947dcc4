#!/usr/bin/env python3
"""The Parquet load benchmark's Python side: write the benchmark CSV as Parquet, and time pandas and polars.

  peers.py convert IN.csv OUT.parquet     pyarrow, snappy, default row groups and pages (pandas' defaults)
  peers.py time FILE.parquet PETAL --repeat N

`time` reports, best of N wall times each: `petal exec "open FILE as t"` as a whole process (start-up, read,
decode, exit), `pandas.read_parquet` and `polars.read_parquet` inside one warm Python process (imports not
counted), and the ratios Petal / peer. Needs pyarrow, pandas and polars.
"""
import argparse
import subprocess
import sys
import time


def best_of(repeat, fn):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("convert")
    c.add_argument("csv")
    c.add_argument("parquet")
    t = sub.add_parser("time")
    t.add_argument("parquet")
    t.add_argument("petal")
    t.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if args.command == "convert":
        import pandas as pd
        pd.read_csv(args.csv).to_parquet(args.parquet, engine="pyarrow", compression="snappy", index=False)
        return
    import pandas as pd
    import polars as pl
    path = args.parquet
    # Petal first, checking the load works (and warming the page cache for everyone).
    probe = subprocess.run([args.petal, "exec", f"open {path} as t"], capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit(f"petal failed: {probe.stderr or probe.stdout}")
    print(probe.stdout.strip().splitlines()[0])
    petal = best_of(args.repeat, lambda: subprocess.run([args.petal, "exec", f"open {path} as t"], capture_output=True, check=True))
    pandas = best_of(args.repeat, lambda: pd.read_parquet(path))
    polars = best_of(args.repeat, lambda: pl.read_parquet(path))
    print(f"petal exec open (whole process): {petal * 1000:8.1f} ms")
    print(f"pandas.read_parquet (in Python): {pandas * 1000:8.1f} ms   petal/pandas = {petal / pandas:.2f}x")
    print(f"polars.read_parquet (in Python): {polars * 1000:8.1f} ms   petal/polars = {petal / polars:.2f}x  (target <= 1.0x)")


if __name__ == "__main__":
    main()
