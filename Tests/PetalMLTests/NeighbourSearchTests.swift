import Testing
import PetalTestSupport
import CKernels
import PetalData
@testable import PetalML

/// Every search method (k-d tree, blocked products, scan) returns exactly what a stable brute-force sort
/// returns, ties and duplicate rows included.
@Suite struct NeighbourSearchTests {
    /// Rows of values on a coarse grid (so many distances tie), with some training rows repeated.
    static func data(rows: Int, queries: Int, columns: Int, seed: UInt64) -> (train: Matrix, query: Matrix) {
        var rng = SplitMix64(seed: seed)
        var train = (0..<(rows * columns)).map { _ in Double(rng.next() % 20) / 4 - 2 }
        // Duplicates: every 7th row copies the row before it.
        for r in stride(from: 7, to: rows, by: 7) { for j in 0..<columns { train[r * columns + j] = train[(r - 1) * columns + j] } }
        let query = (0..<(queries * columns)).map { _ in Double(rng.next() % 20) / 4 - 2 }
        return (Matrix(rows: rows, columns: columns, values: train), Matrix(rows: queries, columns: columns, values: query))
    }

    /// The k nearest by sorting every distance, (distance, row) order.
    static func expected(_ query: Matrix, _ r: Int, _ train: Matrix, k: Int, manhattan: Bool) -> (indices: [Int], distances: [Double]) {
        let d = (0..<train.rows).map { i -> Double in
            (0..<train.columns).reduce(0) { s, j in let t = query[r, j] - train[i, j]; return s + (manhattan ? abs(t) : t * t) }
        }
        let order = Array((0..<train.rows).sorted { d[$0] != d[$1] ? d[$0] < d[$1] : $0 < $1 }.prefix(k))
        return (order, order.map { d[$0] })
    }

    @Test(arguments: [false, true]) func everyMethodEqualsSorting(manhattan: Bool) {
        for (columns, rows, k) in [(3, 2000, 7), (8, 1500, 5), (21, 900, 4), (1, 700, 12)] {
            let (train, query) = Self.data(rows: rows, queries: 100, columns: columns, seed: UInt64(columns))
            let want = (0..<query.rows).map { Self.expected(query, $0, train, k: k, manhattan: manhattan) }
            for method in NeighbourSearch.Method.allCases {
                let found = NeighbourSearch.nearest(query, in: train, k: k, manhattan: manhattan, method: method)
                for r in 0..<query.rows {
                    #expect(Array(found.indices(of: r)) == want[r].indices, "\(method), \(columns) columns, row \(r)")
                    #expect(Array(found.distances(of: r)) == want[r].distances, "\(method), \(columns) columns, row \(r)")
                }
            }
        }
    }

    /// Continuous values (no ties) of very different scales, wide rows: the blocked products' rounding must not
    /// change a neighbour.
    @Test func blockedEqualsTreeOnWideContinuousData() {
        var rng = SplitMix64(seed: 3)
        func value() -> Double { (Double(rng.next() % 1_000_000) / 1_000_000 - 0.5) * 1000 }
        let train = Matrix(rows: 2000, columns: 100, values: (0..<200_000).map { _ in value() })
        let query = Matrix(rows: 70, columns: 100, values: (0..<7000).map { _ in value() })
        let blocked = NeighbourSearch.nearest(query, in: train, k: 9, manhattan: false, method: .blocked)
        let tree = NeighbourSearch.nearest(query, in: train, k: 9, manhattan: false, method: .kdTree)
        #expect(blocked.indices == tree.indices)
        #expect(blocked.distances == tree.distances)
        for r in [0, 33, 69] { #expect(Array(blocked.indices(of: r)) == Self.expected(query, r, train, k: 9, manhattan: false).indices) }
    }

    /// Every kernel version this machine runs (portable, AVX2 + FMA, AVX-512): `petal_kernels_cap` for each.
    static var kernelVersions: ClosedRange<Int32> { 0...petal_kernels_cpu() }

    /// The blocked search gives the same neighbours with every kernel version this machine runs (AVX-512, AVX2 +
    /// FMA, portable: the kernels only filter; distances are summed exactly either way), on continuous and on tied
    /// data whose sizes are not multiples of the kernels' blocks; and the dot-product kernels agree to rounding.
    @Test func everyKernelVersionGivesTheSameNeighbours() {
        try KernelVersionLock.exclusive {
            defer { petal_kernels_use_wide(1) }
            var rng = SplitMix64(seed: 11)
            func value() -> Double { (Double(rng.next() % 1_000_000) / 1_000_000 - 0.5) * 100 }
            let continuous = (Matrix(rows: 1003, columns: 37, values: (0..<(1003 * 37)).map { _ in value() }),
                              Matrix(rows: 43, columns: 37, values: (0..<(43 * 37)).map { _ in value() }))
            for (train, query) in [continuous, Self.data(rows: 1001, queries: 42, columns: 13, seed: 5)] {
                petal_kernels_use_wide(0)
                #expect(petal_kernels_wide() == 0)
                let portable = NeighbourSearch.nearest(query, in: train, k: 6, manhattan: false, method: .blocked)
                for version in Self.kernelVersions.dropFirst() {
                    petal_kernels_cap(version)
                    let chosen = NeighbourSearch.nearest(query, in: train, k: 6, manhattan: false, method: .blocked)
                    #expect(portable.indices == chosen.indices, "version \(version)")
                    #expect(portable.distances == chosen.distances, "version \(version)")
                }
                for r in [0, 21, query.rows - 1] {
                    #expect(Array(portable.indices(of: r)) == Self.expected(query, r, train, k: 6, manhattan: false).indices)
                }
            }
            // The raw kernels: one, two and three triples of queries (the AVX-512 kernel takes two at a time) against a
            // packed block of each width (a 24-row block, and a 48-row one as AVX-512 packs them: every version reads
            // both), within the documented bound of the exact sums, writing nothing past the block's width.
            let m = 37
            let q = (0..<(9 * m)).map { _ in Float(value()) }
            for w in [24, 48] {
                let stride = w + 5
                let block = (0..<(m * w)).map { _ in Float(value()) }
                for triples in 1...3 {
                    for version in Self.kernelVersions {
                        petal_kernels_cap(version)
                        var out = [Float](repeating: .nan, count: 9 * stride)
                        petal_dots3f(q, triples, m, block, w, &out, stride)
                        for r in 0..<(3 * triples) {
                            for l in 0..<w {
                                let terms = (0..<m).map { Double(q[r * m + $0]) * Double(block[$0 * w + l]) }
                                let exact = terms.reduce(0, +), bound = Double(m + 2) * 0x1p-24 * terms.reduce(0) { $0 + abs($1) }
                                #expect(abs(Double(out[r * stride + l]) - exact) <= bound, "version \(version), width \(w), query \(r), row \(l)")
                            }
                            #expect(out[r * stride + w].isNaN, "version \(version), width \(w): wrote past the block")
                        }
                        let untouched = out[(3 * triples * stride)...].allSatisfy { $0.isNaN }
                        #expect(untouched, "version \(version), width \(w): wrote past the queries")
                    }
                }
            }
            petal_kernels_use_wide(1)
            #expect(petal_dots_width() == (petal_kernels_cpu() >= 2 ? 48 : 24))
        }
    }

    /// Rows of wildly different magnitudes (1e-200 to 1e150, values spanning 1e-30…1e30 within a row, zero rows,
    /// rows whose squares underflow or overflow): the blocked search's single-precision filter, on rows scaled by
    /// powers of two, still gives exactly the neighbours of sorting, with every kernel version this machine runs.
    @Test func blockedSearchAtExtremeMagnitudes() {
        try KernelVersionLock.exclusive {
            defer { petal_kernels_use_wide(1) }
            var rng = SplitMix64(seed: 29)
            let m = 30
            let magnitudes: [Double] = [1, 1e-200, 1e-160, 1e150, 1e200, 1e-30, 1e30, 0]
            func row() -> [Double] {
                let size = magnitudes[Int(rng.next() % UInt64(magnitudes.count))]
                return (0..<m).map { j in
                    let v = (Double(rng.next() % 1_000_000) / 1_000_000 - 0.5) * size
                    // Some rows mix scales across features, so a row's small values fall far below its largest.
                    return j % 7 == 3 && rng.next() % 3 == 0 ? v * 1e-30 : v
                }
            }
            // Half the training rows are near copies of queries (one feature nudged), so close calls are decided.
            var trainValues: [Double] = [], queryValues: [Double] = []
            for _ in 0..<40 { queryValues += row() }
            for i in 0..<600 {
                if i % 2 == 0 {
                    var r = Array(queryValues[((i / 2) % 40 * m)..<((i / 2) % 40 * m + m)])
                    r[i % m] = r[i % m].nextUp
                    trainValues += r
                } else {
                    trainValues += row()
                }
            }
            let train = Matrix(rows: 600, columns: m, values: trainValues), query = Matrix(rows: 40, columns: m, values: queryValues)
            for wide in Self.kernelVersions {
                petal_kernels_cap(wide)
                let found = NeighbourSearch.nearest(query, in: train, k: 5, manhattan: false, method: .blocked)
                for r in 0..<query.rows {
                    let want = Self.expected(query, r, train, k: 5, manhattan: false)
                    #expect(Array(found.indices(of: r)) == want.indices, "wide \(wide), row \(r)")
                    #expect(Array(found.distances(of: r)).elementsEqual(want.distances) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "wide \(wide), row \(r)")
                }
            }
        }
    }

    /// DBSCAN's radius query (`BlockedSearch.within`) finds exactly the rows a direct comparison of every
    /// distance with the radius finds, ascending: on a grid where many distances equal the radius exactly, on wide
    /// rows, and at extreme magnitudes — with every kernel version.
    @Test func radiusQueriesEqualTheDirectComparison() {
        try KernelVersionLock.exclusive {
            defer { petal_kernels_use_wide(1) }
            var rng = SplitMix64(seed: 41)
            let grid = Self.data(rows: 700, queries: 1, columns: 3, seed: 5).train
            let wide = Self.data(rows: 300, queries: 1, columns: 40, seed: 6).train
            let magnitudes: [Double] = [1, 1e-200, 1e150, 1e200, 0]
            let extreme = Matrix(rows: 200, columns: 5, values: (0..<1000).map { _ in
                (Double(rng.next() % 1000) / 1000 - 0.5) * magnitudes[Int(rng.next() % UInt64(magnitudes.count))]
            })
            for (x, radii) in [(grid, [0.0, 0.25, 1.0, 2.5]), (wide, [20.0, 40.0]), (extreme, [1e-300, 0.1, 1e300])] {
                for radius in radii {
                    let want = (0..<x.rows).map { i in
                        (0..<x.rows).filter { j in (0..<x.columns).reduce(0.0) { s, f in let t = x[i, f] - x[j, f]; return s + t * t } <= radius }
                    }
                    #expect(want.contains { $0.count > 1 } || radius < 1e-100, "radius \(radius) finds some neighbours")
                    for version in Self.kernelVersions {
                        petal_kernels_cap(version)
                        #expect(DBSCAN.neighbours(x, radius: radius, blocked: true) == want, "\(x.columns) columns, radius \(radius), kernel \(version)")
                    }
                    #expect(DBSCAN.neighbours(x, radius: radius, blocked: false) == want, "scan: \(x.columns) columns, radius \(radius)")
                }
            }
        }
    }

    /// The choice by shape, as scikit-learn's `algorithm='auto'`.
    @Test func methodByShape() {
        #expect(NeighbourSearch.method(rows: 160_000, columns: 8, queries: 40_000, k: 5, manhattan: false) == .kdTree)
        #expect(NeighbourSearch.method(rows: 40_000, columns: 100, queries: 10_000, k: 5, manhattan: false) == .blocked)
        #expect(NeighbourSearch.method(rows: 40_000, columns: 100, queries: 10_000, k: 5, manhattan: true) == .scan)
        #expect(NeighbourSearch.method(rows: 1000, columns: 8, queries: 500, k: 600, manhattan: false) == .blocked)
    }

    /// kNN predictions do not depend on the method: a classifier and a regressor on tied data.
    @Test func predictionsEqualAcrossShapes() throws {
        let (train, query) = Self.data(rows: 1200, queries: 80, columns: 4, seed: 11)
        let labels = (0..<train.rows).map { $0 % 3 }
        let values = (0..<train.rows).map { Double($0 % 17) }
        for weights in ["uniform", "distance"] {
            let recipe = KNeighbors(try ParameterValues([("k", "6"), ("weights", weights)], step: "knn", descriptors: KNeighbors.parameters))
            let classifier = KNeighbors.Classifier(recipe: recipe, x: train, y: labels, classCount: 3)
            let regressor = KNeighbors.Regressor(recipe: recipe, x: train, y: values)
            let proba = classifier.predictProba(query), predicted = regressor.predictValues(query)
            for r in 0..<query.rows {
                let near = Self.expected(query, r, train, k: 6, manhattan: false)
                let w = weights == "uniform" ? near.distances.map { _ in 1.0 }
                    : near.distances.contains(0) ? near.distances.map { $0 == 0 ? 1.0 : 0 } : near.distances.map { 1 / $0.squareRoot() }
                for c in 0..<3 {
                    let want = zip(near.indices, w).filter { labels[$0.0] == c }.reduce(0) { $0 + $1.1 } / w.reduce(0, +)
                    #expect(abs(proba[r, c] - want) < 1e-12, "\(weights) row \(r) class \(c)")
                }
                let mean = zip(near.indices, w).reduce(0) { $0 + values[$1.0] * $1.1 } / w.reduce(0, +)
                #expect(abs(predicted[r] - mean) < 1e-9, "\(weights) row \(r)")
            }
        }
    }
}
