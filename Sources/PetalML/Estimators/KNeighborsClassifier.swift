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
            let k = recipe.k
            var dist = [Double](repeating: 0, count: x.rows)
            var order = Array(0..<x.rows)
            let manhattan = recipe.metric == "manhattan"
            for r in 0..<q.rows {
                for i in 0..<x.rows {
                    var d = 0.0
                    for j in 0..<x.columns {
                        let t = q[r, j] - x[i, j]
                        d += manhattan ? abs(t) : t * t
                    }
                    dist[i] = d
                }
                // The k smallest, ties by training order (stable).
                order = Array(0..<x.rows)
                order.sort { dist[$0] != dist[$1] ? dist[$0] < dist[$1] : $0 < $1 }
                var votes = [Double](repeating: 0, count: classCount)
                let neighbours = order.prefix(k)
                if recipe.weights == "distance" {
                    let exact = neighbours.filter { dist[$0] == 0 }
                    if !exact.isEmpty {
                        for i in exact { votes[y[i]] += 1 }
                    } else {
                        for i in neighbours { votes[y[i]] += 1 / (manhattan ? dist[i] : dist[i].squareRoot()) }
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
