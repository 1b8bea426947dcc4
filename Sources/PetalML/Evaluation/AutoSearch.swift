import PetalData

/// One pipeline `automl` tried: a family, its preprocessing and hyperparameters, and its scores on the folds it
/// reached before successive halving dropped it (or all of them).
public struct AutoTrial: Sendable {
    public var number: Int
    public var family: String
    public var pipeline: Pipeline
    /// Scores on the first `foldsScored` folds of the plan (the metric per fold, timings).
    public var scores: FoldScores
    public var foldsScored: Int
    /// 0 for the warm start (every family at its defaults); 1, 2, … for the sampled brackets.
    public var bracket: Int
    /// True when it was scored on every fold (only those can be the answer).
    public var complete: Bool
}

/// `automl`'s search: successive halving over preprocessing × family × hyperparameters within a time budget.
///
/// Bracket 0 is the warm start: every family of the registry that fits the task, at its defaults with the
/// preprocessing it declares (`ModelCandidates`), scored on one fold; the best third go on to more folds, the best
/// of those to all of them. Each later bracket samples new pipelines — families weighted by their rank in bracket 0,
/// hyperparameters from their declared `search` ranges (`ParameterDescriptor.search`), the scaler among those that
/// fit the family's declared `featureScaling`, the imputer's strategy when there are missing values — and halves them
/// the same way. Promotion keeps a fold's score, so a rung only scores the new folds. The budget is checked before
/// every piece of work and caps it (`WorkBudget.cap`); the answer is the best pipeline scored on every fold.
public struct AutoSearch {
    public let plan: FoldPlan
    public let metric: ScoreMetric
    public let budget: WorkBudget
    public let seed: Int
    public let traits: ModelCandidates.DataTraits
    /// Pipelines sampled per bracket, and the share kept at each rung.
    public var sampledPerBracket = 9
    public var keep = 3
    /// The folds each rung scores (the last is every fold of the plan).
    public var rungs: [Int]

    public init(plan: FoldPlan, metric: ScoreMetric, budget: WorkBudget, seed: Int) {
        self.plan = plan; self.metric = metric; self.budget = budget; self.seed = seed
        traits = ModelCandidates.traits(x: plan.x, schema: plan.schema)
        let k = plan.folds.count
        rungs = Array(Set([1, min(3, k), k])).sorted()
    }

    /// Runs until the budget is spent, `control` is cancelled, or `maxBrackets` brackets are done.
    /// - Parameters:
    ///   - families: the warm start's candidates (defaults); nil for every family of the registry.
    ///   - report: told of every trial once it leaves the search (dropped at a rung, or scored on every fold).
    /// - Returns: every trial, in the order they left the search.
    public func run(candidates: [ModelCandidate], control: LoadControl? = nil, maxBrackets: Int = 10_000,
                    report: (AutoTrial) -> Void) -> [AutoTrial] {
        var rng = NumpyRandomState(seed: UInt32(truncatingIfNeeded: seed))
        var trials: [AutoTrial] = []
        var number = 0
        var pool = candidates.map { c -> AutoTrial in
            number += 1
            return AutoTrial(number: number, family: c.family, pipeline: c.pipeline, scores: FoldScores(), foldsScored: 0, bracket: 0, complete: false)
        }
        var familyRank: [String] = []
        var bracket = 0
        while bracket < maxBrackets && !budget.isSpent && control?.isCancelled != true {
            if bracket > 0 {
                pool = (0..<sampledPerBracket).compactMap { _ in
                    guard let sampled = sample(familyRank: familyRank, rng: &rng) else { return nil }
                    number += 1
                    return AutoTrial(number: number, family: sampled.family, pipeline: sampled.pipeline, scores: FoldScores(), foldsScored: 0,
                                     bracket: bracket, complete: false)
                }
                if pool.isEmpty { break }
            }
            for (r, folds) in rungs.enumerated() {
                // The warm start's first rung gives each family an equal share of half the budget, so a family
                // too slow for it is dropped rather than eating the search.
                let share = bracket == 0 && r == 0 ? budget.seconds / 2 / Double(max(1, pool.count)) : nil
                for i in pool.indices {
                    guard !budget.isSpent, control?.isCancelled != true else { break }
                    pool[i] = extend(pool[i], to: folds, control: control, share: share)
                }
                let scored = pool.filter { $0.foldsScored == folds && $0.scores.ok }
                var ranked = scored.sorted { metric.better($0.scores.mean(metric), than: $1.scores.mean(metric)) }
                if bracket == 0 && r == 0 { familyRank = ranked.map(\.family) }
                let last = r == rungs.count - 1
                let kept = last ? ranked.count : max(1, (scored.count + keep - 1) / keep)
                for t in pool where !ranked.prefix(kept).contains(where: { $0.number == t.number }) {
                    var out = t
                    out.complete = false
                    trials.append(out); report(out)
                }
                ranked = Array(ranked.prefix(kept))
                if last {
                    for t in ranked { var out = t; out.complete = true; trials.append(out); report(out) }
                }
                pool = ranked
                if pool.isEmpty || budget.isSpent || control?.isCancelled == true { break }
            }
            // Trials still in the pool when the budget ran out leave with the folds they have.
            for t in pool where !trials.contains(where: { $0.number == t.number }) { trials.append(t); report(t) }
            bracket += 1
        }
        return trials
    }

    /// The best trial scored on every fold; when the budget ran out before any was, the best of those scored on
    /// the most folds (the output says on how many).
    public func best(of trials: [AutoTrial]) -> AutoTrial? {
        let scored = trials.filter { $0.scores.ok && $0.foldsScored > 0 }
        guard let most = scored.map(\.foldsScored).max() else { return nil }
        return scored.filter { $0.foldsScored == most }.min { a, b in
            let (ma, mb) = (a.scores.mean(metric), b.scores.mean(metric))
            return ma != mb ? metric.better(ma, than: mb) : a.number < b.number
        }
    }

    /// `trial` scored on its first `folds` folds (only the new ones are fitted), within what is left of the budget
    /// and at most `share` seconds.
    func extend(_ trial: AutoTrial, to folds: Int, control: LoadControl?, share: Double? = nil) -> AutoTrial {
        guard trial.foldsScored < folds, trial.scores.ok || trial.foldsScored == 0 else { return trial }
        let new = Array(plan.folds[trial.foldsScored..<folds])
        let cap = budget.cap.map { c in share.map { min(c, $0) } ?? c }
        let scores = FoldPlan(plan, folds: new).score(trial.pipeline, control: control, seconds: cap)
        budget.charge(fits: new.count)
        var out = trial
        guard scores.ok else { out.scores.problem = scores.problem; return out }
        var merged = trial.scores
        for (m, v) in scores.metrics { merged.metrics[m, default: []] += v }
        merged.fitSeconds += scores.fitSeconds
        merged.predictSecondsPerRow = scores.predictSecondsPerRow
        merged.modelBytes = merged.modelBytes ?? scores.modelBytes
        out.scores = merged
        out.foldsScored = folds
        return out
    }

    /// A new pipeline: a family drawn with weight by its warm-start rank (the best four; 4, 3, 2, 1), its
    /// hyperparameters from their declared search ranges, its preprocessing from its declared needs.
    func sample(familyRank: [String], rng: inout NumpyRandomState) -> ModelCandidate? {
        let top = Array(familyRank.prefix(4))
        guard !top.isEmpty else { return nil }
        let weights = top.indices.map { top.count - $0 }
        var pick = rng.interval(weights.reduce(0, +) - 1)
        var family = top[0]
        for (i, w) in weights.enumerated() { if pick < w { family = top[i]; break }; pick -= w }
        guard let entry = Steps.entry(named: family) else { return nil }
        var params: [(String, String)] = entry.parameters.compactMap { d in d.search.map { (d.name, $0.sample(&rng)) } }
        if let seedParam = entry.parameters.first(where: { $0.name == "random_state" }) { params.append((seedParam.name, String(seed))) }
        var steps: [Step] = []
        do {
            if traits.hasMissing && !entry.handlesMissing {
                steps.append(try Step(name: SimpleImputer.name, parameters: [("strategy", rng.interval(1) == 0 ? "mean" : "median")]))
            }
            if traits.hasText { steps.append(try Step(name: OneHotEncoder.name, parameters: [])) }
            let scalers = entry.featureScaling.scalers
            if !scalers.isEmpty { steps.append(try Step(name: scalers[rng.interval(scalers.count - 1)], parameters: [])) }
            steps.append(try Step(name: family, parameters: params))
            return ModelCandidate(family: family, pipeline: try Pipeline(steps: steps))
        } catch {
            return nil
        }
    }
}
