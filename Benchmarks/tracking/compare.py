"""Prints the tracking benchmark: Petal's and MLflow's times, the ratios, and the 50 ms targets of issue 5."""
import json, sys

petal = json.load(open(sys.argv[1]))
peer = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
print(f"{'task':<34}{'petal':>12}{(peer or {}).get('tool', 'mlflow'):>16}{'ratio':>10}   target")
rows = [("log_steps_s", "log_steps_s", f"log {petal['steps']:,} metric steps"), ("list_runs_s", "list_runs_s", f"list {petal['runs']:,} runs"),
        ("filter_and_runs_s", "filter_runs_s", f"filter {petal['runs']:,} runs (AND)"),
        ("filter_runs_s", None, f"filter {petal['runs']:,} runs (OR, IN)")]
for key, peer_key, label in rows:
    p = petal[key] * 1000
    line = f"{label:<34}{p:>10.1f}ms"
    if peer and peer_key:
        m = peer[peer_key] * 1000
        note = "" if peer["runs"] == petal["runs"] or peer_key == "log_steps_s" else f" ({peer['runs']:,} runs)"
        line += f"{m:>14.1f}ms{m / p:>9.1f}x" + note
    else:
        line += f"{'(no OR/IN)' if peer else '':>16}{'':>10}"
    line += f"   {'under 50 ms: yes' if p < 50 else 'under 50 ms: NO'}"
    print(line)
print(f"petal: listed {petal['listed']:,}, filtered {petal['filtered_and']:,} (AND) and {petal['filtered']:,} (OR + IN); setup {petal['setup_s']:.1f}s")
if peer:
    print(f"mlflow: listed {peer['listed']:,}, filtered {peer['filtered']:,} (AND-only condition); setup {peer['setup_s']:.1f}s")
