#!/usr/bin/env bash
# Bundles of tree models in model format 1 (every node's values written flat with `width`, `left` always written),
# the shape Petal wrote before format 2 kept leaf values only. Each comes with its predictions by the Petal that
# wrote it, on the sample it was trained on, so later releases prove they still load and answer the same
# (Tests/PetalBundleTests/LegacyBundleTests.swift). Made once with a format-1 binary (main at bc482e8's tree code):
# PETAL=/path/to/petal bash make.sh (from this folder). Never re-made: they stand for files users already have.
set -euo pipefail
cd "$(dirname "$0")"
PETAL=${PETAL:?a petal binary that writes model format 1}
S=../../../samples
rm -rf ./*/ .petal
export PETAL_HOME="$PWD/.petal"
make() { # name dataset target pipeline
  local name=$1 data=$2 target=$3 pipeline=$4
  "$PETAL" exec "open $S/$data.csv as d; filter d $target is not null as d; pipeline p = $pipeline; fit p on d target=$target test=0.25 seed=7; export p to $name" >/dev/null
  "$PETAL" predict "$name" "$S/$data.csv" -o "$name.predictions.csv" >/dev/null
}
make extra_trees iris variety "extra_trees trees=4 seed=3"
make extra_trees_regressor penguins body_mass_g "imputer | extra_trees trees=3 max_depth=6 seed=1"
make random_forest_depth iris variety "random_forest trees=3 max_depth=4 seed=2"
make ada_boost penguins sex "imputer | ada_boost n_estimators=4"
make hist_gradient_boosting iris variety "hist_gradient_boosting max_iter=3"
rm -rf .petal
