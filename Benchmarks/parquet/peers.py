#!/usr/bin/env python3
"""The Parquet load benchmark's Python side: write the benchmark CSV as Parquet, and time Petal against pandas and polars.

  peers.py convert IN.csv OUT.parquet     pyarrow, snappy, default row groups and pages (pandas' defaults)
  peers.py time FILE.parquet PETAL --repeat N

`time` runs N interleaved rounds; each round times, in turn:
  - `petal exec "open FILE as t"` as a whole process (start-up, read, decode, exit: what the user waits for),
  - a process that does nothing (`/bin/true`), started the same way: the cost of starting and reaping a child,
    which the harness adds and the user does not see; it is subtracted from Petal's time,
  - `petal exec ""` (start-up and exit only), reported to show how much of Petal's time is not reading,
  - `pandas.read_parquet` and `polars.read_parquet` inside this warm Python process (imports not counted; the
    library has read the file before, so its allocator hands back memory it already touched),
  - `pandas.read_parquet` and `polars.read_parquet` each in a fresh Python process (one child per run that imports
    the library — for pandas also the modules its first read_parquet would import: pyarrow.parquet, pyarrow.dataset,
    pyarrow.pandas_compat, pandas.core.arrays.arrow.extension_types — then times only the read with
    `time.perf_counter` and prints it: the imports and the process's start-up and exit are not counted, the
    read's first touch of fresh memory is), as Benchmarks/load/whole.py times the CSV readers.
It prints the best and the median of each, then:
  - "petal, whole process minus the empty one": Petal's whole process minus `/bin/true`'s (the number the
    ratios use),
  - "  of which after start-up": that minus `petal exec ""` as well (reading and decoding alone, with the
    frame's teardown; a breakdown, not a ratio's numerator),
  - the ratios Petal (whole process minus the empty one) / peer, by best and by median, against the peer warm in
    this process and against the peer's read in a fresh process (target: <= 1.0x polars).
CPU seconds (user + system) of Petal's process are shown too: on a shared machine wall times vary with the load,
CPU time much less. Needs pyarrow, pandas and polars.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def timed_process(argv):
    """Wall seconds and CPU seconds (user + system) of one child process run to its end."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited with {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


# One fresh process's read: the imports are not timed, only read_parquet (as whole.py's PEER for read_csv).
# pandas imports its Parquet engine (pyarrow.parquet, with pyarrow.dataset and pyarrow.pandas_compat) and one of
# its own modules on the first read_parquet: they are imported before the clock starts (the modules a first
# read_parquet added to sys.modules with pandas 3.1.1 and pyarrow; polars' read imports nothing more).
FRESH = """
import sys, time
import {lib}
{engine}
t0 = time.perf_counter()
df = {lib}.read_parquet(sys.argv[1])
print(time.perf_counter() - t0, len(df))
"""


def fresh_read(lib, path):
    """Seconds `lib.read_parquet(path)` takes in a new Python process that has imported `lib` and done nothing else."""
    engine = ("import pandas.io.parquet, pandas.core.arrays.arrow.extension_types, pyarrow.parquet, pyarrow.dataset, "
              "pyarrow.pandas_compat") if lib == "pandas" else ""
    out = subprocess.run([sys.executable, "-c", FRESH.format(lib=lib, engine=engine), path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{lib} in a fresh process failed: {out.stderr.strip()}")
    return float(out.stdout.split()[0])


def timed_call(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


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
    open_argv = [args.petal, "exec", f"open {path} as t"]
    # Petal first, checking the load works (and warming the page cache for everyone).
    probe = subprocess.run(open_argv, capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit(f"petal failed: {probe.stderr or probe.stdout}")
    print(probe.stdout.strip().splitlines()[0])
    pl.read_parquet(path)
    pd.read_parquet(path)
    times = {"petal": [], "petal_cpu": [], "empty": [], "startup": [], "pandas": [], "polars": [],
             "pandas_fresh": [], "polars_fresh": []}
    for _ in range(args.repeat):
        wall, cpu = timed_process(open_argv)
        times["petal"].append(wall)
        times["petal_cpu"].append(cpu)
        times["empty"].append(timed_process(["/bin/true"])[0])
        times["startup"].append(timed_process([args.petal, "exec", ""])[0])
        times["pandas"].append(timed_call(lambda: pd.read_parquet(path)))
        times["polars"].append(timed_call(lambda: pl.read_parquet(path)))
        times["pandas_fresh"].append(fresh_read("pandas", path))
        times["polars_fresh"].append(fresh_read("polars", path))
    best = {k: min(v) for k, v in times.items()}
    median = {k: statistics.median(v) for k, v in times.items()}
    net_best = best["petal"] - best["empty"]
    net_median = median["petal"] - median["empty"]
    # Per round, so best and median are of the same rounds' differences.
    after_startup = [p - s for p, s in zip(times["petal"], times["startup"])]

    def line(label, key, note=""):
        print(f"{label:44s} best {best[key] * 1000:8.1f} ms   median {median[key] * 1000:8.1f} ms{note}")

    print(f"{args.repeat} interleaved rounds; pandas {pd.__version__}, polars {pl.__version__}, load average {os.getloadavg()[0]:.2f}")
    line("petal exec open (whole process)", "petal")
    line("  CPU of that process (user + system)", "petal_cpu")
    line("  a process that does nothing (/bin/true)", "empty")
    line("  petal exec \"\" (start-up and exit only)", "startup")
    print(f"{'petal, whole process minus the empty one':44s} best {net_best * 1000:8.1f} ms   median {net_median * 1000:8.1f} ms")
    breakdown = '  of which after start-up (minus exec "")'
    print(f"{breakdown:44s} best {min(after_startup) * 1000:8.1f} ms"
          f"   median {statistics.median(after_startup) * 1000:8.1f} ms")
    line("pandas.read_parquet (in Python)", "pandas", "   warm, in this process")
    line("polars.read_parquet (in Python)", "polars", "   warm, in this process")
    line("pandas.read_parquet (fresh process)", "pandas_fresh", "   the read alone, import excluded")
    line("polars.read_parquet (fresh process)", "polars_fresh", "   the read alone, import excluded")
    for peer in ("pandas", "polars"):
        target = "  (target <= 1.0x)" if peer == "polars" else ""
        print(f"petal/{peer} = {net_best / best[peer]:.2f}x best, {net_median / median[peer]:.2f}x median"
              f"  (peer warm in this process){target}")
        fresh = peer + "_fresh"
        print(f"petal/{peer} = {net_best / best[fresh]:.2f}x best, {net_median / median[fresh]:.2f}x median"
              f"  (peer's read in a fresh process){target}")


if __name__ == "__main__":
    main()
