"""Runs wrk against `petal serve` and the Flask app in turn, parses its report and prints both, the ratio and
the issue's targets (>= 20x Flask's requests/s, p99 < 2 ms, zero errors). Exits 1 when a target is missed.

Usage: python3 compare.py PETAL_BINARY BUNDLE IRIS_CSV [--threads 2 --connections 16 --duration 10s]
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, process, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early ({process.returncode}) before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"no answer from {url} after {seconds} s")


def check_answer(url):
    body = b'{"dataframe_records": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}'
    req = urllib.request.Request(url + "/invocations", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.read().decode()


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def parse(report):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
    latency = {}
    for pct, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", report, re.M):
        latency[int(pct)] = float(value) * UNITS[unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", report)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    total = int(re.search(r"(\d+) requests in", report).group(1))
    return {"rps": rps, "p50": latency.get(50), "p99": latency.get(99), "errors": errors, "requests": total}


def run_wrk(url, args):
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}", "--latency",
           "-s", os.path.join(HERE, "one-row.lua"), url + "/invocations"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return parse(out), out


def serve(name, command, url, args):
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(url + "/ping", process)
        answer = check_answer(url)
        run_wrk(url, argparse.Namespace(threads=args.threads, connections=args.connections, duration="2s"))  # warm-up
        result, report = run_wrk(url, args)
        result["answer"] = answer.strip()
        return result, report
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("petal")
    ap.add_argument("bundle")
    ap.add_argument("iris")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--duration", default="10s")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    port = free_port()
    petal, petal_report = serve("petal", [args.petal, "serve", args.bundle, "--port", str(port), "--log", os.devnull],
                                f"http://127.0.0.1:{port}", args)
    port = free_port()
    flask, flask_report = serve("flask", [sys.executable, os.path.join(HERE, "flask_app.py"), args.iris, str(port)],
                                f"http://127.0.0.1:{port}", args)
    if args.verbose:
        print(petal_report, flask_report, sep="\n")

    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}, one-row iris POST /invocations (dataframe_records)")
    print(f"{'server':<14}{'requests/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'requests':>10}")
    for name, r in (("petal serve", petal), ("flask+sklearn", flask)):
        print(f"{name:<14}{r['rps']:>12,.0f}{r['p50']:>10.3f}{r['p99']:>10.3f}{r['errors']:>8}{r['requests']:>10,}")
    ratio = petal["rps"] / flask["rps"]
    print(f"ratio: petal serves {ratio:.1f}x Flask's requests/s")
    print(f"petal answer: {petal['answer']}")
    print(f"flask answer: {flask['answer']}")
    targets = [("requests/s >= 20x Flask", ratio >= 20), ("p99 < 2 ms", petal["p99"] < 2.0), ("zero errors", petal["errors"] == 0)]
    for text, ok in targets:
        print(f"target {text}: {'met' if ok else 'MISSED'}")
    sys.exit(0 if all(ok for _, ok in targets) else 1)


if __name__ == "__main__":
    main()
