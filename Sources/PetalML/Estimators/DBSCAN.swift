import Foundation
import PetalData

/// DBSCAN (scikit-learn's `DBSCAN`, euclidean): a row with at least `min_samples` rows (itself included) within
/// `eps` is a core row; clusters are core rows linked through each other's neighbourhoods, with the non-core rows
/// they reach; every other row is noise, labelled -1. Clusters are numbered in the order scikit-learn finds them
/// (by row, expanding depth first), so training labels equal its `labels_`.
///
/// Predicting (scikit-learn has no `predict` for DBSCAN): a row takes the cluster of its nearest core row when that
/// row is within `eps`, else -1 (noise). The distance `assign` reports is the squared distance to that nearest core
/// row (0 for a core row itself), so the "inertia" of a DBSCAN fit is the sum over rows of those squared distances.
/// Fitted values: the core rows and their cluster labels (`Fitted`, kind `dbscan`).
public struct DBSCAN: EstimatorRecipe {
    public static let name = "dbscan"
    public static let summary = "DBSCAN clustering: dense regions become clusters, isolated rows are noise (-1); new rows join the nearest core row's cluster within eps"
    public static let eps = Param<Double>("eps", 1e-12...1e12, default: 0.5, help: "the neighbourhood radius (euclidean)")
    public static let minSamples = Param<Int>("min_samples", 1...1_000_000, default: 5,
                                              help: "rows within eps (itself included) that make a row a core row")
    public static let parameters = [eps.descriptor, minSamples.descriptor]
    public static let tasks: Set<LearningTask> = [.clustering]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard x.rows > 0 else { throw PetalError("dbscan: there are no rows to cluster") }
        let (labels, core) = try cluster(x, control: context.control)
        return Fitted(eps: self[Self.eps], core: x.rows(core), coreLabels: core.map { labels[$0] }, width: x.columns)
    }

    /// scikit-learn's labels for the training rows (-1: noise) and the core rows' indices, ascending.
    /// - Throws: a `PetalError` when cancelled.
    public func cluster(_ x: Matrix, control: LoadControl? = nil) throws -> (labels: [Int], core: [Int]) {
        let n = x.rows, radius = self[Self.eps] * self[Self.eps], minSamples = self[Self.minSamples]
        // Every row's neighbours within eps (itself included), rows in parallel.
        let box = ConcurrentSlots<[Int]>(n)
        control?.setTotal(n)
        let chunk = 256
        DispatchQueue.concurrentPerform(iterations: (n + chunk - 1) / chunk) { c in
            if control?.isCancelled == true { return }
            for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                var near: [Int] = []
                for j in 0..<n where Self.squared(x, i, x, j) <= radius { near.append(j) }
                box.set(i, near)
            }
            control?.advance(by: min(n, (c + 1) * chunk) - c * chunk)
        }
        if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
        let neighbours = box.values
        let isCore = neighbours.map { $0.count >= minSamples }
        var labels = [Int](repeating: -1, count: n)
        var next = 0
        // scikit-learn's dbscan_inner: depth first from each unlabelled core row, in row order.
        for start in 0..<n where labels[start] == -1 && isCore[start] {
            var stack: [Int] = []
            var i = start
            while true {
                if labels[i] == -1 {
                    labels[i] = next
                    if isCore[i] { for j in neighbours[i] where labels[j] == -1 { stack.append(j) } }
                }
                guard let top = stack.popLast() else { break }
                i = top
            }
            next += 1
        }
        return (labels, (0..<n).filter { isCore[$0] })
    }

    static func squared(_ a: Matrix, _ i: Int, _ b: Matrix, _ j: Int) -> Double {
        var d = 0.0
        for f in 0..<a.columns { let t = a[i, f] - b[j, f]; d += t * t }
        return d
    }

    /// A fitted DBSCAN: the core rows and their clusters; new rows join the nearest core row's cluster within `eps`.
    public struct Fitted: FittedClusterer {
        public static let kind = "dbscan"
        public var eps: Double
        /// The core rows (may be none: then every row is noise).
        public var core: Matrix
        public var coreLabels: [Int]
        /// The number of features (kept so a model without core rows still checks its input width).
        public var width: Int
        public var task: LearningTask { .clustering }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(self.width, width, "the features")
            guard core.rows == 0 || core.columns == width else { throw PetalError("the core rows have \(core.columns) columns, not \(width)") }
            try Check.count(core.values.count, core.rows * core.columns, "the core rows' values")
            try Check.count(coreLabels.count, core.rows, "the core rows' labels")
            guard coreLabels.allSatisfy({ $0 >= 0 }) else { throw PetalError("a core row has a negative cluster label") }
        }

        /// The nearest core row's cluster within eps (else -1), and the squared distance to that core row
        /// (0 when there are no core rows).
        public func assign(_ x: Matrix) -> (labels: [Int], distances: [Double]) {
            var labels = [Int](repeating: -1, count: x.rows), distances = [Double](repeating: 0, count: x.rows)
            guard core.rows > 0, x.columns == core.columns else { return (labels, distances) }
            let radius = eps * eps
            for r in 0..<x.rows {
                var best = Double.infinity, arg = 0
                for c in 0..<core.rows {
                    let d = DBSCAN.squared(x, r, core, c)
                    if d < best { best = d; arg = c }
                }
                distances[r] = best
                if best <= radius { labels[r] = coreLabels[arg] }
            }
            return (labels, distances)
        }
    }
}
