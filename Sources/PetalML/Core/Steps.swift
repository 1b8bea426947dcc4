import PetalData

/// Every step Petal knows, one line each: the registry that parsing, help, completion, search, model files
/// and the conformance battery read. Adding a family is one file and one line here (see docs/ARCHITECTURE.md).
public enum Steps {
    public static let all: [StepEntry] = [
        // Encodings (the feature schema does the work).
        StepEntry(OneHotEncoder.self),
        StepEntry(OrdinalEncoder.self),
        StepEntry(FeatureCross.self),
        StepEntry(DropColumns.self),
        // Transforms.
        StepEntry(SimpleImputer.self),
        StepEntry(StandardScaler.self),
        StepEntry(MinMaxScaler.self),
        StepEntry(RobustScaler.self),
        StepEntry(PowerTransform.self),
        StepEntry(KBins.self),
        StepEntry(PCA.self),
        // Estimators.
        StepEntry(KNeighbors.self),
        StepEntry(GaussianNB.self),
        StepEntry(LogisticRegression.self),
        StepEntry(SVM.self),
        StepEntry(LinearRegression.self),
        StepEntry(Ridge.self),
        StepEntry(Lasso.self),
        StepEntry(ElasticNet.self),
        StepEntry(MultinomialNB.self),
        StepEntry(BernoulliNB.self),
        StepEntry(LinearDiscriminantAnalysis.self),
        StepEntry(DecisionTree.self),
        StepEntry(RandomForest.self),
        StepEntry(GradientBoosting.self),
        StepEntry(ExtraTrees.self),
        StepEntry(AdaBoost.self),
        StepEntry(DBSCAN.self),
        StepEntry(GaussianMixture.self),
        StepEntry(HistGradientBoosting.self),
        StepEntry(MLP.self),
        StepEntry(KMeans.self),
    ]

    /// Steps the design names that are not built yet (so the error can say so rather than "unknown").
    public static let planned: [String] = []

    /// The step called `name`.
    public static func entry(named name: String) -> StepEntry? { all.first { $0.name == name } }

    /// Fitted kinds that are not a step's own: the column-routing wrapper.
    static let coreKinds: [FittedKind] = [FittedKind(SubsetTransform.self)]

    /// Every current fitted kind, by name (each unique: the conformance battery checks it).
    static let fittedKinds: [String: FittedKind] = {
        var out: [String: FittedKind] = [:]
        for kind in coreKinds + all.flatMap(\.fittedKinds) where out[kind.kind] == nil { out[kind.kind] = kind }
        return out
    }()

    /// The error for a name that is no step: planned, or unknown with a did-you-mean.
    static func unknown(_ name: String) -> PetalError {
        if planned.contains(name) {
            return PetalError("the step \(name) is not built yet", hint: "available now: " + all.map(\.name).joined(separator: ", "))
        }
        let names = all.map(\.name) + planned
        let close = names.min { Levenshtein.distance($0, name) < Levenshtein.distance($1, name) }
        return PetalError("unknown step \"\(name)\"", hint: close.flatMap { Levenshtein.distance($0, name) <= 3 ? "did you mean \($0)?" : nil }
                         ?? "steps: " + all.map(\.name).joined(separator: ", "))
    }
}

/// One registered step: what help, completion and search show, and how to make and read it. Built from the
/// recipe type (`StepEntry(KNeighbors.self)`), so nothing here is written twice.
public struct StepEntry: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [ParameterDescriptor]
    public let role: StepRole
    public let handlesMissing: Bool
    /// The feature scale it needs (`StepRecipe.featureScaling`).
    public let featureScaling: FeatureScaling
    let fittedKinds: [FittedKind]
    let legacyFittedKinds: [FittedKind]
    let make: @Sendable (ParameterValues) -> any StepRecipe
    let decodeSettings: @Sendable (Decoder) throws -> any StepRecipe

    public init<R: StepRecipe>(_ type: R.Type) {
        name = R.name; summary = R.summary; parameters = R.parameters; role = R.role; handlesMissing = R.handlesMissing; featureScaling = R.featureScaling
        fittedKinds = R.fittedKinds; legacyFittedKinds = R.legacyFittedKinds
        make = { R($0) }
        decodeSettings = { try R(from: $0) }
    }

    public var isEstimator: Bool { if case .estimator = role { return true } else { return false } }

    /// The tasks it can do when it ends a pipeline (none for transforms).
    public var tasks: Set<LearningTask> { if case .estimator(let t) = role { return t } else { return [] } }

    /// The parameter `key` answers to (its name or an alias).
    public func parameter(_ key: String) -> ParameterDescriptor? { parameters.first { $0.answers(to: key) } }
}
