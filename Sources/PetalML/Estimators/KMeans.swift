import Foundation
import PetalData
import CKernels

/// k-means clustering (scikit-learn's `KMeans`): k-means++ seeding with greedy local trials drawn from numpy's RandomState as
/// scikit-learn draws them (the same random_state gives the same clusters, numbered the same), then Lloyd
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
        let means = DenseProduct.columnMeans(x)
        var squares = [Double](repeating: 0, count: d)
        x.values.withUnsafeBufferPointer { xb in
            means.withUnsafeBufferPointer { mb in
                squares.withUnsafeMutableBufferPointer { sb in
                    guard let xp = xb.baseAddress, let m = mb.baseAddress, let s = sb.baseAddress, xb.count >= n * d else { return }
                    for r in 0..<n { let row = xp + r * d; for j in 0..<d { let t = row[j] - m[j]; s[j] += t * t } }
                }
            }
        }
        let meanVariance = squares.reduce(0) { $0 + $1 / Double(n) }
        let threshold = tol * meanVariance / Double(max(1, d))
        // numpy's RandomState with scikit-learn's draws: the same random_state seeds the same centres as
        // scikit-learn's KMeans, so the clusters (and their numbering) are scikit-learn's.
        var rng = NumpyRandomState(seed: UInt32(truncatingIfNeeded: seed))
        var best: (fitted: Fitted, labels: [Int])?
        for _ in 0..<nInit {
            var centers = x.rows(seedIndices(x, rng: &rng))
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
            let assigned = Fitted(centers: centers, inertia: 0, iterations: 0).assign(x)
            let run = Fitted(centers: centers, inertia: assigned.distances.reduce(0, +), iterations: iterations)
            // As scikit-learn: a later run wins only with a lower inertia and other clusters (the same clusters with
            // a hair less inertia from rounding would only renumber them).
            if let kept = best, !(run.inertia < kept.fitted.inertia && !Self.sameClustering(assigned.labels, kept.labels, k: k)) { continue }
            best = (run, assigned.labels)
        }
        guard let result = best?.fitted else { throw PetalError("kmeans: no run completed") }
        return result
    }

    /// True when `a` and `b` put the rows in the same clusters, whatever the clusters' numbers (scikit-learn's
    /// `_is_same_clustering`: every cluster of `a` maps to one cluster of `b`).
    static func sameClustering(_ a: [Int], _ b: [Int], k: Int) -> Bool {
        guard a.count == b.count else { return false }
        var mapping = [Int](repeating: -1, count: k)
        for (p, q) in zip(a, b) {
            guard mapping.indices.contains(p) else { return false }
            if mapping[p] == -1 { mapping[p] = q } else if mapping[p] != q { return false }
        }
        return true
    }

    /// The rows k-means++ picks as the first centres, drawn as scikit-learn's `_kmeans_plusplus` draws them from
    /// numpy's RandomState: the first row uniformly (`choice` with equal weights: a cumulative sum searched for one
    /// `random_sample`), each next one in proportion to the squared distance to the nearest chosen centre, keeping
    /// the best of 2 + ⌊ln k⌋ candidates (the one leaving the least total squared distance; the first on ties).
    func seedIndices(_ x: Matrix, rng: inout NumpyRandomState) -> [Int] {
        let n = x.rows, d = x.columns
        guard n > 0, k > 0 else { return [] }
        /// `into[r] = min(closest[r], ‖x_r − x_c‖²)` for every row (`closest` nil: the distance alone), rows in blocks on
        /// every core — each value as one row at a time makes it.
        func nearer(_ closest: [Double]?, than c: Int, into out: inout [Double]) {
            out.withUnsafeMutableBufferPointer { ob in
                guard let o = ob.baseAddress, ob.count >= n, x.values.count >= n * d else { return }
                let sink = RowSink(values: o)
                RowBlocks.each(rows: n) { rows in
                    x.values.withUnsafeBufferPointer { xb in
                        guard let xp = xb.baseAddress else { return }
                        let centre = xp + c * d
                        for r in rows {
                            let v = VectorKernels.squaredDistance(xp + r * d, centre, d)
                            sink.values[r] = closest.map { min($0[r], v) } ?? v
                        }
                    }
                }
            }
        }
        // choice(n, p=1/n): the first index whose cumulative weight (over the total) exceeds the draw.
        let weight = 1.0 / Double(n)
        var total = 0.0
        for _ in 0..<n { total += weight }
        let draw = rng.randomSample()
        var first = n - 1, cumulative = 0.0
        for r in 0..<n {
            cumulative += weight
            if cumulative / total > draw { first = r; break }
        }
        var indices = [first]
        var closest = [Double](repeating: 0, count: n)
        nearer(nil, than: first, into: &closest)
        var potential = closest.reduce(0, +)
        let trials = 2 + Int(log(Double(k)))
        var updated = [Double](repeating: 0, count: n)
        for _ in 1..<k {
            // All trials' targets are drawn first, then each is searched for (searchsorted, left: the first row whose
            // cumulative distance reaches it).
            let targets = (0..<trials).map { _ in rng.randomSample() * potential }
            var bestCandidate = 0, bestPotential = Double.infinity, bestClosest = closest
            for target in targets {
                var acc = 0.0, candidate = n - 1
                for r in 0..<n { acc += closest[r]; if acc >= target { candidate = r; break } }
                nearer(closest, than: candidate, into: &updated)
                var pot = 0.0
                for r in 0..<n { pot += updated[r] }
                if pot < bestPotential { bestPotential = pot; bestCandidate = candidate; swap(&bestClosest, &updated) }
            }
            indices.append(bestCandidate)
            closest = bestClosest
            potential = bestPotential
        }
        return indices
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
        // Each row's coefficient on every core (rows in fixed blocks), then summed in row order. Distances come from
        // block products, ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b (as scikit-learn's euclidean_distances), a block of rows
        // against a chunk of the others at a time: a distance loop per pair was most of a clustering's report.
        let n = x.rows, d = x.columns
        guard x.values.count >= n * d else { return nil }
        let norms: [Double] = x.values.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return [] }
            return (0..<n).map { VectorKernels.sumOfSquares(xp + $0 * d, d) }
        }
        guard norms.count == n else { return nil }
        let blockSize = 64, chunkSize = 512
        let blocks = (n + blockSize - 1) / blockSize
        let slots = ConcurrentSlots<[Double]>(blocks)
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            let rows = (b * blockSize)..<min(n, (b + 1) * blockSize)
            var out = [Double](repeating: 0, count: rows.count)
            var sums = [Double](repeating: 0, count: rows.count * k)
            var products = [Double](repeating: 0, count: rows.count * chunkSize)
            var workspace = DenseProduct.Workspace(m: rows.count, n: chunkSize, k: d)
            x.values.withUnsafeBufferPointer { xb in
                guard let xp = xb.baseAddress else { return }
                var start = 0
                while start < n {
                    let chunk = start..<min(n, start + chunkSize)
                    products.withUnsafeMutableBufferPointer { g in
                        guard let gp = g.baseAddress else { return }
                        DenseProduct.multiply(transposeB: true, m: rows.count, n: chunk.count, k: d, a: xp + rows.lowerBound * d, lda: d,
                                              b: xp + chunk.lowerBound * d, ldb: d, c: gp, ldc: chunkSize, workspace: &workspace)
                    }
                    for (o, i) in rows.enumerated() {
                        let ni = norms[i]
                        for (q, j) in chunk.enumerated() where j != i {
                            let squared = ni + norms[j] - 2 * products[o * chunkSize + q]
                            sums[o * k + labels[j]] += max(0, squared).squareRoot()
                        }
                    }
                    start = chunk.upperBound
                }
            }
            for (o, i) in rows.enumerated() {
                let own = labels[i]
                guard sizes[own] > 1 else { continue }   // a singleton's silhouette is 0
                let a = sums[o * k + own] / Double(sizes[own] - 1)
                var nearest = Double.infinity
                for c in 0..<k where c != own && sizes[c] > 0 { nearest = min(nearest, sums[o * k + c] / Double(sizes[c])) }
                out[o] = (nearest - a) / max(a, nearest)
            }
            slots.set(b, out)
        }
        let total = slots.values.joined().reduce(0, +)
        return total / Double(x.rows)
    }
}
