import Foundation

/// Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (accurate to rounding for
/// the feature counts Petal's PCA and LDA see; O(d³) per sweep).
enum SymmetricEigen {
    /// Eigenvalues in decreasing order, with their unit eigenvectors (`vectors[k]` belongs to `values[k]`), of the
    /// `n × n` row-major symmetric matrix `a`. Each vector's sign is chosen so that its largest-magnitude entry is
    /// positive (scikit-learn's `svd_flip` for components).
    static func decompose(_ a: [Double], n: Int) -> (values: [Double], vectors: [[Double]]) {
        var m = a
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        guard m.count >= n * n else { return ([], []) }
        // The rotations work on the buffers directly (the same arithmetic in the same order as indexing the arrays,
        // without a bounds and uniqueness check per element).
        m.withUnsafeMutableBufferPointer { mb in
            v.withUnsafeMutableBufferPointer { vb in
                guard let m = mb.baseAddress, let v = vb.baseAddress else { return }
                for _ in 0..<100 {
                    var off = 0.0
                    for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += m[p * n + q] * m[p * n + q] } }
                    if off < 1e-30 * max(1e-300, (0..<n).reduce(0) { $0 + m[$1 * n + $1] * m[$1 * n + $1] }) { break }
                    for p in 0..<n {
                        for q in (p + 1)..<max(p + 1, n) where m[p * n + q] != 0 {
                            let theta = (m[q * n + q] - m[p * n + p]) / (2 * m[p * n + q])
                            let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                            let c = 1 / (t * t + 1).squareRoot(), s = t * c
                            for k in 0..<n {
                                let mkp = m[k * n + p], mkq = m[k * n + q]
                                m[k * n + p] = c * mkp - s * mkq; m[k * n + q] = s * mkp + c * mkq
                            }
                            for k in 0..<n {
                                let mpk = m[p * n + k], mqk = m[q * n + k]
                                m[p * n + k] = c * mpk - s * mqk; m[q * n + k] = s * mpk + c * mqk
                            }
                            for k in 0..<n {
                                let vkp = v[k * n + p], vkq = v[k * n + q]
                                v[k * n + p] = c * vkp - s * vkq; v[k * n + q] = s * vkp + c * vkq
                            }
                        }
                    }
                }
            }
        }
        let order = (0..<n).sorted { m[$0 * n + $0] > m[$1 * n + $1] }
        let values = order.map { m[$0 * n + $0] }
        let vectors = order.map { k -> [Double] in
            var column = (0..<n).map { v[$0 * n + k] }
            let big = column.indices.max { abs(column[$0]) < abs(column[$1]) } ?? 0
            if column[big] < 0 { column = column.map { -$0 } }
            return column
        }
        return (values, vectors)
    }
}
