#!/usr/bin/env bash
# Bundles written by Petal 0.6.0 (the last release with the closed Step/FittedStep enums), one per fitted step
# kind, with each bundle's predictions by that release on the sample it was trained on. Kept so that later
# releases prove they still load and answer the same (Tests/PetalBundleTests/LegacyBundleTests.swift).
# Made once with the 0.6.0 binary: PETAL=/path/to/petal-0.6.0 bash make.sh (from this folder).
set -euo pipefail
cd "$(dirname "$0")"
PETAL=${PETAL:?the 0.6.0 petal binary}
S=../../../samples
rm -rf ./*/ .petal
make() { # name dataset target pipeline
  local name=$1 data=$2 target=$3 pipeline=$4 t=""
  [ -n "$target" ] && t="target=$target"
  # Rows whose target is missing are left out of training (they are still scored below).
  local keep=""
  [ -n "$target" ] && keep="filter d $target is not null as d;"
  "$PETAL" exec "open $S/$data.csv as d; $keep pipeline p = $pipeline; fit p on d $t test=0.25 seed=7; export p to $name" >/dev/null
  "$PETAL" predict "$name" "$S/$data.csv" -o "$name.predictions.csv" >/dev/null
}
make knn_classifier iris variety "standard_scaler | knn k=3"
make gaussian_nb iris variety "min_max_scaler | gaussian_nb"
make logistic_regression iris variety "imputer | robust_scaler | logistic_regression C=0.5"
make decision_tree iris variety "power_transform | bins n_bins=4 strategy=uniform | decision_tree max_depth=3"
make random_forest iris variety "standard_scaler columns=sepal_length,petal_length | random_forest trees=5 seed=1"
make gradient_boosting iris variety "power_transform method=log | gradient_boosting trees=5"
make kmeans iris "" "standard_scaler | kmeans k=3"
make one_hot penguins species "one_hot | imputer | standard_scaler | logistic_regression"
make schema_steps penguins species "ordinal columns=island | feature_cross columns=island,sex | drop columns=year | imputer strategy=median | random_forest trees=3"
make linear_regression penguins body_mass_g "imputer | linear_regression"
make ridge penguins body_mass_g "imputer strategy=most_frequent | ridge alpha=2"
make knn_regressor penguins body_mass_g "imputer | standard_scaler | knn k=4 weights=distance"
make tree_regressor penguins body_mass_g "imputer | decision_tree max_depth=4"
make boosting_regressor penguins body_mass_g "imputer | gradient_boosting trees=4"
make forest_regressor penguins body_mass_g "imputer | random_forest trees=3 seed=2"
make binary_boosting penguins sex "imputer | gradient_boosting trees=3"
rm -rf .petal
