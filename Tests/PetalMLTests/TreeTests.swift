import Foundation
import PetalTestSupport
import Testing
import CKernels
import PetalData
@testable import PetalML

/// Trees and forests: within a couple of points of scikit-learn's accuracy / R² on the same splits
/// (Tests/Fixtures/sklearn/trees.json), reproducible for a seed, and Codable.
@Suite struct TreeTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("trees.json")

    static func load(_ name: String) throws -> Frame {
        let file = name == "weather" ? "seattle-weather" : name
        let path = RepoPaths.path("samples/\(file).csv")
        var frame = try #require(try Loaders.load(path: path).frame)
        if name == "weather" { frame = try frame.selecting(["precipitation", "temp_min", "wind", "temp_max"]) }
        if name == "penguins" {
            let cols = frame.columns
            frame = frame.filter { r in cols.allSatisfy { $0.isValid(r) } }
        }
        return frame
    }

    @Test func scoresAreCloseToScikitLearn() throws {
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
        #expect(cases.count == 11)
        for c in cases {
            let name = try #require(c["data"] as? String), target = try #require(c["target"] as? String)
            let frame = try Self.load(name)
            let regression = name == "weather"
            let task: LearningTask = regression ? .regression : .classification
            let all = try FeatureSchema.infer(frame: frame, target: target, dataset: name, task: task)
            let testCount = try TrainTestSplit.testCount(rows: frame.rowCount, fraction: try #require(c["test"] as? Double))
            let split = TrainTestSplit.random(rows: frame.rowCount, testCount: testCount, seed: UInt32(try #require(c["seed"] as? Int)))
            let schema = try FeatureSchema.infer(frame: frame, target: target, dataset: name, task: task, trainRows: split.train)
            let x = try schema.matrix(frame, dataset: name)
            let text = try #require(c["pipeline"] as? String)
            let pipeline = try PipelineParityTests.pipeline(text)
            let expected = try #require(c["score"] as? Double)
            let score: Double
            if regression {
                let y = try schema.values(frame, dataset: name)
                let model = try pipeline.fit(x.rows(split.train), target: .values(split.train.map { y[$0] }), schema: schema)
                score = RegressionMetrics(truth: split.test.map { y[$0] }, predicted: model.predictValues(x.rows(split.test)) ?? []).r2
            } else {
                let y = try all.labels(frame, dataset: name)
                let model = try pipeline.fit(x.rows(split.train), labels: split.train.map { y[$0] }, schema: schema)
                score = ClassificationMetrics(truth: split.test.map { y[$0] }, predicted: model.predict(x.rows(split.test)), classes: schema.classes).accuracy
            }
            #expect(abs(score - expected) <= 0.03, "\(name) \(text): Petal \(score), scikit-learn \(expected)")
        }
    }

    @Test func forestsAreReproducibleAndEncodable() throws {
        let frame = try PipelineParityTests.iris()
        let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
        let x = try schema.matrix(frame, dataset: "iris"), y = try schema.labels(frame, dataset: "iris")
        let recipe = try PipelineParityTests.pipeline("random_forest trees=20 seed=5")
        let a = try recipe.fit(x, labels: y, schema: schema)
        let b = try recipe.fit(x, labels: y, schema: schema)
        #expect(a == b)
        let decoded = try JSONDecoder().decode(FittedPipeline.self, from: try JSONEncoder().encode(a))
        #expect(decoded.predictProba(x) == a.predictProba(x))
        let other = try PipelineParityTests.pipeline("random_forest trees=20 seed=6").fit(x, labels: y, schema: schema)
        #expect(other != a)
    }
}

/// k-means against scikit-learn's `KMeans(3, n_init=10)` on iris: inertia 139.8205 scaled, 78.8514 raw
/// (scikit-learn 1.9.1; silhouettes 0.4599 and 0.5528).
@Suite struct KMeansTests {
    @Test func inertiaAndSilhouetteMatchScikitLearn() throws {
        let frame = try PipelineParityTests.iris().dropping(["variety"])
        let schema = try FeatureSchema.infer(frame: frame, target: nil, dataset: "iris", task: .clustering)
        let x = try schema.matrix(frame, dataset: "iris")
        for (text, inertia, silhouette) in [("standard_scaler | kmeans k=3 n_init=10", 139.8205, 0.4599),
                                            ("kmeans k=3 n_init=10", 78.8514, 0.5528)] {
            let model = try PipelineParityTests.pipeline(text).fit(x, target: .none(rows: x.rows), schema: schema)
            let assigned = try #require(model.clusters(x))
            #expect(abs(assigned.distances.reduce(0, +) - inertia) <= 0.01 * inertia, "\(text)")
            let s = try #require(Silhouette.score(model.transformed(x), labels: assigned.labels))
            #expect(abs(s - silhouette) <= 0.01, "\(text) silhouette \(s)")
        }
        #expect(throws: PetalError.self) { try PipelineParityTests.pipeline("kmeans k=200").fit(x, target: .none(rows: x.rows), schema: schema) }
    }

    /// The silhouette from block products equals its definition (mean distance to the own cluster against the
    /// nearest other, per row) on data spanning several row blocks and column chunks, with a singleton cluster, a
    /// duplicated row and noise labels (-1 counts as a cluster, as scikit-learn counts it).
    @Test func silhouetteMatchesItsDefinition() throws {
        var state: UInt64 = 12345
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        let n = 1100, d = 7
        var x = Matrix(rows: n, columns: d)
        var labels = [Int](repeating: 0, count: n)
        for i in 0..<n {
            labels[i] = i == 5 ? 3 : (i % 17 == 0 ? -1 : i % 3)
            for j in 0..<d { x[i, j] = next() * 4 + Double(labels[i]) * 2 }
        }
        for j in 0..<d { x[9, j] = x[8, j] }
        func distance(_ a: Int, _ b: Int) -> Double { (0..<d).map { (x[a, $0] - x[b, $0]) * (x[a, $0] - x[b, $0]) }.reduce(0, +).squareRoot() }
        let clusters = Set(labels)
        var total = 0.0
        for i in 0..<n {
            var sums: [Int: Double] = [:], sizes: [Int: Int] = [:]
            for j in 0..<n { sizes[labels[j], default: 0] += 1; if j != i { sums[labels[j], default: 0] += distance(i, j) } }
            guard let size = sizes[labels[i]], size > 1 else { continue }
            let a = (sums[labels[i]] ?? 0) / Double(size - 1)
            let b = clusters.filter { $0 != labels[i] }.map { (sums[$0] ?? 0) / Double(sizes[$0] ?? 1) }.min() ?? 0
            total += (b - a) / max(a, b)
        }
        let expected = total / Double(n)
        let s = try #require(Silhouette.score(x, labels: labels))
        #expect(abs(s - expected) <= 1e-9, "\(s) vs \(expected)")
    }

    /// The assignment kernel's two versions (AVX2 and portable) give the same bits, on a width with a remainder
    /// after the four-wide lanes and over several row blocks; each label is a nearest centre (the first on ties).
    @Test func bothKernelVersionsGiveTheSameClusters() throws {
        try KernelVersionLock.exclusive {
            defer { petal_kernels_use_wide(1) }
            var rng = SplitMix64(seed: 3)
            let n = 20_000, d = 13
            // Values on a coarse grid, so that distances tie.
            let x = Matrix(rows: n, columns: d, values: (0..<(n * d)).map { _ in Double(rng.next() % 9) / 2 - 2 })
            let recipe = KMeans(try ParameterValues([("n_clusters", "7"), ("random_state", "4"), ("max_iter", "40")], step: KMeans.name, descriptors: KMeans.parameters))
            petal_kernels_use_wide(0)
            let portable = try recipe.fit(x)
            let portableAssigned = portable.assign(x)
            petal_kernels_use_wide(1)
            let chosen = try recipe.fit(x)
            let chosenAssigned = chosen.assign(x)
            #expect(portable.centers.values == chosen.centers.values)
            #expect(portable.iterations == chosen.iterations)
            #expect(portableAssigned.labels == chosenAssigned.labels)
            #expect(portableAssigned.distances == chosenAssigned.distances)
            for r in stride(from: 0, to: n, by: 997) {
                let row = Array(x.values[(r * d)..<(r * d + d)])
                let exact = (0..<chosen.centers.rows).map { c in (0..<d).reduce(0.0) { $0 + (row[$1] - chosen.centers[c, $1]) * (row[$1] - chosen.centers[c, $1]) } }
                let nearest = try #require(exact.min())
                #expect(abs(exact[chosenAssigned.labels[r]] - nearest) <= 1e-9 * max(1, nearest))
                #expect(abs(chosenAssigned.distances[r] - nearest) <= 1e-9 * max(1, nearest))
            }
        }
    }
}

/// k-means against scikit-learn's own draws (Tests/Fixtures/sklearn/kmeans.json, written by kmeans.py): with the same
/// random_state, k-means++ picks the same rows, and the fit ends with the same labels (the same numbering), the same
/// iteration count and the same inertia, with one run and with the best of three.
@Suite struct KMeansSeedingParityTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("kmeans.json")

    static func recipe(k: Int, seed: Int, nInit: Int) throws -> KMeans {
        KMeans(try ParameterValues([("n_clusters", String(k)), ("random_state", String(seed)), ("n_init", String(nInit))],
                                   step: KMeans.name, descriptors: KMeans.parameters))
    }

    @Test func seedsLabelsAndIterationsAreScikitLearns() throws {
        let data = try #require(Self.fixture["data"] as? [String: Any])
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
        #expect(cases.count >= 20)
        for c in cases {
            let name = try #require(c["data"] as? String), k = try #require(c["k"] as? Int), seed = try #require(c["seed"] as? Int)
            let x = try FamilyParityTests.matrix(data[name])
            let label = "\(name) k=\(k) random_state=\(seed)"
            var rng = NumpyRandomState(seed: UInt32(seed))
            #expect(try Self.recipe(k: k, seed: seed, nInit: 1).seedIndices(x, rng: &rng) == (c["init"] as? [Int]), "\(label): k-means++ rows")
            let one = try Self.recipe(k: k, seed: seed, nInit: 1).fit(x)
            #expect(one.assign(x).labels == (c["labels"] as? [Int]), "\(label): labels")
            #expect(one.iterations == (c["n_iter"] as? Int), "\(label): iterations \(one.iterations)")
            let inertia = try #require(c["inertia"] as? Double)
            #expect(abs(one.inertia - inertia) <= 1e-9 * inertia, "\(label): inertia \(one.inertia) against \(inertia)")
            let three = try Self.recipe(k: k, seed: seed, nInit: 3).fit(x)
            #expect(three.assign(x).labels == (c["labels3"] as? [Int]), "\(label) n_init=3: labels")
            let inertia3 = try #require(c["inertia3"] as? Double)
            #expect(abs(three.inertia - inertia3) <= 1e-9 * inertia3, "\(label) n_init=3: inertia")
        }
    }

    /// scikit-learn's `_is_same_clustering`: renumbered clusters are the same clustering; a moved row is not.
    @Test func sameClusteringIgnoresNumbering() {
        #expect(KMeans.sameClustering([0, 0, 1, 2], [2, 2, 0, 1], k: 3))
        #expect(!KMeans.sameClustering([0, 0, 1, 2], [2, 1, 0, 1], k: 3))
        #expect(!KMeans.sameClustering([0, 1], [0], k: 2))
    }
}

/// A large node's split scanned on every core (`TreeSettings.parallelSplits`) must pick exactly the split one core
/// would — the first of the best in the shuffled feature order — so the trees are identical, ties included.
@Suite struct ParallelSplitTests {
    static func data(rows n: Int, features d: Int, levels: Int?, seed: UInt64) -> (Matrix, [Int], [Double]) {
        var rng = SplitMix64(seed: seed)
        var x = Matrix(rows: n, columns: d)
        var labels = [Int](repeating: 0, count: n), values = [Double](repeating: 0, count: n)
        for r in 0..<n {
            for j in 0..<d {
                // Few distinct values (levels) make many features split a node equally well: ties to break.
                x[r, j] = levels.map { Double(Int.random(in: 0..<$0, using: &rng)) } ?? Double.random(in: -1...1, using: &rng)
            }
            let s = x[r, 0] + x[r, 3] - x[r, 7] + Double.random(in: -0.5...0.5, using: &rng)
            labels[r] = s > 0.3 ? 2 : (s > -0.3 ? 1 : 0)
            values[r] = s * 2 + x[r, 11]
        }
        return (x, labels, values)
    }

    /// A tree grown with `settings` on the classes (`useLabels`) or on the regression values, with optional row weights.
    static func grow(_ x: Matrix, labels: [Int], values: [Double], useLabels: Bool, weights: [Double]?, settings given: TreeSettings,
                     seed: UInt64, rows: [Int]) -> TreeModel {
        var settings = given
        if !useLabels { settings.criterion = "squared_error" }
        var builder = TreeBuilder(x: x, labels: useLabels ? labels : nil, values: useLabels ? nil : values,
                                  classCount: useLabels ? 3 : 0, settings: settings, rng: SplitMix64(seed: seed))
        builder.weights = weights
        return builder.build(rows: rows)
    }

    /// Seeded row weights in [0.1, 2] (a boosting round's or a bootstrap's).
    static func weights(rows n: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in Double.random(in: 0.1...2, using: &rng) }
    }

    @Test(arguments: [nil, 3] as [Int?])
    func parallelAndSerialScansGrowTheSameTrees(levels: Int?) {
        let (x, labels, values) = Self.data(rows: 3000, features: 30, levels: levels, seed: 17)
        let weights = ParallelSplitTests.weights(rows: x.rows, seed: 5)
        for depth in [nil, 2] as [Int?] {
            for (useLabels, rowWeights) in [(true, nil), (true, weights), (false, nil)] as [(Bool, [Double]?)] {
                func grow(parallel: Bool) -> TreeModel {
                    var settings = TreeSettings()
                    settings.maxDepth = depth
                    settings.parallelSplits = parallel
                    return Self.grow(x, labels: labels, values: values, useLabels: useLabels, weights: rowWeights, settings: settings,
                                     seed: 9, rows: Array(0..<x.rows))
                }
                let serial = grow(parallel: false), parallel = grow(parallel: true)
                #expect(serial.feature.count > 3)
                #expect(serial == parallel, "levels \(String(describing: levels)) depth \(String(describing: depth)) classes \(useLabels) weighted \(rowWeights != nil)")
            }
        }
    }
}

/// Extremely randomised trees gathering each node's candidate features through an index
/// (`TreeSettings.gatherFeatures`, chosen when features far outnumber the candidates) grow exactly the trees that
/// keeping every feature in node order grows: the same values, draws and sums in the same order.
@Suite struct RandomTreeGatherTests {
    @Test(arguments: [nil, 3] as [Int?])
    func gatheringAndMovingGrowTheSameTrees(levels: Int?) {
        let (x, labels, values) = ParallelSplitTests.data(rows: 2000, features: 30, levels: levels, seed: 23)
        let weights = ParallelSplitTests.weights(rows: x.rows, seed: 6)
        for maxFeatures in [3, 30] {
            for (useLabels, rowWeights) in [(true, nil), (true, weights), (false, nil), (false, weights)] as [(Bool, [Double]?)] {
                func grow(gather: Bool) -> TreeModel {
                    var settings = TreeSettings()
                    settings.randomThresholds = true
                    settings.maxFeatures = maxFeatures
                    settings.gatherFeatures = gather
                    // A row list in another order with gaps, as forests pass.
                    return ParallelSplitTests.grow(x, labels: labels, values: values, useLabels: useLabels, weights: rowWeights,
                                                   settings: settings, seed: 4, rows: (0..<x.rows).map { ($0 * 7) % x.rows }.filter { $0 % 5 != 0 })
                }
                let moving = grow(gather: false), gathering = grow(gather: true)
                #expect(moving.feature.count > 3)
                #expect(moving == gathering, "max_features \(maxFeatures) classes \(useLabels) weighted \(rowWeights != nil)")
            }
        }
    }
}
