#!/usr/bin/env python3
"""Fixtures for PetalML's scikit-learn parity tests (needs: pip install scikit-learn numpy).

Writes splits.json next to this script: train_test_split indices (random and stratified) for several row
counts, test sizes, seeds and label layouts, plus the first numbers of np.random.RandomState streams.
Deterministic; run it again after upgrading scikit-learn and commit the output.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.model_selection import train_test_split


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def sample_path(name: str) -> str:
    """A file of the repository's samples/ folder."""
    return os.path.join(ROOT, "samples", name)


def write(name: str, obj, detail: str = "") -> None:
    """Writes one fixture next to this script and says so."""
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(obj, f)
    print(f"wrote {path}{detail}")


def main() -> None:
    out = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "streams": [], "splits": []}
    for seed in [0, 1, 42, 2**32 - 1]:
        rs = np.random.RandomState(seed)
        out["streams"].append({"seed": seed, "uint32": [int(v) for v in rs.randint(0, 2**32, size=1000, dtype=np.uint64)],
                               "permutation_1000": np.random.RandomState(seed).permutation(1000).tolist()})
    label_sets = {
        "iris": np.repeat([0, 1, 2], 50),
        "unbalanced": np.array([0] * 7 + [1] * 23 + [2] * 3 + [3] * 11),
        "penguins": np.array([0] * 152 + [1] * 68 + [2] * 124),
    }
    for name, y in label_sets.items():
        n = len(y)
        X = np.arange(n)
        for test in [0.2, 0.25, 0.33]:
            for seed in [0, 42, 7]:
                tr, te = train_test_split(X, test_size=test, random_state=seed)
                str_, ste = train_test_split(X, test_size=test, random_state=seed, stratify=y)
                out["splits"].append({"labels": name, "y": y.tolist(), "test": test, "seed": seed,
                                      "train": tr.tolist(), "test_rows": te.tolist(),
                                      "stratified_train": str_.tolist(), "stratified_test": ste.tolist()})
    write("splits.json", out, f": {len(out['splits'])} splits")


def metrics() -> None:
    """metrics.json: classification reports and regression metrics for seeded predictions."""
    from sklearn.metrics import (classification_report, confusion_matrix, mean_absolute_error,
                                 mean_squared_error, precision_recall_fscore_support, r2_score)
    rng = np.random.RandomState(3)
    cases = []
    for k, n, noise in [(3, 30, 0.2), (4, 200, 0.5), (2, 50, 0.0), (3, 12, 0.9)]:
        y = rng.randint(0, k, size=n)
        pred = np.where(rng.rand(n) < noise, rng.randint(0, k, size=n), y)
        names = ["setosa", "versicolor", "virginica", "a-much-longer-class-name"][:k] if k != 2 else ["no", "yes"]
        p, r, f, s = precision_recall_fscore_support(y, pred, labels=list(range(k)), zero_division=0)
        cases.append({"truth": y.tolist(), "predicted": pred.tolist(), "classes": names,
                      "report": classification_report(y, pred, labels=list(range(k)), target_names=names, zero_division=0),
                      "confusion": confusion_matrix(y, pred, labels=list(range(k))).tolist(),
                      "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist()})
    regression = []
    for n in [5, 100]:
        t = rng.normal(size=n) * 10
        pr = t + rng.normal(size=n)
        regression.append({"truth": t.tolist(), "predicted": pr.tolist(), "mae": mean_absolute_error(t, pr),
                           "mse": mean_squared_error(t, pr), "r2": r2_score(t, pr)})
    write("metrics.json", {"classification": cases, "regression": regression})


def models() -> None:
    """models.json: predictions and probabilities of scikit-learn pipelines on iris, for several splits."""
    import pandas as pd
    from sklearn.metrics import classification_report
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    df = pd.read_csv(sample_path("iris.csv"))
    X = df.drop(columns="variety").to_numpy()
    y = df["variety"].to_numpy()
    pipelines = {
        "standard_scaler | knn k=3": lambda: make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=3)),
        "knn n_neighbors=7 weights=distance": lambda: make_pipeline(KNeighborsClassifier(n_neighbors=7, weights="distance")),
        "min_max_scaler | knn k=5 metric=manhattan": lambda: make_pipeline(MinMaxScaler(), KNeighborsClassifier(n_neighbors=5, metric="manhattan")),
        "gaussian_nb": lambda: make_pipeline(GaussianNB()),
        "standard_scaler | gaussian_nb": lambda: make_pipeline(StandardScaler(), GaussianNB()),
    }
    cases = []
    for text, make in pipelines.items():
        for seed, test, stratify in [(42, 0.2, False), (0, 0.3, True), (7, 0.25, False)]:
            Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=test, random_state=seed, stratify=y if stratify else None)
            model = make().fit(Xtr, ytr)
            cases.append({"pipeline": text, "seed": seed, "test": test, "stratify": stratify,
                          "classes": model.classes_.tolist(), "predicted": model.predict(Xte).tolist(),
                          "probabilities": model.predict_proba(Xte).tolist(), "truth": yte.tolist(),
                          "report": classification_report(yte, model.predict(Xte), zero_division=0)})
    write("models.json", {"sklearn_version": sklearn.__version__, "cases": cases}, f": {len(cases)} cases")


def folds() -> None:
    """folds.json: KFold / StratifiedKFold test folds and cross_val_score of iris pipelines."""
    import pandas as pd
    from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    cases = []
    for y in [[0] * 7 + [1] * 23 + [2] * 3 + [1, 0, 2, 2, 1], [2, 0, 1] * 20, [1] * 5 + [0] * 17]:
        y = np.array(y)
        for k in [2, 3, 5]:
            cases.append({"y": y.tolist(), "folds": k,
                          "kfold": [te.tolist() for _, te in KFold(k).split(y)],
                          "stratified": [te.tolist() for _, te in StratifiedKFold(k).split(np.zeros(len(y)), y)]})
    df = pd.read_csv(sample_path("iris.csv"))
    X, yi = df.drop(columns="variety").to_numpy(), df["variety"].to_numpy()
    scores = {
        "standard_scaler | knn k=3": cross_val_score(make_pipeline(StandardScaler(), KNeighborsClassifier(3)), X, yi, cv=5).tolist(),
        "gaussian_nb": cross_val_score(GaussianNB(), X, yi, cv=5).tolist(),
        "knn k=15 weights=distance": cross_val_score(KNeighborsClassifier(15, weights="distance"), X, yi, cv=4).tolist(),
    }
    write("folds.json", {"cases": cases, "iris_cv": scores})


def logistic() -> None:
    """logistic.json: LogisticRegression probabilities on iris (multinomial) and a binary subset."""
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    df = pd.read_csv(sample_path("iris.csv"))
    cases = []
    for subset in ["all", "binary"]:
        d = df if subset == "all" else df[df.variety != "setosa"]
        X, y = d.drop(columns="variety").to_numpy(), d["variety"].to_numpy()
        for text, make in [("standard_scaler | logistic_regression", lambda: make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10, max_iter=10000))),
                           ("logistic_regression C=0.1", lambda: LogisticRegression(C=0.1, tol=1e-10, max_iter=10000)),
                           ("standard_scaler | logistic_regression C=10", lambda: make_pipeline(StandardScaler(), LogisticRegression(C=10, tol=1e-10, max_iter=10000)))]:
            Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42)
            model = make().fit(Xtr, ytr)
            cases.append({"subset": subset, "pipeline": text, "probabilities": model.predict_proba(Xte).tolist(),
                          "predicted": model.predict(Xte).tolist()})
    write("logistic.json", {"cases": cases})


def regression() -> None:
    """regression.json: linear, ridge and kNN regression on seattle-weather (temp_max from the other numbers)."""
    import pandas as pd
    from sklearn.linear_model import LinearRegression, Ridge
    from sklearn.model_selection import cross_val_score
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    df = pd.read_csv(sample_path("seattle-weather.csv"))
    X, y = df[["precipitation", "temp_min", "wind"]].to_numpy(), df["temp_max"].to_numpy()
    pipelines = {
        "linear_regression": lambda: LinearRegression(),
        "ridge alpha=1": lambda: Ridge(alpha=1.0),
        "standard_scaler | ridge alpha=10": lambda: make_pipeline(StandardScaler(), Ridge(alpha=10.0)),
    }
    cases = []
    for text, make in pipelines.items():
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42)
        model = make().fit(Xtr, ytr)
        cases.append({"pipeline": text, "predicted": model.predict(Xte).tolist(),
                      "cv_r2": cross_val_score(make(), X, y, cv=5).tolist()})
    # kNN on continuous random data: the weather's 0.1-degree values tie at equal distances, and which of the
    # tied rows scikit-learn's tree returns is not defined; here distances never tie.
    rng = np.random.RandomState(5)
    Xr = rng.normal(size=(300, 3)) * [1.0, 5.0, 0.3]
    yr = Xr @ [1.5, -0.2, 4.0] + rng.normal(size=300)
    knn = []
    for text, make in {"standard_scaler | knn k=5": lambda: make_pipeline(StandardScaler(), KNeighborsRegressor(5)),
                       "knn k=7 weights=distance": lambda: KNeighborsRegressor(7, weights="distance"),
                       "knn k=3 metric=manhattan": lambda: KNeighborsRegressor(3, metric="manhattan")}.items():
        Xtr, Xte, ytr, yte = train_test_split(Xr, yr, test_size=0.25, random_state=1)
        knn.append({"pipeline": text, "predicted": make().fit(Xtr, ytr).predict(Xte).tolist()})
    write("regression.json", {"features": ["precipitation", "temp_min", "wind"], "target": "temp_max", "cases": cases,
          "knn": {"X": Xr.tolist(), "y": yr.tolist(), "cases": knn}})


def encoding() -> None:
    """encoding.json: SimpleImputer statistics, and one-hot + scaler + model pipelines on penguins."""
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.RandomState(11)
    X = rng.randint(0, 6, size=(40, 4)).astype(float)
    X[rng.rand(40, 4) < 0.2] = np.nan
    imputers = {s: SimpleImputer(strategy=s).fit(X).statistics_.tolist() for s in ["mean", "median", "most_frequent"]}
    imputers["constant"] = SimpleImputer(strategy="constant", fill_value=-1).fit(X).statistics_.tolist()

    df = pd.read_csv(sample_path("penguins.csv")).dropna(subset=["sex"]).reset_index(drop=True)
    y = df["species"].to_numpy()
    Xdf = df.drop(columns="species")
    num = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"]
    cat = ["island", "sex"]
    cases = []
    for text, est, scale_all in [
            ("one_hot | standard_scaler | logistic_regression", LogisticRegression(tol=1e-10, max_iter=10000), True),
            ("one_hot | standard_scaler | knn k=5", KNeighborsClassifier(5), True),
            # Column routing: scale the numbers only (scikit-learn's ColumnTransformer).
            ("standard_scaler columns=number | knn k=5", KNeighborsClassifier(5), False),
            ("standard_scaler columns=bill_length_mm,flipper_length_mm | knn k=3", KNeighborsClassifier(3), "some")]:
        if scale_all is True:
            ct = ColumnTransformer([("num", "passthrough", num), ("cat", OneHotEncoder(handle_unknown="ignore"), cat)])
            model = make_pipeline(ct, StandardScaler(), est)
        elif scale_all is False:
            ct = ColumnTransformer([("num", StandardScaler(), num), ("cat", OneHotEncoder(handle_unknown="ignore"), cat)])
            model = make_pipeline(ct, est)
        else:
            some = ["bill_length_mm", "flipper_length_mm"]
            ct = ColumnTransformer([("some", StandardScaler(), some), ("rest", "passthrough", [c for c in num if c not in some]),
                                    ("cat", OneHotEncoder(handle_unknown="ignore"), cat)])
            model = make_pipeline(ct, est)
        Xtr, Xte, ytr, yte = train_test_split(Xdf, y, test_size=0.25, random_state=3)
        model.fit(Xtr, ytr)
        cases.append({"pipeline": text, "predicted": model.predict(Xte).tolist(), "probabilities": model.predict_proba(Xte).tolist()})
    write("encoding.json", {"imputer_X": np.where(np.isnan(X), None, X).tolist(), "imputers": imputers, "penguins": cases})


def trees() -> None:
    """trees.json: accuracy / R² of scikit-learn's trees and forests on fixed splits (Petal must come within a
    couple of points; trees are not expected to match split for split)."""
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
                                  RandomForestRegressor)
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    iris = pd.read_csv(sample_path("iris.csv"))
    peng = pd.read_csv(sample_path("penguins.csv")).dropna().reset_index(drop=True)
    weather = pd.read_csv(sample_path("seattle-weather.csv"))
    out = []
    for name, df, target, seed, test in [("iris", iris, "variety", 42, 0.2), ("penguins", peng, "species", 3, 0.25)]:
        X, y = df.drop(columns=target), df[target]
        cat = [c for c in X.columns if X[c].dtype == object or str(X[c].dtype) == "str"]
        ct = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), cat)], remainder="passthrough")
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=test, random_state=seed)
        for text, est in [("decision_tree", DecisionTreeClassifier(random_state=0)),
                          ("decision_tree max_depth=3", DecisionTreeClassifier(max_depth=3, random_state=0)),
                          ("random_forest trees=200 max_depth=6", RandomForestClassifier(n_estimators=200, max_depth=6, random_state=0)),
                          ("gradient_boosting", GradientBoostingClassifier(random_state=0))]:
            score = make_pipeline(ct, est).fit(Xtr, ytr).score(Xte, yte)
            out.append({"data": name, "target": target, "seed": seed, "test": test, "pipeline": text, "score": score})
    X, y = weather[["precipitation", "temp_min", "wind"]], weather["temp_max"]
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42)
    for text, est in [("decision_tree max_depth=6", DecisionTreeRegressor(max_depth=6, random_state=0)),
                      ("random_forest trees=100 min_samples_leaf=5", RandomForestRegressor(n_estimators=100, min_samples_leaf=5, random_state=0)),
                      ("gradient_boosting", GradientBoostingRegressor(random_state=0))]:
        out.append({"data": "weather", "target": "temp_max", "seed": 42, "test": 0.2, "pipeline": text, "score": est.fit(Xtr, ytr).score(Xte, yte)})
    write("trees.json", {"cases": out})


def probability_metrics() -> None:
    """probability.json: roc_auc_score (binary and ovr) and log_loss on seeded probabilities with ties."""
    from sklearn.metrics import log_loss, roc_auc_score
    rng = np.random.RandomState(21)
    cases = []
    for k, n in [(2, 40), (3, 60), (4, 100)]:
        y = rng.randint(0, k, size=n)
        # Eighths: exact in binary (so JSON readers cannot blur ties), with many ties, rows summing to 1.
        raw = rng.multinomial(6, [1.0 / k] * k, size=n) + np.eye(k, dtype=int)[y] * 2
        p = raw / 8.0
        auc = roc_auc_score(y, p[:, 1]) if k == 2 else roc_auc_score(y, p, multi_class="ovr")
        cases.append({"truth": y.tolist(), "probabilities": p.tolist(), "roc_auc": auc, "log_loss": log_loss(y, p)})
    write("probability.json", {"cases": cases})


def transforms() -> None:
    """transforms.json: RobustScaler, PowerTransformer (yeo-johnson) and KBinsDiscretizer on penguins' numbers."""
    import inspect

    import pandas as pd
    from sklearn.preprocessing import KBinsDiscretizer, PowerTransformer, RobustScaler

    df = pd.read_csv(sample_path("penguins.csv")).dropna()
    cols = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    X = df[cols].to_numpy(dtype=float)
    kb = {}
    extra = {"quantile_method": "linear"} if "quantile_method" in inspect.signature(KBinsDiscretizer).parameters else {}
    for strategy in ["uniform", "quantile"]:
        kwargs = extra if strategy == "quantile" else {}
        kb[strategy] = KBinsDiscretizer(n_bins=4, encode="ordinal", strategy=strategy, **kwargs).fit_transform(X).tolist()
    pt = PowerTransformer(method="yeo-johnson")
    out = {"columns": cols, "X": X.tolist(), "robust": RobustScaler().fit_transform(X).tolist(),
           "yeo_johnson": pt.fit_transform(X).tolist(), "lambdas": pt.lambdas_.tolist(), "kbins": kb}
    write("transforms.json", out)


if __name__ == "__main__":
    main()
    metrics()
    models()
    folds()
    logistic()
    regression()
    encoding()
    trees()
    probability_metrics()
    transforms()
