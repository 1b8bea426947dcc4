import PetalData

/// Replaces each feature by the index of its bin (scikit-learn's `KBinsDiscretizer(encode="ordinal")`):
/// equal-width bins (`uniform`) or equal-count bins (`quantile`) from the training rows.
public struct KBins: TransformRecipe {
    public static let name = "bins"
    public static let summary = "replace each feature by its bin number: equal-width (uniform) or equal-count (quantile) bins"
    public static let nBins = Param<Int>("n_bins", aliases: ["bins"], 2...10_000, default: 5, help: "how many bins", legacyKey: "bins")
    public static let strategyParam = Param<String>("strategy", choices: ["uniform", "quantile"], default: "quantile", help: "equal width or equal count",
                                                    legacyKey: "strategy")
    public static let parameters = [nBins.descriptor, strategyParam.descriptor]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix) -> any FittedTransform {
        let bins = self[Self.nBins], strategy = self[Self.strategyParam]
        var edges: [[Double]] = []
        for j in 0..<x.columns {
            var col = (0..<x.rows).map { x[$0, j] }.filter { !$0.isNaN }
            guard let lo = col.min(), let hi = col.max() else { edges.append([]); continue }
            if strategy == "uniform" {
                edges.append((0...bins).map { lo + (hi - lo) * Double($0) / Double(bins) })
            } else {
                var e = Quantiles.compute(&col, (0...bins).map { Double($0) / Double(bins) })
                // Drop repeated edges (scikit-learn removes bins narrower than 1e-8).
                var kept: [Double] = []
                for v in e where kept.last.map({ v - $0 > 1e-8 }) ?? true { kept.append(v) }
                e = kept
                edges.append(e)
            }
        }
        return Fitted(edges: edges)
    }

    public struct Fitted: FittedTransform {
        public static let kind = "bins"
        public var edges: [[Double]]

        public func validate(width: Int, classes: Int) throws {
            try Check.count(edges.count, width, "edges")
            for e in edges where zip(e, e.dropFirst()).contains(where: { !($0 <= $1) }) { throw PetalError("bin edges are not sorted") }
        }
        public func transform(_ x: Matrix) -> Matrix {
            var out = x
            for j in 0..<x.columns {
                let e = edges[j]
                guard e.count >= 2 else { for i in 0..<x.rows { out[i, j] = 0 }; continue }
                let inner = Array(e[1..<(e.count - 1)])
                for i in 0..<x.rows {
                    // np.searchsorted(inner_edges, v, side="right"), clipped to the bins.
                    var b = 0
                    while b < inner.count && x[i, j] >= inner[b] { b += 1 }
                    out[i, j] = Double(min(b, e.count - 2))
                }
            }
            return out
        }
    }
}
