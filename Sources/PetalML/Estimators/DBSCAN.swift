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
        control?.setTotal(n)
        let neighbours = Self.neighbours(x, radius: radius, control: control)
        if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
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

    /// Every row's neighbours within squared distance `radius` (itself included), ascending — the rows whose
    /// `NeighbourSearch.distance` is at most `radius`, by either method: `blocked` (the default from a few dozen
    /// rows with features) filters with `BlockedSearch`'s float dot products and sums only the candidates'
    /// distances; otherwise every pair is summed. Chunks of rows run on every core.
    static func neighbours(_ x: Matrix, radius: Double, blocked: Bool? = nil, control: LoadControl? = nil) -> [[Int]] {
        let n = x.rows, m = x.columns
        let box = ConcurrentSlots<[Int]>(n)
        let chunk = 256
        let search = (blocked ?? (n >= 64)) && m > 0 ? BlockedSearch(x) : nil
        DispatchQueue.concurrentPerform(iterations: (n + chunk - 1) / chunk) { c in
            if control?.isCancelled == true { return }
            let lo = c * chunk, hi = min(n, (c + 1) * chunk)
            var near = [[Int]](repeating: [], count: hi - lo)
            if let search {
                search.within(x, rows: lo..<hi, radius: radius) { i, j in near[i - lo].append(j) }
            } else {
                Self.scan(x, rows: lo..<hi, radius: radius, into: &near)
            }
            for i in lo..<hi { box.set(i, near[i - lo]) }
            control?.advance(by: hi - lo)
        }
        return box.values
    }

    /// The direct pairwise scan of `neighbours`: the rows a cache-sized block at a time, four distances at once
    /// (`NeighbourSearch.distances4`, each the bits of `distance`).
    private static func scan(_ x: Matrix, rows: Range<Int>, radius: Double, into near: inout [[Int]]) {
        let n = x.rows, m = x.columns, lo = rows.lowerBound
        let rowsPerBlock = max(4, (64 << 10) / max(1, 8 * m)) & ~3
        x.values.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress, xb.count >= n * m, m > 0 else {
                // No features: every row is at distance 0 from every other.
                for i in rows { near[i - lo] = Array(0..<n) }
                return
            }
            var start = 0
            while start < n {
                let end = min(n, start + rowsPerBlock)
                for i in rows {
                    let row = xp + i * m
                    var j = start
                    while j + 4 <= end {
                        let (d0, d1, d2, d3) = NeighbourSearch.distances4(row, xp + j * m, xp + (j + 1) * m, xp + (j + 2) * m, xp + (j + 3) * m, m)
                        if d0 <= radius { near[i - lo].append(j) }
                        if d1 <= radius { near[i - lo].append(j + 1) }
                        if d2 <= radius { near[i - lo].append(j + 2) }
                        if d3 <= radius { near[i - lo].append(j + 3) }
                        j += 4
                    }
                    while j < end {
                        if NeighbourSearch.distance(row, xp + j * m, m, manhattan: false) <= radius { near[i - lo].append(j) }
                        j += 1
                    }
                }
                start = end
            }
        }
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
            // The nearest core row (the first of equally near ones), found as kNN's k = 1 is.
            let nearest = NeighbourSearch.nearest(x, in: core, k: 1, manhattan: false)
            for r in 0..<x.rows {
                let best = nearest.distances[r]
                distances[r] = best
                if best <= radius, let label = coreLabels[safe: nearest.indices[r]] { labels[r] = label }
            }
            return (labels, distances)
        }
    }
}
