#!/usr/bin/env python3
"""The peer of the demo benchmark: what a Gradio live=True app does per keystroke with scikit-learn — one
pipeline.predict_proba (or predict) on a one-row DataFrame — per estimator family on iris, median and p99 over
400 calls, in milliseconds. (Gradio's own event round trip through its web server comes on top.)"""
import json, sys, time
import numpy as np, pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.linear_model import LogisticRegression, LinearRegression, Ridge
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.cluster import KMeans

iris = pd.read_csv(sys.argv[1])
features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
families = {
    "knn": (make_pipeline(StandardScaler(), KNeighborsClassifier(5)), "variety"),
    "gaussian_nb": (GaussianNB(), "variety"),
    "logistic_regression": (make_pipeline(StandardScaler(), LogisticRegression()), "variety"),
    "decision_tree": (DecisionTreeClassifier(random_state=0), "variety"),
    "random_forest": (RandomForestClassifier(100, random_state=0), "variety"),
    "gradient_boosting": (GradientBoostingClassifier(random_state=0), "variety"),
    "linear_regression": (LinearRegression(), "petal_width"),
    "ridge": (Ridge(), "petal_width"),
    "kmeans": (make_pipeline(StandardScaler(), KMeans(3, n_init=10, random_state=0)), None),
}
out = {}
for name, (model, target) in families.items():
    cols = features if target != "petal_width" else ["sepal_length", "sepal_width", "petal_length"]
    x = iris[cols]
    model.fit(x, iris[target]) if target else model.fit(x)
    row = x.iloc[[0]].copy()
    samples = []
    for k in range(400):
        row.iloc[0, 2] = 1.4 + (k % 7) * 0.1
        t = time.perf_counter()
        (model.predict_proba(row) if hasattr(model, "predict_proba") else model.predict(row))
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    out[name] = {"median_ms": samples[200], "p99_ms": samples[int(399 * 0.99)]}
print(json.dumps(out))
