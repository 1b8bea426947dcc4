import PetalData

/// k-nearest neighbours (scikit-learn's `KNeighborsClassifier` and `KNeighborsRegressor`): the majority class,
/// or the mean target, of the k closest training rows. Fitted values: the training matrix and targets (kNN
/// keeps its data).
public struct KNeighbors: EstimatorRecipe, Hashable {
    public static let name = "knn"
    public static let summary = "k-nearest neighbours: the majority class (or mean value) of the k closest training rows"
    public static let nNeighbors = Param<Int>("n_neighbors", aliases: ["k"], 1...100_000, default: 5, help: "how many neighbours vote", legacyKey: "k", search: .int(1...50, log: true))
    public static let weights = Param<String>("weights", choices: ["uniform", "distance"], default: "uniform",
                                              help: "uniform: one vote each; distance: closer neighbours count more (1/d)", legacyKey: "weights", search: .values(["uniform", "distance"]))
    public static let metric = Param<String>("metric", choices: ["euclidean", "manhattan"], default: "euclidean", help: "the distance", legacyKey: "metric")
    public static let parameters = [nNeighbors.descriptor, weights.descriptor, metric.descriptor]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    /// Distances weigh every feature by its units.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Classifier.self), FittedKind(Regressor.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public var k: Int { self[Self.nNeighbors] }
    public var manhattan: Bool { self[Self.metric] == "manhattan" }
    public var distanceWeighted: Bool { self[Self.weights] == "distance" }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard k <= x.rows else {
            throw PetalError("knn: n_neighbors=\(k) is more than the \(x.rows) training rows", hint: "use k=\(max(1, min(5, x.rows)))")
        }
        switch target {
        case .classes(let labels): return Classifier(recipe: self, x: x, y: labels, classCount: context.classCount)
        case .values(let y): return Regressor(recipe: self, x: x, y: y)
        case .none: throw PetalError("knn needs target=COLUMN: the class or number to predict")
        }
    }

    /// Checks settings read from a model file against the training rows kept.
    func validate(rows: Int) throws {
        guard rows > 0, (1...rows).contains(k) else { throw PetalError("n_neighbors=\(k) does not fit \(rows) training rows") }
    }

    /// kNN classification: votes of the nearest training rows.
    public struct Classifier: FittedClassifier {
        public static let kind = "knn_classifier"
        public var recipe: KNeighbors
        public var x: Matrix
        public var y: [Int]
        public var classCount: Int
        public var task: LearningTask { .classification }

        public func predictProba(_ q: Matrix) -> Matrix {
            var out = Matrix(rows: q.rows, columns: classCount)
            let manhattan = recipe.manhattan, weighted = recipe.distanceWeighted
            let found = NeighbourSearch.nearest(q, in: x, k: recipe.k, manhattan: manhattan)
            var votes = [Double](repeating: 0, count: classCount)
            for r in 0..<q.rows {
                for c in 0..<classCount { votes[c] = 0 }
                let neighbours = found.indices(of: r), dist = found.distances(of: r)
                if weighted, dist.contains(0) {
                    // Rows at distance 0 take all the weight, one vote each (scikit-learn's inf weights).
                    for (i, d) in zip(neighbours, dist) where d == 0 { votes[y[i]] += 1 }
                } else if weighted {
                    for (i, d) in zip(neighbours, dist) { votes[y[i]] += 1 / (manhattan ? d : d.squareRoot()) }
                } else {
                    for i in neighbours { votes[y[i]] += 1 }
                }
                let total = votes.reduce(0, +)
                for c in 0..<classCount { out[r, c] = votes[c] / total }
            }
            return out
        }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(x.columns, width, "the training matrix's columns"); try Check.count(y.count, x.rows, "the training labels")
            try Check.count(classCount, classes, "the class count")
            guard y.allSatisfy({ (0..<classes).contains($0) }) else { throw PetalError("a training label is not a class code below \(classes)") }
            try recipe.validate(rows: x.rows)
        }
    }

    /// kNN regression: the (distance-weighted) mean of the neighbours' targets.
    public struct Regressor: FittedRegressor {
        public static let kind = "knn_regressor"
        public var recipe: KNeighbors
        public var x: Matrix
        public var y: [Double]
        public var task: LearningTask { .regression }

        public func predictValues(_ q: Matrix) -> [Double] {
            let manhattan = recipe.manhattan
            let found = NeighbourSearch.nearest(q, in: x, k: recipe.k, manhattan: manhattan)
            return (0..<q.rows).map { r in
                let order = found.indices(of: r)
                if recipe.distanceWeighted {
                    let dist = found.distances(of: r).map { manhattan ? $0 : $0.squareRoot() }
                    let exact = zip(order, dist).filter { $0.1 == 0 }
                    if !exact.isEmpty { return exact.reduce(0) { $0 + y[$1.0] } / Double(exact.count) }
                    let w = dist.map { 1 / $0 }
                    return zip(order, w).reduce(0) { $0 + y[$1.0] * $1.1 } / w.reduce(0, +)
                }
                return order.reduce(0) { $0 + y[$1] } / Double(order.count)
            }
        }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(x.columns, width, "the training matrix's columns"); try Check.count(y.count, x.rows, "the training values")
            try recipe.validate(rows: x.rows)
        }
    }
}
