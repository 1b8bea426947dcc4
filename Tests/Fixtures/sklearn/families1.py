#!/usr/bin/env python3
"""Fixtures for the issue-18 families (lasso, elastic net, multinomial and Bernoulli naive Bayes, LDA, PCA).

Writes families1.json next to this script: each model fitted by scikit-learn on every row of a bundled sample,
with its learned values and its outputs on those rows. Needs scikit-learn, numpy and pandas. Deterministic;
run it again after upgrading scikit-learn and commit the output.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.naive_bayes import BernoulliNB, MultinomialNB

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "samples")
NUMBERS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


def data():
    iris = pd.read_csv(os.path.join(SAMPLES, "iris.csv"))
    peng = pd.read_csv(os.path.join(SAMPLES, "penguins.csv")).dropna().reset_index(drop=True)
    return {
        "iris": (iris.drop(columns=["variety"]).to_numpy(float), iris["variety"].to_numpy()),
        "penguins": (peng[NUMBERS].to_numpy(float), peng["species"].to_numpy()),
        "penguins_mass": (peng[NUMBERS[:3]].to_numpy(float), peng["body_mass_g"].to_numpy(float)),
        "iris_width": (iris[["sepal_length", "sepal_width", "petal_length"]].to_numpy(float), iris["petal_width"].to_numpy(float)),
    }


def main() -> None:
    d = data()
    out = {"sklearn_version": sklearn.__version__, "regressors": [], "classifiers": [], "pca": [], "lda_transform": []}
    for name, params, data_name in [
        ("lasso", {"alpha": 1.0}, "penguins_mass"), ("lasso", {"alpha": 50.0}, "penguins_mass"),
        ("lasso", {"alpha": 0.05}, "iris_width"), ("lasso", {"alpha": 0.01, "max_iter": 5}, "iris_width"),
        ("elastic_net", {"alpha": 1.0}, "penguins_mass"), ("elastic_net", {"alpha": 0.1, "l1_ratio": 0.2}, "iris_width"),
        ("elastic_net", {"alpha": 0.02, "l1_ratio": 0.9, "tol": 1e-6}, "iris_width"),
    ]:
        X, y = d[data_name]
        model = (Lasso if name == "lasso" else ElasticNet)(**params).fit(X, y)
        out["regressors"].append({"step": name, "params": params, "data": data_name, "coef": model.coef_.tolist(),
                                  "intercept": float(model.intercept_), "n_iter": int(model.n_iter_), "predict": model.predict(X).tolist()})
    for name, params, data_name in [
        ("multinomial_nb", {}, "iris"), ("multinomial_nb", {"alpha": 0.3}, "penguins"),
        ("bernoulli_nb", {"binarize": 3.0}, "iris"), ("bernoulli_nb", {"alpha": 2.0, "binarize": 45.0}, "penguins"),
        ("lda", {}, "iris"), ("lda", {}, "penguins"),
    ]:
        X, y = d[data_name]
        cls = {"multinomial_nb": MultinomialNB, "bernoulli_nb": BernoulliNB, "lda": LinearDiscriminantAnalysis}[name]
        model = cls(**params).fit(X, y)
        out["classifiers"].append({"step": name, "params": params, "data": data_name, "classes": model.classes_.tolist(),
                                   "predict": model.predict(X).tolist(), "proba": model.predict_proba(X).tolist()})
    for params, data_name in [({"n_components": 2}, "iris"), ({"n_components": 0.95}, "penguins"),
                              ({"n_components": 3, "whiten": True}, "iris"), ({}, "penguins")]:
        X, _ = d[data_name]
        model = PCA(**params).fit(X)
        out["pca"].append({"params": params, "data": data_name, "components": model.components_.tolist(),
                           "explained_variance": model.explained_variance_.tolist(),
                           "explained_variance_ratio": model.explained_variance_ratio_.tolist(), "transform": model.transform(X).tolist()})
    for params, data_name in [({"n_components": 2}, "iris"), ({"n_components": 1}, "penguins")]:
        X, y = d[data_name]
        model = LinearDiscriminantAnalysis(**params).fit(X, y)
        out["lda_transform"].append({"params": params, "data": data_name, "transform": model.transform(X).tolist(),
                                     "explained_variance_ratio": model.explained_variance_ratio_.tolist()})
    path = os.path.join(HERE, "families1.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
