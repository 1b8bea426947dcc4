#!/usr/bin/env python3
"""Checks and runs a Petal bundle's model.onnx for the interop tests (Tests/PetalBundleTests/ONNXInteropTests).

usage: onnx_run.py MODEL.onnx FEEDS.json [MODEL.onnx FEEDS.json ...]
FEEDS.json: {"column": [values...], ...} (numbers: null = missing → NaN; text: strings).
Runs onnx.checker.check_model(full_check=True), then onnxruntime on the CPU, and prints one JSON
list on stdout, per model {"outputs": {name: values}} or {"error": message}, then the versions used.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def run(model_path: str, feeds_path: str) -> dict:
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    with open(feeds_path) as f:
        columns = json.load(f)
    feeds = {}
    for i in session.get_inputs():
        values = columns[i.name]
        if i.type == "tensor(string)":
            feeds[i.name] = np.array(["" if v is None else str(v) for v in values], dtype=object)
        else:
            feeds[i.name] = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    names = [o.name for o in session.get_outputs()]
    results = session.run(names, feeds)
    out = {}
    for name, value in zip(names, results):
        out[name] = value.tolist() if value.dtype != object else [str(v) for v in value.tolist()]
    return {"outputs": out}


def main() -> None:
    args = sys.argv[1:]
    results = []
    for model_path, feeds_path in zip(args[0::2], args[1::2]):
        try:
            results.append(run(model_path, feeds_path))
        except Exception as e:  # reported per model so one failure does not hide the others
            results.append({"error": f"{type(e).__name__}: {e}"})
    json.dump({"results": results, "onnx": onnx.__version__, "onnxruntime": ort.__version__}, sys.stdout)


if __name__ == "__main__":
    main()
