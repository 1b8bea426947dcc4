#!/usr/bin/env python3
"""Times scikit-learn's fit+predict on the benchmark CSV (80/20 split, random_state=42); prints one JSON object."""
import argparse
import json
import time

import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("csv")
    args = ap.parse_args()
    df = pd.read_csv(args.csv)
    X, y = df.drop(columns="label").to_numpy(), df["label"].to_numpy()
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42)
    models = {
        "knn": KNeighborsClassifier(5),
        "logistic_regression": LogisticRegression(),
        "decision_tree": DecisionTreeClassifier(random_state=0),
        "random_forest": RandomForestClassifier(n_estimators=50, n_jobs=2, random_state=0),
        "gaussian_nb": GaussianNB(),
    }
    out = {"version": sklearn.__version__}
    for name, model in models.items():
        t = time.perf_counter()
        pred = model.fit(Xtr, ytr).predict(Xte)
        out[name] = {"seconds": time.perf_counter() - t, "accuracy": float((pred == yte).mean())}
    # SVC on the first 20,000 rows, split the same way.
    Xs, ys = X[:20000], y[:20000]
    Xstr, Xste, ystr, yste = train_test_split(Xs, ys, test_size=0.2, random_state=42)
    t = time.perf_counter()
    pred = make_pipeline(StandardScaler(), SVC()).fit(Xstr, ystr).predict(Xste)
    out["svm"] = {"seconds": time.perf_counter() - t, "accuracy": float((pred == yste).mean())}
    t = time.perf_counter()
    km = KMeans(3, n_init=1, random_state=0).fit(Xtr)
    km.predict(Xte)
    out["kmeans"] = {"seconds": time.perf_counter() - t, "inertia": float(km.inertia_)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
