#!/usr/bin/env python3
"""Write pandas/numpy reference statistics for Petal's sample CSVs, as JSON test fixtures.

Needs: pip install pandas numpy
For each samples/*.csv listed below it reads the file with plain pandas.read_csv and writes
<name>.json next to this script: per-column describe(), value counts of text columns,
numpy histograms (bins=12 and bins="auto"), the Pearson correlation matrix and a grouped describe.
Floats keep full precision (Python repr); NaN is written as null. Deterministic.
"""
import argparse
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[2] / "samples"

# file stem -> (read_csv keyword arguments, column to group by)
DATASETS = {
    "iris": ({}, "variety"),
    "penguins": ({}, "species"),
    "seattle-weather": ({"parse_dates": ["date"]}, "weather"),
}
STATS = ["mean", "std", "min", "25%", "50%", "75%", "max"]


def clean(v):
    """Turn numpy/pandas scalars into JSON values; NaN and NA become None."""
    if isinstance(v, dict):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean(x) for x in v]
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def is_text(s: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)


def is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def column_summary(s: pd.Series) -> dict:
    out = {"name": s.name, "dtype": str(s.dtype), "count": s.count(), "null_count": s.isna().sum()}
    if is_numeric(s):
        d = s.describe()
        out.update({k: float(d[k]) for k in STATS})
    elif pd.api.types.is_datetime64_any_dtype(s):
        out.update({"min": s.min(), "max": s.max()})
    elif is_text(s):
        d = s.describe()
        out.update({"unique": d["unique"], "top": d["top"], "freq": d["freq"]})
    return out


def histogram(s: pd.Series, bins) -> dict:
    counts, edges = np.histogram(s.dropna().to_numpy(), bins=bins)
    return {"edges": edges.tolist(), "counts": counts.tolist()}


def fixture(df: pd.DataFrame, by: str) -> dict:
    numeric = [c for c in df.columns if is_numeric(df[c])]
    text = [c for c in df.columns if is_text(df[c])]
    counts = {}
    for c in text:
        n, p = df[c].value_counts(), df[c].value_counts(normalize=True)
        counts[c] = [{"value": v, "count": n[v], "percent": 100 * p[v]} for v in n.index]
    corr = df.corr(numeric_only=True)
    grouped = df.groupby(by)[[c for c in numeric if c != by]].describe()
    groups = {}
    for g, row in grouped.iterrows():
        groups[g] = {c: {stat: row[(c, stat)] for stat in ["count", *STATS]}
                     for c in grouped.columns.levels[0] if (c, "count") in row.index}
    return {
        "rows": len(df),
        "pandas_version": pd.__version__,
        "numpy_version": np.__version__,
        "columns": [column_summary(df[c]) for c in df.columns],
        "counts": counts,
        "hist": {c: {"bins12": histogram(df[c], 12), "auto": histogram(df[c], "auto")} for c in numeric},
        "corr": {"columns": list(corr.columns), "matrix": corr.to_numpy().tolist()},
        "grouped_describe": {"by": by, "groups": groups},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=Path, default=SAMPLES, help="folder holding the sample CSVs")
    ap.add_argument("--out", type=Path, default=HERE, help="folder for the JSON fixtures")
    args = ap.parse_args()
    for stem, (kwargs, by) in DATASETS.items():
        df = pd.read_csv(args.samples / f"{stem}.csv", **kwargs)
        path = args.out / f"{stem}.json"
        with open(path, "w") as f:
            json.dump(clean(fixture(df, by)), f, indent=1, allow_nan=False)
            f.write("\n")
        print(f"wrote {path}: {len(df)} rows x {df.shape[1]} columns, grouped by {by}")


if __name__ == "__main__":
    main()
