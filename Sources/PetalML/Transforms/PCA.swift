import Foundation
import PetalData

/// Principal component analysis (scikit-learn's `PCA`): centre the features and project them onto the directions
/// of largest variance. `n_components` is a count, a share of the variance to keep (0 < f < 1), or none (all);
/// `whiten` scales each component to unit variance. Fitted values: `mean`, `components` (one row per component,
/// signs as scikit-learn's `svd_flip`), `explainedVariance`, `explainedVarianceRatio`.
public struct PCA: TransformRecipe {
    public static let name = "pca"
    public static let summary = "principal components: project the features onto the directions of largest variance"
    public static let nComponents = Param<Double?>("n_components", aliases: ["k"], 0...100_000, default: nil,
                                                   help: "how many components (a count), a share of the variance to keep (0…1), or none for all")
    public static let whiten = Param<Bool>("whiten", default: false, help: "scale each component to unit variance")
    public static let parameters = [nComponents.descriptor, whiten.descriptor]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix) throws -> any FittedTransform {
        let n = x.rows, d = x.columns
        guard n >= 2 else { throw PetalError("pca needs at least two rows") }
        guard x.values.count == n * d else { throw PetalError("pca got a \(n)×\(d) matrix with \(x.values.count) values") }
        let mean = DenseProduct.columnMeans(x)
        // The covariance CᵀC / (n − 1) of the centred rows, as matrix products on every core, each chunk of rows
        // centred into a buffer of its own (`DenseProduct.gram(of:centredBy:)`: no centred copy of the data).
        var covariance = DenseProduct.gram(of: x, centredBy: mean)
        for i in covariance.indices { covariance[i] /= Double(n - 1) }
        let (eigen, vectors) = SymmetricEigen.decompose(covariance, n: d)
        let variance = eigen.map { max(0, $0) }
        let total = variance.reduce(0, +)
        let ratio = variance.map { total > 0 ? $0 / total : 0 }
        let most = min(n, d)
        let keep: Int
        switch self[Self.nComponents] {
        case nil: keep = most
        case let f? where f > 0 && f < 1:
            // The fewest components whose cumulative share reaches f (scikit-learn's searchsorted(side="right") + 1).
            var sum = 0.0, k = 0
            while k < most { sum += ratio[k]; k += 1; if sum > f { break } }
            keep = k
        case let c?:
            guard c >= 1, c == c.rounded(), Int(c) <= most else {
                throw PetalError("pca: n_components=\(NumberText.shortest(c)) is not a count from 1 to \(most) or a share between 0 and 1",
                                hint: "e.g. n_components=2 or n_components=0.95")
            }
            keep = Int(c)
        }
        return Fitted(mean: mean, components: Array(vectors.prefix(keep)), explainedVariance: Array(variance.prefix(keep)),
                      explainedVarianceRatio: Array(ratio.prefix(keep)), whiten: self[Self.whiten])
    }

    public struct Fitted: FittedTransform, LearnedSummary {
        public static let kind = "pca"
        public var mean: [Double]
        public var components: [[Double]]
        public var explainedVariance: [Double]
        public var explainedVarianceRatio: [Double]
        public var whiten: Bool

        public func outputWidth(_ inputWidth: Int) -> Int { components.count }

        public var learnedSummary: [(name: String, values: [Double])] {
            [("explained_variance_ratio", explainedVarianceRatio), ("explained_variance", explainedVariance)]
        }

        public func transform(_ x: Matrix) -> Matrix {
            let k = components.count, d = min(x.columns, mean.count)
            // Centred and projected row by row; each component's scale (whitening) is applied once per entry.
            let scale = (0..<k).map { whiten ? 1 / max(explainedVariance[safe: $0] ?? 1, .leastNormalMagnitude).squareRoot() : 1 }
            var components = [Double](repeating: 0, count: k * d)
            for (c, v) in self.components.enumerated() { for j in 0..<min(d, v.count) { components[c * d + j] = v[j] } }
            let flat = components
            var out = Matrix(rows: x.rows, columns: k)
            guard x.values.count == x.rows * x.columns, mean.count >= d, k > 0 else { return out }
            // Rows in blocks on every core; each row centred into the block's own buffer, then one dot product per
            // component (a row's values do not depend on the blocks).
            out.values.withUnsafeMutableBufferPointer { ob in
                guard let o = ob.baseAddress else { return }
                let sink = RowSink(values: o), width = x.columns
                RowBlocks.each(rows: x.rows) { rows in
                    var centred = [Double](repeating: 0, count: d)
                    x.values.withUnsafeBufferPointer { xb in
                        mean.withUnsafeBufferPointer { mb in
                            flat.withUnsafeBufferPointer { fb in
                                centred.withUnsafeMutableBufferPointer { cb in
                                    guard let xp = xb.baseAddress, let m = mb.baseAddress, let f = fb.baseAddress, let c = cb.baseAddress else { return }
                                    for r in rows {
                                        let row = xp + r * width
                                        for j in 0..<d { c[j] = row[j] - m[j] }
                                        for comp in 0..<k { sink.values[r * k + comp] = VectorKernels.dot(f + comp * d, c, d) * scale[comp] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return out
        }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(mean.count, width, "mean")
            guard !components.isEmpty else { throw PetalError("it keeps no components") }
            try Check.rows(components, width: width, "a component")
            try Check.count(explainedVariance.count, components.count, "explained variance")
            try Check.count(explainedVarianceRatio.count, components.count, "explained variance ratio")
        }
    }
}
