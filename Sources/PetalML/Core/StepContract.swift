import PetalData

/// What a step does in a pipeline.
public enum StepRole: Sendable, Hashable {
    /// Learns per-feature values on the training rows and changes the feature matrix (scalers, imputers).
    case transform
    /// Tells the feature schema how to encode input columns (`one_hot`, `ordinal`, `feature_cross`, `drop`);
    /// its fitted form changes nothing in the matrix.
    case encoding
    /// Ends a pipeline and learns to predict, for these tasks.
    case estimator(Set<LearningTask>)
}

/// The feature scale an estimator is declared to need (see `StepRecipe.featureScaling`).
public enum FeatureScaling: String, Sendable, Hashable {
    /// Any scale: splits on thresholds or per-feature likelihoods do not change when a feature is rescaled.
    case any
    /// Zero mean and unit variance (`standard_scaler`): distances, margins, penalties and gradient steps.
    case standard
    /// Within 0…1 on the training rows (`min_max_scaler`): estimators that need non-negative features.
    case unitRange
}

/// A step's recipe: hyperparameters only, no learned state (scikit-learn's unfitted estimator). Construction
/// stores the checked values and does no work; `fit` makes a separate fitted type, so an unfitted model cannot
/// exist. Each family is one file: its recipe, its fitted model(s) and its parameters, declared once as `Param`s.
public protocol StepRecipe: Sendable, Codable {
    /// The step's name in the command language (`knn`).
    static var name: String { get }
    /// One line for `pipeline` help and `help STEP`.
    static var summary: String { get }
    /// Every hyperparameter, in the order help and tracking list them.
    static var parameters: [ParameterDescriptor] { get }
    static var role: StepRole { get }
    /// True for a step that fills or tolerates missing values, so NaN may reach the steps after it.
    static var handlesMissing: Bool { get }
    /// The feature scale an estimator needs to do well (distance-, margin- and gradient-based families want
    /// standardised features, multinomial naive Bayes non-negative ones); `leaderboard` and `automl` put the
    /// matching scaler before it. Transforms and scale-free families (trees, Gaussian naive Bayes) say `.any`.
    static var featureScaling: FeatureScaling { get }
    /// The fitted model kinds this step makes, for decoding model files.
    static var fittedKinds: [FittedKind] { get }
    /// Kinds Petal 0.6.0 shared between several steps (`trees`, `linear`, `schema_encoding`): resolved through
    /// the recipe when a model file is read.
    static var legacyFittedKinds: [FittedKind] { get }
    /// The checked parameter values (scikit-learn's names, canonical text).
    var values: ParameterValues { get }
    init(_ values: ParameterValues)
    /// Itself as the recipe of each role, or nil. Answered through the witness table, never by a dynamic cast:
    /// `recipe as? any TransformRecipe` scans every protocol conformance in the binary the first time it meets a
    /// type (~0.1 ms each, ~4 ms of every `fit` command). The protocol extensions below give every step its answer.
    var asTransformRecipe: (any TransformRecipe)? { get }
    var asEncodingRecipe: (any EncodingRecipe)? { get }
    var asEstimatorRecipe: (any EstimatorRecipe)? { get }
    var asSupervisedTransformRecipe: (any SupervisedTransformRecipe)? { get }
}

extension StepRecipe {
    public var asTransformRecipe: (any TransformRecipe)? { nil }
    public var asEncodingRecipe: (any EncodingRecipe)? { nil }
    public var asEstimatorRecipe: (any EstimatorRecipe)? { nil }
    public var asSupervisedTransformRecipe: (any SupervisedTransformRecipe)? { nil }
    public static var handlesMissing: Bool { false }
    public static var featureScaling: FeatureScaling { .any }
    public static var legacyFittedKinds: [FittedKind] { [] }
    public var name: String { Self.name }

    /// The typed value of one of this step's parameters.
    public subscript<V>(_ param: Param<V>) -> V { values[param] }

    /// The recipe from its settings in a model file: scikit-learn's names, or where Petal 0.6.0 wrote them.
    public init(from decoder: Decoder) throws {
        self.init(try ParameterCoding.decode(decoder, descriptors: Self.parameters, step: Self.name))
    }

    /// Settings as `{"n_neighbors": 3, …}`: the parameters the recipe was given, under scikit-learn's names.
    public func encode(to encoder: Encoder) throws {
        try ParameterCoding.encode(values, descriptors: Self.parameters, to: encoder)
    }
}

/// A transform recipe: fitted on the training rows, applied to any rows.
public protocol TransformRecipe: StepRecipe {
    func fit(_ x: Matrix) throws -> any FittedTransform
}

extension TransformRecipe {
    public static var role: StepRole { .transform }
    public var asTransformRecipe: (any TransformRecipe)? { self }
}

/// A step that only directs how the feature schema encodes columns.
public protocol EncodingRecipe: StepRecipe {
    /// Adds this step's request (columns routed with `columns=`) to `directives`.
    /// - Throws: when the step needs `columns=` and was not given it, or was given the wrong kind.
    func direct(_ directives: inout EncodingDirectives, selection: ColumnSelection?, textColumns: [String]) throws
}

extension EncodingRecipe {
    public static var role: StepRole { .encoding }
    public var asEncodingRecipe: (any EncodingRecipe)? { self }
    public static var fittedKinds: [FittedKind] { [FittedKind(SchemaEncoded<Self>.self)] }
    public static var legacyFittedKinds: [FittedKind] { [FittedKind(SchemaEncoded<Self>.self, kind: "schema_encoding")] }
    public func fit() -> any FittedTransform { SchemaEncoded<Self>() }
}

/// What an estimator's `fit` is given besides the features.
public struct FitContext: Sendable {
    /// The number of classes (`schema.classes.count`), 0 for regression and clustering.
    public var classCount: Int
    /// Progress and cancel for long fits.
    public var control: LoadControl?
    public init(classCount: Int, control: LoadControl? = nil) { self.classCount = classCount; self.control = control }
}

/// An estimator recipe: ends a pipeline; `fit` learns from the (transformed) features and the target.
public protocol EstimatorRecipe: StepRecipe {
    /// The tasks it can do when it ends a pipeline.
    static var tasks: Set<LearningTask> { get }
    /// - Throws: a `PetalError` saying what does not fit (too few rows for k, no convergence, a cancel).
    func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator
}

extension EstimatorRecipe {
    public static var role: StepRole { .estimator(tasks) }
    public var asEstimatorRecipe: (any EstimatorRecipe)? { self }
}

/// A fitted step: learned values only, immutable, Codable as a flat object with its `kind`.
public protocol FittedModel: Sendable, Codable, Hashable {
    /// The stable name written in model files (the file format: never rename one).
    static var kind: String { get }
    /// Checks decoded data: every size and index a prediction will use, for `width` input features and
    /// `classes` class labels (0 for regression and clustering).
    /// - Throws: a `PetalError` naming what does not fit.
    func validate(width: Int, classes: Int) throws
    /// Itself as a fitted transform, estimator, learned summary or tree importances, or nil: through the witness
    /// table, not a dynamic cast (see `StepRecipe.asTransformRecipe`).
    var asTransform: (any FittedTransform)? { get }
    var asEstimator: (any FittedEstimator)? { get }
    var asLearnedSummary: (any LearnedSummary)? { get }
    var asImpurityImportances: (any ImpurityImportances)? { get }
}

extension FittedModel {
    public var asTransform: (any FittedTransform)? { nil }
    public var asEstimator: (any FittedEstimator)? { nil }
    public var asLearnedSummary: (any LearnedSummary)? { nil }
    public var asImpurityImportances: (any ImpurityImportances)? { nil }
}

extension FittedModel where Self: LearnedSummary {
    public var asLearnedSummary: (any LearnedSummary)? { self }
}

extension FittedModel where Self: ImpurityImportances {
    public var asImpurityImportances: (any ImpurityImportances)? { self }
}

/// A fitted transform: rows in, the same rows out (usually the same columns; a projection such as PCA makes fewer).
public protocol FittedTransform: FittedModel {
    func transform(_ x: Matrix) -> Matrix
    /// `x = transform(x)`, writing over x's values when the transform keeps the width and x holds the only
    /// reference to them (a fit's training matrix: no new matrix of the same size; otherwise Swift copies first).
    func transform(replacing x: inout Matrix)
    /// The number of columns `transform` makes from `inputWidth` columns.
    func outputWidth(_ inputWidth: Int) -> Int
}

extension FittedTransform {
    public var asTransform: (any FittedTransform)? { self }
    public func outputWidth(_ inputWidth: Int) -> Int { inputWidth }
    public func transform(replacing x: inout Matrix) { x = transform(x) }
}

/// An estimator that can also stand before the end of a pipeline as a transform learned with the target (LDA's
/// projection onto its discriminant directions).
public protocol SupervisedTransformRecipe: EstimatorRecipe {
    func fitTransform(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedTransform
}

extension SupervisedTransformRecipe {
    public var asSupervisedTransformRecipe: (any SupervisedTransformRecipe)? { self }
}

/// A fitted estimator.
public protocol FittedEstimator: FittedModel {
    /// What it predicts: classes, numbers or clusters.
    var task: LearningTask { get }
    /// Itself as a classifier, regressor, clusterer or staged estimator, or nil (see `FittedModel.asTransform`).
    var asClassifier: (any FittedClassifier)? { get }
    var asRegressor: (any FittedRegressor)? { get }
    var asClusterer: (any FittedClusterer)? { get }
    var asStaged: (any StagedEstimator)? { get }
}

extension FittedEstimator {
    public var asEstimator: (any FittedEstimator)? { self }
    public var asClassifier: (any FittedClassifier)? { nil }
    public var asRegressor: (any FittedRegressor)? { nil }
    public var asClusterer: (any FittedClusterer)? { nil }
    public var asStaged: (any StagedEstimator)? { nil }
}

extension FittedEstimator where Self: StagedEstimator {
    public var asStaged: (any StagedEstimator)? { self }
}

/// Class probabilities, columns in class-code order.
public protocol FittedClassifier: FittedEstimator {
    func predictProba(_ x: Matrix) -> Matrix
    /// Itself as a labeller, or nil (see `FittedModel.asTransform`).
    var asLabeller: (any FittedLabeller)? { get }
}

extension FittedClassifier {
    public var asClassifier: (any FittedClassifier)? { self }
    public var asLabeller: (any FittedLabeller)? { nil }
}

/// A classifier whose labels come from its own decision rule rather than the most probable class: a support
/// vector machine votes one-vs-one on its decision values, and its Platt-scaled probabilities (fitted apart
/// from the votes) can favour another class near a boundary. `FittedPipeline.predict`, bundles and `petal serve`
/// take such a classifier's labels from `predictCodes`, as scikit-learn's `predict` does.
public protocol FittedLabeller: FittedClassifier {
    /// Class codes, one per row.
    func predictCodes(_ x: Matrix) -> [Int]
}

extension FittedLabeller {
    public var asLabeller: (any FittedLabeller)? { self }
}

/// Numbers.
public protocol FittedRegressor: FittedEstimator {
    func predictValues(_ x: Matrix) -> [Double]
}

extension FittedRegressor {
    public var asRegressor: (any FittedRegressor)? { self }
}

/// Clusters: the nearest cluster of each row and a squared distance to it.
public protocol FittedClusterer: FittedEstimator {
    func assign(_ x: Matrix) -> (labels: [Int], distances: [Double])
}

extension FittedClusterer {
    public var asClusterer: (any FittedClusterer)? { self }
}

/// Learned numbers worth showing in `report` (a PCA's explained variance), by name.
public protocol LearnedSummary {
    var learnedSummary: [(name: String, values: [Double])] { get }
}

/// Impurity-based feature importance (trees and ensembles of trees).
public protocol ImpurityImportances {
    /// Mean impurity decrease per feature, normalised to sum 1.
    var impurityImportances: [Double] { get }
}

/// A fitted model kind and how to read it, for the step registry.
public struct FittedKind: Sendable {
    public let kind: String
    /// The Swift type that reads and writes it (a kind belongs to one type; two steps may share a type).
    public let typeName: String
    let decode: @Sendable (Decoder) throws -> any FittedModel

    /// `type` under its own kind, or under `kind` (a name an older Petal wrote).
    public init<F: FittedModel>(_ type: F.Type, kind: String? = nil) {
        self.kind = kind ?? F.kind
        // The same text as String(reflecting:), without its dynamic casts: each scans every protocol conformance in
        // the binary once per type, which cost every start of petal ~10 ms (the registry is built at start-up).
        typeName = _typeName(F.self, qualified: true)
        decode = { try F(from: $0) }
    }
}

/// The fitted form of an encoding step: the schema did the work, so the matrix passes through unchanged.
public struct SchemaEncoded<Step: EncodingRecipe>: FittedTransform {
    public static var kind: String { Step.name }
    public init() {}
    public func transform(_ x: Matrix) -> Matrix { x }
    public func transform(replacing x: inout Matrix) {}
    public func validate(width: Int, classes: Int) throws {}
    public init(from decoder: Decoder) throws {}
    public func encode(to encoder: Encoder) throws {}
}
