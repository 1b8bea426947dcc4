#!/usr/bin/env python3
"""Rebuild Petal's bundled sample data sets from copies shipped inside Python packages.

Needs: pip install scikit-learn palmerpenguins vega_datasets
Reads only files installed with those packages (no network) and writes, next to this script
(or to --out): iris.csv, penguins.csv, linnerud.db, cars.ndjson, seattle-weather.csv.
Deterministic: running it twice gives the same bytes (linnerud.db for a given SQLite version).
"""
import argparse
import csv
import json
import shutil
import sqlite3
from pathlib import Path

import palmerpenguins
import sklearn.datasets
import vega_datasets

SKLEARN_DATA = Path(sklearn.datasets.__file__).parent / "data"
PENGUINS_DATA = Path(palmerpenguins.__file__).parent / "data"
VEGA_DATA = Path(vega_datasets.__file__).parent / "_data"


def make_iris(out: Path) -> None:
    """sklearn's iris.csv: header '150,4,setosa,versicolor,virginica', rows end in a class index.
    Numbers are copied as text, so they stay written as in the original (5.1, 3.0, ...)."""
    with open(SKLEARN_DATA / "iris.csv", newline="") as f:
        rows = list(csv.reader(f))
    n_rows, n_features, *classes = rows[0]
    body = rows[1:]
    assert len(body) == int(n_rows) == 150 and int(n_features) == 4
    with open(out / "iris.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sepal_length", "sepal_width", "petal_length", "petal_width", "variety"])
        for r in body:
            w.writerow(r[:4] + [classes[int(r[4])]])


def make_penguins(out: Path) -> None:
    """Copied byte for byte: 344 rows, nulls written as NA, header unchanged."""
    shutil.copyfile(PENGUINS_DATA / "penguins.csv", out / "penguins.csv")


def read_linnerud(name: str) -> tuple[list[str], list[list[int]]]:
    """sklearn's linnerud_*.csv files are space separated with a header line."""
    lines = (SKLEARN_DATA / f"linnerud_{name}.csv").read_text().split("\n")
    header = lines[0].split()
    rows = [[int(v) for v in line.split()] for line in lines[1:] if line.strip()]
    assert len(rows) == 20
    return header, rows


def make_linnerud(out: Path) -> None:
    """Two tables joined by athlete id 1..20. Counts and pulse are INTEGER; Weight (lb) and
    Waist (in) are measurements and stored as REAL, so the file exercises both types."""
    path = out / "linnerud.db"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    types = {"Chins": "INTEGER", "Situps": "INTEGER", "Jumps": "INTEGER",
             "Weight": "REAL", "Waist": "REAL", "Pulse": "INTEGER"}
    for table in ("exercise", "physiological"):
        header, rows = read_linnerud(table)
        cols = ", ".join(f"{c} {types[c]} NOT NULL" for c in header)
        con.execute(f"CREATE TABLE {table} (athlete INTEGER PRIMARY KEY, {cols})")
        marks = ", ".join("?" * (len(header) + 1))
        for i, r in enumerate(rows, start=1):
            vals = [float(v) if types[c] == "REAL" else v for c, v in zip(header, r)]
            con.execute(f"INSERT INTO {table} VALUES ({marks})", [i, *vals])
    con.commit()
    con.close()


def make_cars(out: Path) -> None:
    """Vega cars.json (406 records) as NDJSON with nested objects; nulls stay null.
    Displacement, mpg and acceleration are written as floats, counts as integers."""
    def num(v, kind):
        return None if v is None else kind(v)

    records = json.loads((VEGA_DATA / "cars.json").read_text())
    with open(out / "cars.ndjson", "w") as f:
        for r in records:
            obj = {
                "name": r["Name"],
                "origin": r["Origin"],
                "year": r["Year"],  # already an ISO date, e.g. "1970-01-01"
                "engine": {
                    "cylinders": num(r["Cylinders"], int),
                    "displacement": num(r["Displacement"], float),
                    "horsepower": num(r["Horsepower"], int),
                },
                "performance": {
                    "mpg": num(r["Miles_per_Gallon"], float),
                    "acceleration": num(r["Acceleration"], float),
                },
                "weight_lbs": num(r["Weight_in_lbs"], int),
            }
            f.write(json.dumps(obj) + "\n")


def make_seattle(out: Path) -> None:
    """Copied byte for byte: 1461 rows; dates are written 2012/01/01 in this copy."""
    shutil.copyfile(VEGA_DATA / "seattle-weather.csv", out / "seattle-weather.csv")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for make in (make_iris, make_penguins, make_linnerud, make_cars, make_seattle):
        make(args.out)
    for name in ("iris.csv", "penguins.csv", "linnerud.db", "cars.ndjson", "seattle-weather.csv"):
        print(f"wrote {args.out / name} ({(args.out / name).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
