"""The course's "5-minute demo": a Flask app serving a scikit-learn model over REST, here the same model as
Petal's benchmark bundle (standard scaler + logistic regression on every iris row) and the same request and
answer shapes (MLflow's dataframe_records in, labels and per-class probabilities out).

Usage: python3 flask_app.py IRIS_CSV PORT
"""
import sys

import pandas as pd
from flask import Flask, jsonify, request
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

iris = pd.read_csv(sys.argv[1])
model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=100))
model.fit(iris[FEATURES], iris["variety"])
classes = [str(c) for c in model.classes_]

app = Flask(__name__)


@app.route("/invocations", methods=["POST"])
def invocations():
    frame = pd.DataFrame(request.get_json()["dataframe_records"])[FEATURES]
    labels = model.predict(frame)
    probabilities = model.predict_proba(frame)
    return jsonify({"predictions": [
        {"label": str(label), "probabilities": dict(zip(classes, map(float, p)))}
        for label, p in zip(labels, probabilities)
    ]})


@app.route("/ping")
def ping():
    return "\n"


if __name__ == "__main__":
    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=int(sys.argv[2]))
