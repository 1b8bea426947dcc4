import Foundation
import PetalData
import PetalML

/// k-nearest neighbours with standard ops (no Scan): distances to every training row, `TopK` (ties keep the
/// lower row index, as Petal's search does), then votes or a (weighted) mean.
enum ONNXNeighbours {
    /// kNN keeps its training rows; protobuf caps a model at 2 GB (1.5 GB of rows leaves room for the rest).
    static let maximumTrainingBytes = 1_500_000_000

    static func requireFits(_ train: Matrix, name: String) throws {
        guard train.values.count <= maximumTrainingBytes / 8 else {
            throw PetalError("\(name) cannot be exported to ONNX: it keeps its \(train.rows) training rows (\(train.values.count * 8 / 1_000_000) MB), "
                            + "more than an ONNX file can hold (2 GB)", hint: "fit it on a sample of the rows, or use a model that summarises them")
        }
    }

    /// Distances [N, M]: squared euclidean or manhattan, summed per feature as Petal does.
    static func distances(_ train: Matrix, manhattan: Bool, _ x: String, _ g: inout GraphBuilder) -> String {
        let d = g.op("Sub", g.unsqueeze(x, axes: [1]), g.doubles("train", train.values, dims: [train.rows, train.columns]))
        return g.reduceSum(manhattan ? g.op("Abs", d) : g.op("Mul", d, d), axes: [2], keepDims: false)
    }

    /// The k nearest: (distances as Petal weighs them — euclidean or manhattan, [N, k]; row indices [N, k]).
    static func nearest(_ train: Matrix, k: Int, manhattan: Bool, _ x: String, _ g: inout GraphBuilder) -> (String, String) {
        let all = distances(train, manhattan: manhattan, x, &g)
        let top = g.node("TopK", [all, g.ints("k", [k])], attributes: [
            .init(name: "axis", value: .int(1)), .init(name: "largest", value: .int(0)), .init(name: "sorted", value: .int(1)),
        ], outputs: 2)
        return (manhattan ? top[0] : g.op("Sqrt", top[0]), top[1])
    }

    /// Vote weights [N, k]: 1 each, or 1/d — and when a neighbour is at distance 0, only those count (1 each).
    static func weights(_ d: String, distance: Bool, _ g: inout GraphBuilder) -> String? {
        guard distance else { return nil }
        let exact = g.toDouble(g.op("Equal", d, g.doubles("zero", [0], dims: [])))
        let anyExact = g.op("ReduceMax", exact, attributes: [.init(name: "axes", value: .ints([1])), .init(name: "keepdims", value: .int(1))])
        let inverse = g.op("Div", g.doubles("one", [1], dims: []), d)
        return g.op("Where", g.op("Greater", anyExact, g.doubles("zero", [0], dims: [])), exact, inverse)
    }

    /// Class probabilities [N, C]: (weighted) votes over the k nearest, divided by their total.
    static func classifier(_ f: KNeighbors.Classifier, _ x: String, _ g: inout GraphBuilder) -> String {
        let manhattan = f.recipe.manhattan
        let (d, rows) = nearest(f.x, k: f.recipe.k, manhattan: manhattan, x, &g)
        let labels = g.op("Gather", g.ints("train_labels", f.y), rows, attributes: [.init(name: "axis", value: .int(0))])
        // One-hot votes [N, k, C] as (label == class) — ORT has no OneHot kernel for double values.
        var votes = g.toDouble(g.op("Equal", g.unsqueeze(labels, axes: [2]), g.ints("class_codes", Array(0..<f.classCount))))
        if let w = weights(d, distance: f.recipe.distanceWeighted, &g) { votes = g.op("Mul", votes, g.unsqueeze(w, axes: [2])) }
        let counts = g.reduceSum(votes, axes: [1], keepDims: false)
        return g.op("Div", counts, g.reduceSum(counts, axes: [1], keepDims: true))
    }

    /// Predicted values [N]: the mean, or the 1/d-weighted mean, of the k nearest targets.
    static func regressor(_ f: KNeighbors.Regressor, _ x: String, _ g: inout GraphBuilder) -> String {
        let manhattan = f.recipe.manhattan
        let (d, rows) = nearest(f.x, k: f.recipe.k, manhattan: manhattan, x, &g)
        let y = g.op("Gather", g.doubles("train_values", f.y), rows, attributes: [.init(name: "axis", value: .int(0))])
        guard let w = weights(d, distance: f.recipe.distanceWeighted, &g) else {
            return g.op("Div", g.reduceSum(y, axes: [1], keepDims: false), g.doubles("k", [Double(f.recipe.k)], dims: []))
        }
        return g.op("Div", g.reduceSum(g.op("Mul", y, w), axes: [1], keepDims: false), g.reduceSum(w, axes: [1], keepDims: false))
    }
}
