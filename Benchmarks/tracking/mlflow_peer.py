"""MLflow's local SQLite store doing the tracking benchmark's work: log 10,000 steps of one metric for a run;
list and filter 10,000 runs (4 params, 3 metrics each). Prints one JSON object like TrackingBench.

Usage: python3 Benchmarks/tracking/mlflow_peer.py FOLDER [--runs N] [--steps N] [--repeat N]
Setting up 10,000 runs in MLflow takes minutes (one transaction per call), so --runs is often smaller; the
script says how many it used.
"""
import argparse, json, logging, os, time

logging.getLogger("mlflow").setLevel(logging.ERROR)
logging.getLogger("alembic").setLevel(logging.ERROR)

import mlflow
from mlflow.entities import Metric, Param
from mlflow.tracking import MlflowClient


def best(repeats, body):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        body()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--runs", type=int, default=10000)
    ap.add_argument("--steps", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    os.makedirs(a.folder, exist_ok=True)
    uri = "sqlite:///" + os.path.join(os.path.abspath(a.folder), "mlflow.db")
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(tracking_uri=uri)
    steps_exp = client.create_experiment("steps", artifact_location=os.path.join(a.folder, "artifacts"))
    many_exp = client.create_experiment("many", artifact_location=os.path.join(a.folder, "artifacts"))

    def log_steps():
        run = client.create_run(steps_exp)
        now = int(time.time() * 1000)
        metrics = [Metric("loss", 1 / (i + 1), now, i) for i in range(a.steps)]
        # log_batch takes at most 1,000 metrics a call.
        for k in range(0, len(metrics), 1000):
            client.log_batch(run.info.run_id, metrics=metrics[k:k + 1000])

    log_steps_s = best(a.repeat, log_steps)

    t = time.perf_counter()
    now = int(time.time() * 1000)
    for i in range(a.runs):
        run = client.create_run(many_exp)
        client.log_batch(run.info.run_id,
                         metrics=[Metric("accuracy", (i % 100) / 100, now, 0), Metric("f1_macro", (i % 97) / 97, now, 0),
                                  Metric("log_loss", (i % 13) / 13, now, 0)],
                         params=[Param("knn.n_neighbors", str(i % 15 + 1)), Param("knn.weights", "uniform" if i % 2 == 0 else "distance"),
                                 Param("standard_scaler.with_mean", "true"), Param("seed", str(i))])
        client.set_terminated(run.info.run_id, "FINISHED")
    setup_s = time.perf_counter() - t

    listed = [0]
    filtered = [0]

    def search(filter_string, out):
        n = 0
        token = None
        while True:
            page = client.search_runs([many_exp], filter_string=filter_string, max_results=50000, page_token=token)
            n += len(page)
            token = page.token
            if not token:
                break
        out[0] = n

    list_s = best(a.repeat, lambda: search("", listed))
    # MLflow's search has AND only (no OR, no IN on params): the nearest condition it can express.
    filter_s = best(a.repeat, lambda: search("metrics.accuracy > 0.9 and params.`knn.weights` = 'distance' and metrics.log_loss < 0.1", filtered))
    print(json.dumps({"tool": "mlflow " + mlflow.__version__, "steps": a.steps, "runs": a.runs, "log_steps_s": log_steps_s,
                      "list_runs_s": list_s, "filter_runs_s": filter_s, "listed": listed[0], "filtered": filtered[0],
                      "setup_s": setup_s}))


if __name__ == "__main__":
    main()
