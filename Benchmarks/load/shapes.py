#!/usr/bin/env python3
"""Write the CSV files the load benchmark was not tuned on, beside the main one (generate.py).

Needs: pip install numpy pandas
  python3 Benchmarks/load/shapes.py --main Benchmarks/out/load-1000000.csv --out Benchmarks/out
Writes (each only when missing):
  wide-<rows>.csv      40 numeric columns: 20 floats of mixed precision and scale (some negative, some in
                       e-notation), 20 ints of mixed width, ~0.5% empty cells in a few of each.
  text-<rows>.csv      10 text columns: ids of 12-24 characters (nearly all distinct), short categories, free text
                       with quoted commas, quotes and embedded newlines, dates, and one float.
  late-int-<main>      the main file with its last row's int column `n` turned to text ("unknown").
  late-float-<main>    the main file with its last row's float column `f1` turned to text ("n/k").
Same arguments give the same bytes.
"""
import argparse
import string
from pathlib import Path

import numpy as np
import pandas as pd


def wide(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    cols = {}
    for k in range(20):
        scale = 10.0 ** rng.integers(-3, 6)
        v = rng.normal(0.0, scale, rows)
        if k % 3 == 0:
            v = v.round(int(rng.integers(0, 5)))
        if k % 7 == 3:
            v[rng.random(rows) < 0.005] = np.nan
        cols[f"x{k}"] = v
    for k in range(20):
        hi = int(10 ** rng.integers(1, 12))
        v = rng.integers(-hi if k % 2 else 0, hi, rows)
        cols[f"i{k}"] = v
    df = pd.DataFrame(cols)
    for k in (2, 9):  # ints with empty cells are written as ints by Int64
        s = df[f"i{k}"].astype("Int64")
        s[rng.random(rows) < 0.005] = pd.NA
        df[f"i{k}"] = s
    return df


def words(rng: np.random.Generator, count: int, lo: int, hi: int) -> np.ndarray:
    letters = np.array(list(string.ascii_lowercase))
    return np.array(["".join(rng.choice(letters, size=int(rng.integers(lo, hi)))) for _ in range(count)])


def text(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    alphabet = np.frombuffer((string.ascii_letters + string.digits).encode(), dtype=np.uint8)
    ids = rng.choice(alphabet, size=(rows, 16))
    id_strings = ids.view("S16").ravel().astype(str)
    phrases = np.array([", ".join(words(rng, 3, 3, 9)) for _ in range(500)]
                       + ['he said "hi"', "two\nlines", "a, b and c", "plain"])
    days = pd.date_range("2015-01-01", periods=3000, freq="D").strftime("%Y-%m-%d").to_numpy()
    return pd.DataFrame({
        "id": id_strings,
        "user": np.char.add("user_", rng.integers(0, 200_000, rows).astype(str)),
        "country": rng.choice(words(rng, 180, 4, 14), size=rows),
        "device": rng.choice(np.array(["ios", "android", "web", "tv"]), size=rows),
        "note": rng.choice(phrases, size=rows),
        "day": rng.choice(days, size=rows),
        "tag1": rng.choice(words(rng, 30, 2, 6), size=rows),
        "tag2": rng.choice(words(rng, 5000, 5, 12), size=rows),
        "status": rng.choice(np.array(["ok", "failed", "pending", "NA"]), size=rows, p=[0.7, 0.1, 0.15, 0.05]),
        "amount": rng.lognormal(3.0, 1.0, rows).round(2),
    })


def late(main: Path, out: Path, column: str, value: str) -> None:
    """Copies `main` with the last row's `column` replaced by `value`."""
    data = main.read_bytes()
    header = data[:data.index(b"\n")].decode().split(",")
    body = data.rstrip(b"\n")
    cut = body.rindex(b"\n") + 1
    fields = body[cut:].decode().split(",")
    fields[header.index(column)] = value
    out.write_bytes(body[:cut] + ",".join(fields).encode() + b"\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--main", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("Benchmarks/out"))
    ap.add_argument("--wide-rows", type=int, default=300_000)
    ap.add_argument("--text-rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    targets = {
        args.out / f"wide-{args.wide_rows}.csv": lambda p: wide(args.wide_rows, rng).to_csv(p, index=False, lineterminator="\n"),
        args.out / f"text-{args.text_rows}.csv": lambda p: text(args.text_rows, rng).to_csv(p, index=False, lineterminator="\n"),
        args.out / f"late-int-{args.main.name}": lambda p: late(args.main, p, "n", "unknown"),
        args.out / f"late-float-{args.main.name}": lambda p: late(args.main, p, "f1", "n/k"),
    }
    for path, make in targets.items():
        if not path.exists():
            make(path)
            print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
