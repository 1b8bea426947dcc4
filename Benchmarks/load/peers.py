#!/usr/bin/env python3
"""Time pandas and polars on a CSV, each in its own subprocess, and print one JSON object.

Needs: pip install numpy pandas polars
  python3 Benchmarks/load/peers.py Benchmarks/out/load-1m.csv --repeat 3 > peers.json
Reports the best of --repeat wall times for pandas.read_csv, polars.read_csv (default threads)
and a pandas "explore" pass (describe, value_counts of label and city, a 20-bin numpy histogram
of every numeric column), plus in-memory frame size and each subprocess's peak RSS.
"""
import argparse
import gc
import json
import resource
import subprocess
import sys
import time


def best_of(repeat: int, fn):
    """Run fn() `repeat` times; return (best wall seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None
        gc.collect()  # drop the previous frame so peak RSS is about one frame, not two
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def run_pandas(path: str, repeat: int) -> dict:
    import numpy as np
    import pandas as pd

    load_s, df = best_of(repeat, lambda: pd.read_csv(path))

    def explore():
        df.describe()
        df["label"].value_counts()
        df["city"].value_counts()
        for col in df.select_dtypes("number").columns:
            np.histogram(df[col].dropna(), bins=20)

    explore_s, _ = best_of(repeat, explore)
    return {"load_s": load_s, "explore_s": explore_s,
            "frame_bytes": int(df.memory_usage(deep=True).sum()),
            "peak_rss_bytes": peak_rss_bytes(), "version": pd.__version__}


def run_polars(path: str, repeat: int) -> dict:
    import polars as pl

    load_s, df = best_of(repeat, lambda: pl.read_csv(path))
    return {"load_s": load_s, "frame_bytes": int(df.estimated_size()),
            "peak_rss_bytes": peak_rss_bytes(), "version": pl.__version__}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--worker", choices=["pandas", "polars"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:  # child process: measure one library, print its JSON
        run = run_pandas if args.worker == "pandas" else run_polars
        print(json.dumps(run(args.csv, args.repeat)))
        return
    results = {}
    for lib in ("pandas", "polars"):  # one fresh process each, so peak memory is separate
        out = subprocess.run([sys.executable, __file__, args.csv, "--repeat", str(args.repeat),
                              "--worker", lib], check=True, capture_output=True, text=True)
        results[lib] = json.loads(out.stdout)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
