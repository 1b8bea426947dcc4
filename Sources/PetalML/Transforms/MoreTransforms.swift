import Foundation
import PetalData

/// Centres on the median and scales by the interquartile range (scikit-learn's `RobustScaler`): outliers
/// barely move it. Fitted values: `center`, `scale` (1 where the IQR is 0).
public struct RobustScaler: Sendable, Codable, Hashable {
    public static let stepName = "robust_scaler"
    public static let summary = "subtract each feature's median and divide by its interquartile range (robust to outliers)"
    public static let parameters: [ParameterDescriptor] = []
    public init(_ p: ParameterValues) {}

    public func fit(_ x: Matrix) -> ColumnAffine {
        var center = [Double](repeating: 0, count: x.columns), scale = [Double](repeating: 1, count: x.columns)
        for j in 0..<x.columns {
            var col = (0..<x.rows).map { x[$0, j] }.filter { !$0.isNaN }
            guard !col.isEmpty else { continue }
            let q = Quantiles.compute(&col, [0.25, 0.5, 0.75])
            center[j] = q[1]
            scale[j] = q[2] - q[0] == 0 ? 1 : q[2] - q[0]
        }
        return ColumnAffine(shift: center, scale: scale)
    }
}

/// A fitted per-feature `(x − shift) / scale`.
public struct ColumnAffine: Sendable, Codable, Hashable {
    public var shift: [Double]
    public var scale: [Double]
    public func transform(_ x: Matrix) -> Matrix {
        var out = x
        for i in 0..<x.rows { for j in 0..<x.columns { out[i, j] = (x[i, j] - shift[j]) / scale[j] } }
        return out
    }
}

/// Makes skewed features more normal: `log` (log1p), `sqrt`, or `yeo-johnson` (scikit-learn's
/// `PowerTransformer`: a power per feature chosen by maximum likelihood, then standardised).
public struct PowerTransform: Sendable, Codable, Hashable {
    public static let stepName = "power_transform"
    public static let summary = "make skewed features more normal: log, sqrt, or yeo-johnson (fitted per feature)"
    public static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("method", .choice(["yeo-johnson", "log", "sqrt"]), default: "yeo-johnson",
                            help: "log and sqrt need non-negative values (log uses log(1+x)); yeo-johnson takes any"),
    ]
    public var method = "yeo-johnson"
    public init(_ p: ParameterValues) { method = p.string("method", default: "yeo-johnson") }

    public func fit(_ x: Matrix) throws -> Fitted {
        if method != "yeo-johnson" {
            if let bad = x.values.first(where: { $0 < 0 }) {
                throw DataError("power_transform method=\(method) needs values ≥ 0, and a feature has \(NumberText.shortest(bad))",
                                hint: "use method=yeo-johnson, which takes negative values")
            }
            return Fitted(method: method, lambdas: [], affine: nil)
        }
        var lambdas: [Double] = []
        for j in 0..<x.columns {
            let col = (0..<x.rows).map { x[$0, j] }.filter { !$0.isNaN }
            lambdas.append(PowerTransform.bestLambda(col))
        }
        var transformed = x
        for i in 0..<x.rows { for j in 0..<x.columns { transformed[i, j] = PowerTransform.yeoJohnson(x[i, j], lambdas[j]) } }
        // Standardise (population std), as PowerTransformer(standardize=True).
        return Fitted(method: method, lambdas: lambdas, affine: StandardScaler(ParameterValues()).fit(transformed))
    }

    public struct Fitted: Sendable, Codable, Hashable {
        public var method: String
        public var lambdas: [Double]
        public var affine: ColumnAffine?
        public func transform(_ x: Matrix) -> Matrix {
            var out = x
            switch method {
            case "log": out.values = x.values.map { log1p(max(0, $0)) }
            case "sqrt": out.values = x.values.map { max(0, $0).squareRoot() }
            default:
                for i in 0..<x.rows { for j in 0..<x.columns { out[i, j] = PowerTransform.yeoJohnson(x[i, j], lambdas[j]) } }
                if let affine { out = affine.transform(out) }
            }
            return out
        }
    }

    static func yeoJohnson(_ v: Double, _ l: Double) -> Double {
        if v >= 0 { return abs(l) < 1e-12 ? log1p(v) : (pow(v + 1, l) - 1) / l }
        return abs(l - 2) < 1e-12 ? -log1p(-v) : -(pow(1 - v, 2 - l) - 1) / (2 - l)
    }

    /// The λ maximising the Yeo–Johnson log-likelihood (scipy's definition), by golden-section search on [-2, 2]
    /// refined on a wider bracket when the optimum sits at an end.
    static func bestLambda(_ x: [Double]) -> Double {
        let n = Double(x.count)
        guard n > 1 else { return 1 }
        func loglike(_ l: Double) -> Double {
            let t = x.map { yeoJohnson($0, l) }
            let m = t.reduce(0, +) / n
            let v = t.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n
            guard v > 0 else { return -.infinity }
            let jacobian = x.reduce(0) { $0 + (l - 1) * (($1 >= 0 ? 1 : -1) * log1p(abs($1))) }
            return -n / 2 * log(v) + jacobian
        }
        var lo = -2.0, hi = 2.0
        for _ in 0..<4 {
            let g = (5.0.squareRoot() - 1) / 2
            var a = lo, b = hi
            var c = b - g * (b - a), d = a + g * (b - a)
            var fc = loglike(c), fd = loglike(d)
            for _ in 0..<200 where b - a > 1e-12 {
                if fc > fd { b = d; d = c; fd = fc; c = b - g * (b - a); fc = loglike(c) }
                else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = loglike(d) }
            }
            let best = (a + b) / 2
            if best - lo < 1e-3 { lo -= 4; hi = best + 1; continue }
            if hi - best < 1e-3 { hi += 4; lo = best - 1; continue }
            return best
        }
        return (lo + hi) / 2
    }
}

/// Replaces each feature by the index of its bin (scikit-learn's `KBinsDiscretizer(encode="ordinal")`):
/// equal-width bins (`uniform`) or equal-count bins (`quantile`) from the training rows.
public struct KBins: Sendable, Codable, Hashable {
    public static let stepName = "bins"
    public static let summary = "replace each feature by its bin number: equal-width (uniform) or equal-count (quantile) bins"
    public static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("n_bins", aliases: ["bins"], .int(2...10_000), default: "5", help: "how many bins"),
        ParameterDescriptor("strategy", .choice(["uniform", "quantile"]), default: "quantile", help: "equal width or equal count"),
    ]
    public var bins = 5
    public var strategy = "quantile"
    public init(_ p: ParameterValues) { bins = p.int("n_bins", default: 5); strategy = p.string("strategy", default: "quantile") }

    public func fit(_ x: Matrix) -> Fitted {
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

    public struct Fitted: Sendable, Codable, Hashable {
        public var edges: [[Double]]
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

