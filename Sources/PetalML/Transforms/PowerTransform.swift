import Foundation
import PetalData

/// Makes skewed features more normal: `log` (log1p), `sqrt`, or `yeo-johnson` (scikit-learn's
/// `PowerTransformer`: a power per feature chosen by maximum likelihood, then standardised).
public struct PowerTransform: TransformRecipe {
    public static let name = "power_transform"
    public static let summary = "make skewed features more normal: log, sqrt, or yeo-johnson (fitted per feature)"
    public static let methodParam = Param<String>("method", choices: ["yeo-johnson", "log", "sqrt"], default: "yeo-johnson",
                                                  help: "log and sqrt need non-negative values (log uses log(1+x)); yeo-johnson takes any",
                                                  legacyKey: "method")
    public static let parameters = [methodParam.descriptor]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }
    var method: String { self[Self.methodParam] }

    public func fit(_ x: Matrix) throws -> any FittedTransform {
        if method != "yeo-johnson" {
            if let bad = x.values.first(where: { $0 < 0 }) {
                throw PetalError("power_transform method=\(method) needs values ≥ 0, and a feature has \(NumberText.shortest(bad))",
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
        return Fitted(method: method, lambdas: lambdas, affine: StandardScaler(ParameterValues()).affine(transformed))
    }

    public struct Fitted: FittedTransform {
        public static let kind = "power_transform"
        public var method: String
        public var lambdas: [Double]
        public var affine: ColumnAffine?

        public func validate(width: Int, classes: Int) throws {
            switch method {
            case "log", "sqrt": break
            case "yeo-johnson":
                try Check.count(lambdas.count, width, "lambdas")
                try affine?.validate(width: width, classes: classes)
            default: throw PetalError("unknown power transform method \(method)")
            }
        }
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
