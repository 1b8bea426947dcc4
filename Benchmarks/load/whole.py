#!/usr/bin/env python3
"""Opening a CSV as the user waits for it: the whole `petal exec 'open FILE as d'` process against pandas and
polars reading the same file, one fresh process per run, for each file given. Prints a table per file.

Needs: pip install pandas polars
  python3 Benchmarks/load/whole.py FILE... [--petal .build/release/petal] [--bench .build/release/PetalBench]
For each tool: "in-process" is the load alone inside the process (Petal: PetalBench's load_s; pandas:
pd.read_csv; polars: pl.read_csv), "whole" the wall time of the whole process (start, imports, load, exit), and
"peak" the process's peak RSS (each run its own process, so that is the peak while opening). Best of --repeat.
Ratios are Petal's against each peer; the targets (issue 17) are on the in-process and peak columns:
load <= 0.5x pandas and <= 1.0x polars, peak <= 0.5x pandas and <= 1.0x polars. Always exits 0 unless a
tool fails: it is a report.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

PEER = """
import sys, time
t = time.perf_counter()
import {lib}
t0 = time.perf_counter()
df = {lib}.read_csv(sys.argv[1])
print(time.perf_counter() - t0, len(df))
"""


class Failed(Exception):
    """A process that exited with an error (a peer that cannot read a file is reported, not fatal)."""


def run(argv, env=None, cwd=None):
    """Wall seconds, peak RSS bytes and stdout of one process."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        raise Failed(f"{' '.join(argv[:2])} … failed: {(err.decode().strip().splitlines() or ['?'])[-1]}")
    return wall, usage.ru_maxrss * 1024, out.decode()


def best(argv, repeat, env=None, cwd=None, inner=None):
    walls, peaks, inners = [], [], []
    for _ in range(repeat):
        wall, peak, out = run(argv, env, cwd)
        walls.append(wall)
        peaks.append(peak)
        if inner:
            inners.append(inner(out))
    return {"whole_s": min(walls), "peak": max(peaks), "in_s": min(inners) if inners else None}


def peer_times(argv, repeat):
    """A peer's times, or none with the reason when it cannot read the file (polars refuses a late-widening column)."""
    try:
        return best(argv, repeat, inner=lambda out: float(out.split()[0]))
    except Failed as e:
        print(f"  {e}")
        return {"whole_s": None, "peak": None, "in_s": None, "failed": str(e)}


def fmt(v, unit):
    if v is None:
        return "-"
    return {"s": f"{v:.3f} s", "B": f"{v / 2**20:.0f} MiB", "x": f"{v:.2f}x"}[unit]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--petal", default=".build/release/petal")
    ap.add_argument("--bench", default=".build/release/PetalBench")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", help="where to write the numbers (default: whole.json beside the first file)")
    args = ap.parse_args()
    petal, bench = os.path.abspath(args.petal), os.path.abspath(args.bench)
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}; best of {args.repeat}")
    report = {}
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PETAL_HOME=home)
        for f in args.files:
            path = os.path.abspath(f)
            results = {
                "petal": best([petal, "exec", f"open {path} as d"], args.repeat, env=env, cwd=home),
                "pandas": peer_times([sys.executable, "-c", PEER.format(lib="pandas"), path], args.repeat),
                "polars": peer_times([sys.executable, "-c", PEER.format(lib="polars"), path], args.repeat),
            }
            if os.path.exists(bench):  # absent when timing an older petal binary alone
                inproc = subprocess.run([bench, path, "--repeat", str(args.repeat), "--load-only"],
                                        capture_output=True, text=True, check=True)
                results["petal"]["in_s"] = json.loads(inproc.stdout)["load_s"]
            report[f] = results
            size = os.path.getsize(path) / 1e6
            print(f"\n{f} ({size:.0f} MB); load average now {os.getloadavg()[0]:.2f}")
            print(f"{'':<10}{'in-process':>12}{'whole':>12}{'peak':>10}")
            for tool, r in results.items():
                print(f"{tool:<10}{fmt(r['in_s'], 's'):>12}{fmt(r['whole_s'], 's'):>12}{fmt(r['peak'], 'B'):>10}")
            p = results["petal"]
            for peer, limit in (("pandas", 0.5), ("polars", 1.0)):
                q = results[peer]
                ratios = [p[k] / q[k] if p[k] and q[k] else None for k in ("in_s", "whole_s", "peak")]
                verdict = ["(peer failed)" if q.get("failed") else "-" if r is None else "MET" if r <= limit else "NOT MET"
                           for r in ratios]
                print(f"petal/{peer:<6}{fmt(ratios[0], 'x'):>10}{fmt(ratios[1], 'x'):>12}{fmt(ratios[2], 'x'):>10}"
                      f"   target <= {limit:.1f}x: load {verdict[0]}, whole {verdict[1]}, peak {verdict[2]}")
    with open(args.json or os.path.join(os.path.dirname(os.path.abspath(args.files[0])), "whole.json"), "w") as out:
        json.dump(report, out, indent=1)


if __name__ == "__main__":
    main()
