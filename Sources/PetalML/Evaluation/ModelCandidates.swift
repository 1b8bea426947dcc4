import PetalData

/// A pipeline a model comparison tries: one family with the preprocessing it needs.
public struct ModelCandidate: Sendable {
    /// The estimator's step name (`random_forest`).
    public var family: String
    public var pipeline: Pipeline
    /// The steps before the estimator, by name (`imputer`, `one_hot`, `standard_scaler`).
    public var preprocessing: [String] { pipeline.steps.dropLast().map(\.name) }
}

/// The candidates of `leaderboard` and `automl`, derived from the step registry rather than a list of names:
/// every estimator whose declared `tasks` include the target's task, each preceded by what its declared
/// properties ask for — an imputer when the data has missing values and the family does not `handlesMissing`,
/// `one_hot` when there are text columns (the schema encodes them; the step makes it explicit), and the scaler
/// for its declared `featureScaling`. A family added to `Steps.all` is a new candidate with no edit here.
public enum ModelCandidates {
    /// What the data asks of every candidate.
    public struct DataTraits: Sendable, Hashable {
        public var hasMissing: Bool
        public var hasText: Bool
        public init(hasMissing: Bool, hasText: Bool) { self.hasMissing = hasMissing; self.hasText = hasText }
    }

    /// Every estimator of `registry` that does `task`, with its default parameters and its preprocessing.
    /// - Parameters:
    ///   - families: only these (step names), in registry order; nil for all.
    ///   - exclude: leave these out.
    /// - Throws: a name that is no estimator for `task` (with a did-you-mean), or nothing left.
    public static func derive(task: LearningTask, traits: DataTraits, families: [String]? = nil, exclude: [String] = [],
                              registry: [StepEntry] = Steps.all) throws -> [ModelCandidate] {
        let fitting = registry.filter { $0.isEstimator && $0.tasks.contains(task) }
        for name in (families ?? []) + exclude where !fitting.contains(where: { $0.name == name }) {
            if let entry = registry.first(where: { $0.name == name }) {
                throw PetalError("\(name) cannot do \(task.rawValue)", hint: entry.isEstimator
                                ? "it does " + entry.tasks.map(\.rawValue).sorted().joined(separator: " and ")
                                : "it is a transform; the candidates get the preprocessing they need")
            }
            let close = fitting.map(\.name).min { Levenshtein.distance($0, name) < Levenshtein.distance($1, name) }
            throw PetalError("no estimator is called \"\(name)\"", hint: close.flatMap { Levenshtein.distance($0, name) <= 3 ? "did you mean \($0)?" : nil }
                            ?? "estimators for \(task.rawValue): " + fitting.map(\.name).joined(separator: ", "))
        }
        let chosen = fitting.filter { e in (families.map { $0.contains(e.name) } ?? true) && !exclude.contains(e.name) }
        guard !chosen.isEmpty else { throw PetalError("no family is left to compare", hint: "check families= and exclude=") }
        return try chosen.map { entry in
            ModelCandidate(family: entry.name, pipeline: try Pipeline(steps: preprocessing(for: entry, traits: traits) + [Step(entry.make(ParameterValues()))]))
        }
    }

    /// The steps `entry` needs before it on data with `traits`.
    public static func preprocessing(for entry: StepEntry, traits: DataTraits) throws -> [Step] {
        var names: [String] = []
        if traits.hasMissing && !entry.handlesMissing { names.append(SimpleImputer.name) }
        if traits.hasText { names.append(OneHotEncoder.name) }
        if let scaler = entry.featureScaling.scalers.first { names.append(scaler) }
        return try names.map { try Step(name: $0, parameters: []) }
    }

    /// The traits of a feature matrix (missing values) and its schema (text columns encoded).
    public static func traits(x: Matrix, schema: FeatureSchema) -> DataTraits {
        DataTraits(hasMissing: NaNScan.any(x.values), hasText: schema.inputs.contains { if case .number = $0 { return false } else { return true } })
    }
}

extension FeatureScaling {
    /// The scalers that give this scale, the usual one first (`leaderboard` uses it; `automl` tries them all).
    public var scalers: [String] {
        switch self {
        case .any: return []
        case .standard: return [StandardScaler.name, RobustScaler.name, PowerTransform.name]
        case .unitRange: return [MinMaxScaler.name]
        }
    }
}
