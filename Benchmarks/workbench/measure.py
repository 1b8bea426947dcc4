#!/usr/bin/env python3
"""Workbench benchmark (issue 4): time to the first screen showing data rows, time to fully loaded, and
keystroke-to-redraw, for `petal FILE` and VisiData (`vd FILE`) on the same CSV, both in tmux.

The first-screen time is measured from outside for both tools the same way: the moment before tmux starts the
program to the first `capture-pane` that shows a data row of the file (polled every 2 ms, so it includes up
to ~3 ms of polling latency). Petal also writes its own trace (PETAL_TRACE) with the internal times: first
table frame, whole file loaded and typed, and per-key redraw times.
Usage: measure.py PETAL_BINARY CSV [--repeat N]
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout

def first_data_row(csv):
    with open(csv) as f:
        f.readline()
        return f.readline().strip().split(",")

def wait_for(session, needles, timeout=60.0):
    """Seconds until every needle is on the screen (None on timeout)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        screen = sh(f"tmux capture-pane -p -t {session}")
        if all(n in screen for n in needles):
            return time.perf_counter()
        time.sleep(0.002)
    return None

def run_tool(name, command, csv, needles, env=""):
    session = f"bench-{name}-{os.getpid()}"
    folder = tempfile.mkdtemp()
    sh(f"tmux kill-session -t {session} 2>/dev/null")
    sh(f"tmux new-session -d -s {session} -x 120 -y 40 -c {folder} 'sleep 0.3; {env} {command} {csv}; sleep 30'")
    t0 = time.perf_counter() + 0.3  # the program starts after the shell's sleep
    t = wait_for(session, needles)
    first = None if t is None else t - t0
    return session, folder, first

def petal(binary, csv, repeat):
    firsts, traces = [], []
    row = first_data_row(csv)
    for _ in range(repeat):
        trace = tempfile.mktemp(suffix=".trace")
        session, folder, first = run_tool("petal", binary, csv, [row[0], row[1]], env=f"PETAL_TRACE={trace}")
        # Wait until fully loaded, then scroll: j ×40, PgDn ×10, G, g, l ×5.
        for _ in range(3000):
            if os.path.exists(trace) and "command finished" in open(trace).read():
                break
            time.sleep(0.01)
        sh(f"tmux send-keys -t {session} Escape")
        time.sleep(0.2)
        for keys in ["j"] * 40 + ["PgDn"] * 10 + ["G", "g"] + ["l"] * 5:
            sh(f"tmux send-keys -t {session} {keys}")
            time.sleep(0.03)
        time.sleep(0.3)
        sh(f"tmux send-keys -t {session} q q q")
        time.sleep(0.3)
        sh(f"tmux kill-session -t {session}")
        lines = [l.split(" ", 1) for l in open(trace).read().splitlines()]
        events = {}
        keys = []
        for t, e in lines:
            if e.startswith("key-to-frame"):
                keys.append(float(e.split()[1]))
            elif not e.startswith("redraw") and e not in events:
                events[e] = float(t)
        loaded = next((v for k, v in events.items() if k.startswith("command finished")), None)
        traces.append({"first_table_frame_ms": events.get("first table frame"), "loaded_ms": loaded, "keys": keys})
        firsts.append(first)
        shutil.rmtree(folder, ignore_errors=True)
        os.remove(trace)
    keys = [k for t in traces for k in t["keys"]]
    return {
        "first_screen_s": min(f for f in firsts if f is not None),
        "first_table_frame_ms": min(t["first_table_frame_ms"] for t in traces),
        "loaded_ms": min(t["loaded_ms"] for t in traces),
        "key_to_frame_ms": {"median": statistics.median(keys), "p99": sorted(keys)[int(0.99 * (len(keys) - 1))], "max": max(keys), "n": len(keys)},
    }

def visidata(csv, repeat):
    if shutil.which("vd") is None:
        return None
    row = first_data_row(csv)
    firsts = []
    for _ in range(repeat):
        session, folder, first = run_tool("vd", "vd", csv, [row[0], row[1]])
        sh(f"tmux kill-session -t {session}")
        shutil.rmtree(folder, ignore_errors=True)
        firsts.append(first)
    return {"first_screen_s": min(f for f in firsts if f is not None)}

if __name__ == "__main__":
    binary, csv = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    print(json.dumps({"petal": petal(binary, csv, repeat), "visidata": visidata(csv, repeat)}))
