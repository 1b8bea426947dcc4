#!/usr/bin/env python3
"""Parquet interop files for Petal's tests: written by pyarrow (every encoding, codec and page version Petal
reads) and by polars, with what pandas reads from each, as JSON.

  generate.py write OUT_DIR [--rows N]   write the .parquet files and OUT_DIR/expected.json
  generate.py read FILE.parquet          print {"columns": [{"name", "dtype", "values"}]} as pandas reads FILE

Needs pyarrow, pandas and numpy (polars optional: its files are left out without it). The committed small
fixtures in Tests/Fixtures/parquet were made with `generate.py write Tests/Fixtures/parquet --rows 60 --small`.
Values in the JSON: null for a missing value; dates and timestamps as microseconds since 1970-01-01.
"""
import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def make_table(rows: int, seed: int = 7) -> pa.Table:
    """Every flat type Petal reads, with nulls in each column (and a column without any)."""
    rng = np.random.default_rng(seed)
    def mask(p=0.1):
        return rng.random(rows) < p
    words = np.array(["alpha", "beta", "gamma", "delta", "épsilon", "zeta", "", "a,b \"q\"", "日本"])
    base = np.datetime64("2024-01-01T00:00:00")
    offsets = rng.integers(-10**9, 10**9, rows)
    return pa.table({
        "i64": pa.array(rng.integers(-10**12, 10**12, rows), mask=mask()),
        "i64_full": pa.array(rng.integers(-100, 100, rows)),
        "i32": pa.array(rng.integers(-2**31, 2**31 - 1, rows).astype(np.int32), mask=mask()),
        "i16": pa.array(rng.integers(-300, 300, rows).astype(np.int16), mask=mask()),
        "i8": pa.array(rng.integers(-100, 100, rows).astype(np.int8), mask=mask()),
        "u8": pa.array(rng.integers(0, 255, rows).astype(np.uint8), mask=mask()),
        "u32": pa.array(rng.integers(0, 2**32 - 1, rows).astype(np.uint32), mask=mask()),
        "f64": pa.array(rng.normal(0, 1e3, rows), mask=mask()),
        "f32": pa.array(rng.normal(0, 10, rows).astype(np.float32), mask=mask()),
        "flag": pa.array(rng.random(rows) < 0.4, mask=mask()),
        "word": pa.array(rng.choice(words, rows), mask=mask()),
        "unique_text": pa.array([f"row-{i:06d}-{rng.integers(0, 1000)}" for i in range(rows)], mask=mask()),
        "day": pa.array((base + offsets.astype("timedelta64[s]")).astype("datetime64[D]"), type=pa.date32(), mask=mask()),
        "ts_ms": pa.array(base + offsets.astype("timedelta64[ms]"), type=pa.timestamp("ms"), mask=mask()),
        "ts_us": pa.array(base + offsets.astype("timedelta64[us]") * 1000 + 7, type=pa.timestamp("us"), mask=mask()),
        "ts_ns": pa.array((base + offsets.astype("timedelta64[us]") * 1000).astype("datetime64[ns]") + 5000, type=pa.timestamp("ns"), mask=mask()),
    })


def pyarrow_variants(table: pa.Table, rows: int):
    """(file name, writer keyword arguments) for pyarrow: codecs × page versions × dictionary or each encoding."""
    small = dict(row_group_size=max(1, rows // 3), data_page_size=2048)
    ints = ["i64", "i64_full", "i32", "i16", "i8", "u8", "u32", "day", "ts_ms", "ts_us", "ts_ns"]
    texts = ["word", "unique_text"]
    for codec in ["none", "snappy", "gzip", "zstd"]:
        for version in ["1.0", "2.0"]:
            yield f"pyarrow-{codec}-v{version[0]}-dict.parquet", dict(compression=codec, data_page_version=version, use_dictionary=True, **small)
            yield f"pyarrow-{codec}-v{version[0]}-plain.parquet", dict(compression=codec, data_page_version=version, use_dictionary=False, **small)
    for version in ["1.0", "2.0"]:
        v = version[0]
        yield f"pyarrow-delta-v{v}.parquet", dict(compression="snappy", data_page_version=version, use_dictionary=False,
                                                  column_encoding={**{c: "DELTA_BINARY_PACKED" for c in ints}, "word": "DELTA_LENGTH_BYTE_ARRAY",
                                                                   "unique_text": "DELTA_BYTE_ARRAY", "f64": "BYTE_STREAM_SPLIT", "f32": "BYTE_STREAM_SPLIT"}, **small)
        yield f"pyarrow-delta-bytes-v{v}.parquet", dict(compression="zstd", data_page_version=version, use_dictionary=False,
                                                        column_encoding={"word": "DELTA_BYTE_ARRAY", "unique_text": "DELTA_LENGTH_BYTE_ARRAY"}, **small)
    yield "pyarrow-int96.parquet", dict(compression="snappy", use_deprecated_int96_timestamps=True, **small)
    yield "pyarrow-one-group.parquet", dict(compression="snappy")


def json_value(v):
    """A pandas cell as JSON: None for missing, microseconds for dates and timestamps."""
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return int(v.value // 1000) if v.unit == "ns" else int((v - pd.Timestamp(0)) // pd.Timedelta(microseconds=1))
    if isinstance(v, dt.datetime):
        return int((v - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1))
    if isinstance(v, dt.date):
        return (v - dt.date(1970, 1, 1)).days * 86_400_000_000
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, bytes):
        return v.decode("utf-8")
    return v


def describe(path: Path) -> dict:
    """What pandas reads from `path`: each column's dtype and values."""
    df = pd.read_parquet(path)
    arrow = pq.read_schema(path)
    columns = []
    for name in df.columns:
        series = df[name]
        values = [json_value(x) for x in series.astype(object).tolist()]
        if str(series.dtype).startswith("datetime64"):
            # Timestamp.value is nanoseconds whatever the unit; Petal keeps microseconds (floor).
            values = [None if pd.isna(x) else int(pd.Timestamp(x).value // 1000) for x in series.tolist()]
        columns.append({"name": str(name), "dtype": str(series.dtype), "arrow": str(arrow.field(name).type), "values": values})
    return {"rows": len(df), "columns": columns}


# The files committed in Tests/Fixtures/parquet (`--small`): one of each codec, page version and encoding family.
SMALL = {"pyarrow-snappy-v1-dict.parquet", "pyarrow-zstd-v2-plain.parquet", "pyarrow-gzip-v1-plain.parquet",
         "pyarrow-none-v2-dict.parquet", "pyarrow-delta-v2.parquet", "pyarrow-delta-bytes-v1.parquet",
         "pyarrow-int96.parquet", "polars-zstd.parquet", "nested.parquet"}


def write(out: Path, rows: int, small: bool) -> None:
    """Writes the files and expected.json: per file, what pandas reads (values stored once per distinct content)."""
    out.mkdir(parents=True, exist_ok=True)
    table = make_table(rows)
    files = {}
    seen = {}
    def record(name, described):
        entry = {"rows": described["rows"], "columns": [{k: c[k] for k in ("name", "dtype", "arrow")} for c in described["columns"]]}
        key = json.dumps([c["values"] for c in described["columns"]])
        if key in seen:
            entry["same_values_as"] = seen[key]
        else:
            seen[key] = name
            for c, d in zip(entry["columns"], described["columns"]):
                c["values"] = d["values"]
        files[name] = entry
    wanted = (lambda name: name in SMALL) if small else (lambda name: True)
    for name, kwargs in pyarrow_variants(table, rows):
        if wanted(name):
            pq.write_table(table, out / name, **kwargs)
            record(name, describe(out / name))
    try:
        import polars as pl
        frame = pl.from_arrow(table)
        for codec in ["uncompressed", "snappy", "zstd", "gzip"]:
            name = f"polars-{codec}.parquet"
            if wanted(name):
                frame.write_parquet(out / name, compression=codec, row_group_size=max(1, rows // 2), data_page_size=2048)
                record(name, describe(out / name))
    except ImportError:
        print("generate.py: polars is not installed; its files are left out", file=sys.stderr)
    nested = pa.table({"id": pa.array(range(3)), "tags": pa.array([["a"], [], ["b", "c"]]), "point": pa.array([{"x": 1, "y": 2}] * 3)})
    pq.write_table(nested, out / "nested.parquet")
    record("nested.parquet", describe_flat(out / "nested.parquet", ["id"]))
    (out / "expected.json").write_text(json.dumps({"rows": rows, "files": files}, ensure_ascii=False) + "\n")


def describe_flat(path: Path, keep: list) -> dict:
    d = describe(path)
    d["columns"] = [c for c in d["columns"] if c["name"] in keep]
    return d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--rows", type=int, default=5000)
    w.add_argument("--small", action="store_true", help="only the files committed as fixtures")
    r = sub.add_parser("read")
    r.add_argument("file", type=Path)
    args = ap.parse_args()
    if args.command == "write":
        write(args.out, args.rows, args.small)
    else:
        print(json.dumps(describe(args.file), ensure_ascii=False))


if __name__ == "__main__":
    main()
