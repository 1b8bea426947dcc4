import PetalData

/// k-nearest neighbours classification (scikit-learn's `KNeighborsClassifier`, brute-force search).
/// Fitted values: the training matrix and class codes (kNN keeps its data).
public struct KNeighborsClassifier: Sendable, Codable, Hashable {
    public static let stepName = "knn"
    public static let summary = "k-nearest neighbours: the majority class of the k closest training rows"
    public static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("n_neighbors", aliases: ["k"], .int(1...100_000), default: "5", help: "how many neighbours vote"),
        ParameterDescriptor("weights", .choice(["uniform", "distance"]), default: "uniform",
                            help: "uniform: one vote each; distance: closer neighbours count more (1/d)"),
        ParameterDescriptor("metric", .choice(["euclidean", "manhattan"]), default: "euclidean", help: "the distance"),
    ]
    public var k = 5
    public var weights = "uniform"
    public var metric = "euclidean"

    public init(_ p: ParameterValues) {
        k = p.int("n_neighbors", default: 5)
        weights = p.string("weights", default: "uniform")
        metric = p.string("metric", default: "euclidean")
    }

    public func fit(_ x: Matrix, labels: [Int], classCount: Int) throws -> Fitted {
        guard k <= x.rows else {
            throw DataError("knn: n_neighbors=\(k) is more than the \(x.rows) training rows", hint: "use k=\(max(1, min(5, x.rows)))")
        }
        return Fitted(recipe: self, x: x, y: labels, classCount: classCount)
    }

    public struct Fitted: Sendable, Codable, Hashable {
        public var recipe: KNeighborsClassifier
        public var x: Matrix
        public var y: [Int]
        public var classCount: Int

        public func predictProba(_ q: Matrix) -> Matrix {
            var out = Matrix(rows: q.rows, columns: classCount)
            let manhattan = recipe.metric == "manhattan"
            let (indices, distances) = NeighbourSearch.nearest(q, in: x, k: recipe.k, manhattan: manhattan)
            for r in 0..<q.rows {
                var votes = [Double](repeating: 0, count: classCount)
                let neighbours = indices[r], dist = distances[r]
                if recipe.weights == "distance" {
                    let exact = neighbours.indices.filter { dist[$0] == 0 }
                    if !exact.isEmpty {
                        for e in exact { votes[y[neighbours[e]]] += 1 }
                    } else {
                        for (n, i) in neighbours.enumerated() { votes[y[i]] += 1 / (manhattan ? dist[n] : dist[n].squareRoot()) }
                    }
                } else {
                    for i in neighbours { votes[y[i]] += 1 }
                }
                let total = votes.reduce(0, +)
                for c in 0..<classCount { out[r, c] = votes[c] / total }
            }
            return out
        }
    }
}
