#!/usr/bin/env python3
"""Compare Petal's load benchmark result with the pandas/polars numbers from peers.py.

  python3 Benchmarks/load/compare.py petal.json peers.json
petal.json: {"load_s", "explore_s", "frame_bytes", "peak_rss_bytes"}; peers.json: peers.py output.
Prints a table of values and ratios and whether each target is met. Always exits 0: it is a report.
"""
import argparse
import json


def ratio(a, b):
    return a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "s":
        return f"{v:.3f} s"
    if unit == "B":
        return f"{v / 2**20:.1f} MiB"
    return f"{v:.2f}x"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("petal_json")
    ap.add_argument("peers_json")
    args = ap.parse_args()
    try:
        with open(args.petal_json) as f:
            petal = json.load(f)
        with open(args.peers_json) as f:
            peers = json.load(f)
    except (OSError, ValueError) as err:  # still a report: say what is missing, exit 0
        print(f"cannot compare: {err}")
        return
    pd_, pl_ = peers.get("pandas", {}), peers.get("polars", {})

    # metric, unit, Petal value, pandas value, polars value
    rows = [(key, unit, petal.get(key), pd_.get(key), pl_.get(key))
            for key, unit in [("load_s", "s"), ("explore_s", "s"),
                              ("frame_bytes", "B"), ("peak_rss_bytes", "B")]]
    print(f"{'metric':<16}{'petal':>12}{'pandas':>12}{'polars':>12}{'petal/pandas':>14}{'petal/polars':>14}")
    for key, unit, p, a, b in rows:
        print(f"{key:<16}{fmt(p, unit):>12}{fmt(a, unit):>12}{fmt(b, unit):>12}"
              f"{fmt(ratio(p, a), 'x'):>14}{fmt(ratio(p, b), 'x'):>14}")

    # target, measured ratio, limit
    targets = [
        ("load <= polars", ratio(petal.get("load_s"), pl_.get("load_s")), 1.0),
        ("load <= 0.5x pandas", ratio(petal.get("load_s"), pd_.get("load_s")), 0.5),
        ("explore <= 0.5x pandas", ratio(petal.get("explore_s"), pd_.get("explore_s")), 0.5),
        ("frame bytes <= 0.5x pandas", ratio(petal.get("frame_bytes"), pd_.get("frame_bytes")), 0.5),
    ]
    print()
    for name, r, limit in targets:
        verdict = "n/a" if r is None else ("MET" if r <= limit else "NOT MET")
        print(f"{name:<28}{fmt(r, 'x'):>10}  (limit {limit:.2f}x)  {verdict}")


if __name__ == "__main__":
    main()
