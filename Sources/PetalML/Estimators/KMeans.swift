import Foundation
import PetalData
import CKernels

/// k-means clustering (scikit-learn's `KMeans`): k-means++ seeding with greedy local trials, then Lloyd
/// iterations until the centres move less than `tol` × the mean feature variance; the best of `n_init` runs.
/// Fitted values: `centers`, `inertia` (sum of squared distances to the closest centre).
public struct KMeans: EstimatorRecipe {
    public static let name = "kmeans"
    public static let summary = "k-means clustering: k centres, each row in the cluster of its nearest centre"
    public static let nClusters = Param<Int>("n_clusters", aliases: ["k"], 1...10_000, default: 8, help: "how many clusters", legacyKey: "k")
    public static let nInitParam = Param<Int>("n_init", 1...1000, default: 1, help: "runs from different seeds; the lowest inertia wins", legacyKey: "nInit")
    public static let maxIterParam = Param<Int>("max_iter", 1...100_000, default: 300, help: "Lloyd iterations at most per run", legacyKey: "maxIter")
    public static let tolParam = Param<Double>("tol", 0...1, default: 1e-4, help: "stop when centres move less than this (relative to the data's variance)",
                                               legacyKey: "tol")
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0, help: "the seed", legacyKey: "seed")
    public static let parameters = [nClusters.descriptor, nInitParam.descriptor, maxIterParam.descriptor, tolParam.descriptor, randomState.descriptor]
    public static let tasks: Set<LearningTask> = [.clustering]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }
    public var k: Int { self[Self.nClusters] }
    var nInit: Int { self[Self.nInitParam] }
    var maxIter: Int { self[Self.maxIterParam] }
    var tol: Double { self[Self.tolParam] }
    var seed: UInt64 { UInt64(self[Self.randomState]) }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator { try fit(x) }

    public struct Fitted: FittedClusterer {
        public static let kind = "kmeans"
        public var centers: Matrix
        public var inertia: Double
        public var iterations: Int
        public var task: LearningTask { .clustering }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(centers.columns, width, "the centres' columns")
            guard centers.rows > 0 else { throw PetalError("it has no cluster centres") }
        }

        /// The nearest centre of each row, and the squared distance to it.
        public func assign(_ x: Matrix) -> (labels: [Int], distances: [Double]) {
            let step = KMeans.lloydStep(x, centers: centers, sums: false)
            return (step.labels, step.distances)
        }
    }

    /// One pass over the rows: each row's nearest centre and squared distance to it (`sums: false`), or the
    /// per-centre sums of the rows and their counts for the next centres (`sums: true`; a Lloyd iteration needs no
    /// labels, so none are kept). Row blocks run on every core; a fixed block size and a reduction in block order
    /// make the result independent of the core count. The strides stay in bounds even if the widths differed
    /// (`validate` checks them for models read from disk).
    static func lloydStep(_ x: Matrix, centers given: Matrix, sums wantSums: Bool)
        -> (labels: [Int], distances: [Double], sums: [Double], counts: [Int]) {
        let n = x.rows, d = x.columns, k = given.rows
        // The kernel reads centres with the rows' width (a model read from disk is validated to have it; any other
        // width is cut or padded with zeros here so that nothing is read out of bounds).
        let centers: Matrix
        if given.columns == d && given.values.count == k * d {
            centers = given
        } else {
            var fitted = Matrix(rows: k, columns: d)
            for c in 0..<k { for j in 0..<min(d, given.columns) { fitted[c, j] = given[c, j] } }
            centers = fitted
        }
        guard n > 0, x.values.count >= n * d else { return ([], [], [Double](repeating: 0, count: wantSums ? k * d : 0), [Int](repeating: 0, count: wantSums ? k : 0)) }
        let blockSize = 8192
        let blocks = (n + blockSize - 1) / blockSize
        let slots = ConcurrentSlots<(labels: [Int], distances: [Double], sums: [Double], counts: [Int])>(blocks)
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            let rows = (b * blockSize)..<min(n, (b + 1) * blockSize)
            let kept = wantSums ? 0 : rows.count
            var labels = [Int](repeating: 0, count: kept), dist = [Double](repeating: 0, count: kept)
            var sums = [Double](repeating: 0, count: wantSums ? k * d : 0), counts = [Int](repeating: 0, count: wantSums ? k : 0)
            x.values.withUnsafeBufferPointer { xb in
                centers.values.withUnsafeBufferPointer { cb in
                    guard let xp = xb.baseAddress, let cp = cb.baseAddress else { return }
                    let first = xp + rows.lowerBound * d
                    if wantSums {
                        sums.withUnsafeMutableBufferPointer { sb in
                            counts.withUnsafeMutableBufferPointer { nb in
                                petal_nearest_centres(first, rows.count, d, cp, k, nil, nil, sb.baseAddress, nb.baseAddress)
                            }
                        }
                    } else {
                        labels.withUnsafeMutableBufferPointer { lb in
                            dist.withUnsafeMutableBufferPointer { db in
                                petal_nearest_centres(first, rows.count, d, cp, k, lb.baseAddress, db.baseAddress, nil, nil)
                            }
                        }
                    }
                }
            }
            slots.set(b, (labels, dist, sums, counts))
        }
        let parts = slots.values
        guard wantSums else { return (parts.flatMap(\.labels), parts.flatMap(\.distances), [], []) }
        var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
        for part in parts {
            for i in sums.indices { sums[i] += part.sums[i] }
            for c in counts.indices { counts[c] += part.counts[c] }
        }
        return ([], [], sums, counts)
    }

    public func fit(_ x: Matrix) throws -> Fitted {
        guard k <= x.rows else { throw PetalError("kmeans: n_clusters=\(k) is more than the \(x.rows) rows", hint: "use a smaller k") }
        // Tolerance relative to the data: tol × mean of the per-feature variances.
        let n = x.rows, d = x.columns
        var means = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        for r in 0..<n { for j in 0..<d { means[j] += x[r, j] } }
        for j in 0..<d { means[j] /= Double(n) }
        for r in 0..<n { for j in 0..<d { let t = x[r, j] - means[j]; squares[j] += t * t } }
        let meanVariance = squares.reduce(0) { $0 + $1 / Double(n) }
        let threshold = tol * meanVariance / Double(max(1, d))
        var rng = SplitMix64(seed: seed)
        var best: Fitted?
        for _ in 0..<nInit {
            var centers = seedCenters(x, rng: &rng)
            var iterations = 0
            for it in 1...maxIter {
                iterations = it
                // Assignment and the sums for the new centres in one pass over the rows.
                let step = Self.lloydStep(x, centers: centers, sums: true)
                var shift = 0.0
                for c in 0..<k where step.counts[c] > 0 {
                    for j in 0..<d {
                        let v = step.sums[c * d + j] / Double(step.counts[c])
                        shift += (v - centers[c, j]) * (v - centers[c, j])
                        centers[c, j] = v
                    }
                }
                if shift <= threshold { break }
            }
            let distances = Fitted(centers: centers, inertia: 0, iterations: 0).assign(x).distances
            let run = Fitted(centers: centers, inertia: distances.reduce(0, +), iterations: iterations)
            if best == nil || run.inertia < (best?.inertia ?? .infinity) { best = run }
        }
        guard let result = best else { throw PetalError("kmeans: no run completed") }
        return result
    }

    /// k-means++: the first centre at random, each next one drawn in proportion to the squared distance to the
    /// nearest chosen centre, keeping the best of 2 + ln k candidates (scikit-learn's greedy variant).
    func seedCenters(_ x: Matrix, rng: inout SplitMix64) -> Matrix {
        var centers = Matrix(rows: k, columns: x.columns)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let d = x.columns
        /// The squared distance between rows r and c of x.
        func squared(_ r: Int, _ c: Int) -> Double {
            x.values.withUnsafeBufferPointer { b in b.baseAddress.map { VectorKernels.squaredDistance($0 + r * d, $0 + c * d, d) } ?? 0 }
        }
        let first = Int(rng.next() % UInt64(x.rows))
        for j in 0..<x.columns { centers[0, j] = x[first, j] }
        var closest = (0..<x.rows).map { squared($0, first) }
        let trials = 2 + Int(log(Double(k)))
        for c in 1..<max(1, k) {
            let potential = closest.reduce(0, +)
            var bestCandidate = 0, bestPotential = Double.infinity, bestClosest = closest
            for _ in 0..<trials {
                let target = uniform() * potential
                var acc = 0.0, candidate = x.rows - 1
                for r in 0..<x.rows { acc += closest[r]; if acc >= target { candidate = r; break } }
                let updated = (0..<x.rows).map { min(closest[$0], squared($0, candidate)) }
                let pot = updated.reduce(0, +)
                if pot < bestPotential { bestPotential = pot; bestCandidate = candidate; bestClosest = updated }
            }
            for j in 0..<x.columns { centers[c, j] = x[bestCandidate, j] }
            closest = bestClosest
        }
        return centers
    }
}

/// The mean silhouette coefficient (scikit-learn's `silhouette_score`, euclidean): how much closer each row is to
/// its own cluster than to the next nearest. O(n²): callers sample large data.
public enum Silhouette {
    /// Any integer labels (dbscan's noise, -1, counts as one more cluster, as scikit-learn counts it).
    public static func score(_ x: Matrix, labels given: [Int]) -> Double? {
        let clusters = Set(given)
        guard clusters.count >= 2, clusters.count < x.rows else { return nil }
        let code = Dictionary(uniqueKeysWithValues: clusters.sorted().enumerated().map { ($0.element, $0.offset) })
        let labels = given.map { code[$0] ?? 0 }
        let k = clusters.count
        var counted = [Int](repeating: 0, count: k)
        for l in labels { counted[l] += 1 }
        let sizes = counted
        // Each row's coefficient on every core (rows in fixed blocks), then summed in row order.
        let n = x.rows, d = x.columns
        guard x.values.count >= n * d else { return nil }
        let blockSize = 64
        let blocks = (n + blockSize - 1) / blockSize
        let slots = ConcurrentSlots<[Double]>(blocks)
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            let rows = (b * blockSize)..<min(n, (b + 1) * blockSize)
            var out = [Double](repeating: 0, count: rows.count)
            var sums = [Double](repeating: 0, count: k)
            x.values.withUnsafeBufferPointer { xb in
                guard let xp = xb.baseAddress else { return }
                for (o, i) in rows.enumerated() {
                    for c in 0..<k { sums[c] = 0 }
                    let a0 = xp + i * d
                    for j in 0..<n where j != i {
                        let b0 = xp + j * d
                        sums[labels[j]] += VectorKernels.squaredDistance(a0, b0, d).squareRoot()
                    }
                    let own = labels[i]
                    guard sizes[own] > 1 else { continue }   // a singleton's silhouette is 0
                    let a = sums[own] / Double(sizes[own] - 1)
                    var nearest = Double.infinity
                    for c in 0..<k where c != own && sizes[c] > 0 { nearest = min(nearest, sums[c] / Double(sizes[c])) }
                    out[o] = (nearest - a) / max(a, nearest)
                }
            }
            slots.set(b, out)
        }
        let total = slots.values.joined().reduce(0, +)
        return total / Double(x.rows)
    }
}
