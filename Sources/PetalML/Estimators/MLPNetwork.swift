import Foundation
import PetalData

/// A feed-forward network's arithmetic, shared by training and prediction: dense layers (`weights[l]` is
/// fanIn × fanOut, row-major), a hidden activation, and the output function (logistic, softmax or identity).
/// Losses are scikit-learn's: log loss (binary or multinomial) or half the mean squared error, plus
/// ½·alpha·Σw² / rows.
struct MLPNetwork: Sendable, Codable, Hashable {
    var sizes: [Int]                 // input, hidden…, output
    var weights: [[Double]]
    var biases: [[Double]]
    var activation: MLPActivation
    var output: MLPOutput

    /// Glorot-uniform initial weights (scikit-learn's: bound √(6/(fanIn+fanOut)), √(2/…) for logistic).
    init(sizes: [Int], activation: MLPActivation, output: MLPOutput, rng: inout SplitMix64) {
        self.sizes = sizes; self.activation = activation; self.output = output
        weights = []; biases = []
        func uniform(_ bound: Double) -> Double { (Double(rng.next() >> 11) / Double(UInt64(1) << 53) * 2 - 1) * bound }
        for l in 0..<(sizes.count - 1) {
            let bound = (activation.initialScale / Double(sizes[l] + sizes[l + 1])).squareRoot()
            weights.append((0..<(sizes[l] * sizes[l + 1])).map { _ in uniform(bound) })
            biases.append((0..<sizes[l + 1]).map { _ in uniform(bound) })
        }
    }

    var parameterCount: Int { weights.reduce(0) { $0 + $1.count } + biases.reduce(0) { $0 + $1.count } }

    /// Every layer's activations for `rows` rows of `x` (row-major, `x.columns` wide); the last is the output.
    func forward(_ x: [Double], rows: Int) -> [[Double]] {
        var layers = [x]
        for l in 0..<weights.count {
            let fanIn = sizes[l], fanOut = sizes[l + 1], w = weights[l], b = biases[l]
            let input = layers[l]
            var z = [Double](repeating: 0, count: rows * fanOut)
            // z = bias + input·W, one matrix product (a GEMM, as scikit-learn's safe_sparse_dot).
            var workspace = DenseProduct.Workspace(m: rows, n: fanOut, k: fanIn)
            z.withUnsafeMutableBufferPointer { zp in
                w.withUnsafeBufferPointer { wp in
                    input.withUnsafeBufferPointer { ap in
                        guard let z0 = zp.baseAddress, let w0 = wp.baseAddress, let a0 = ap.baseAddress,
                              ap.count >= rows * fanIn, wp.count >= fanIn * fanOut, b.count >= fanOut else { return }
                        for r in 0..<rows { for j in 0..<fanOut { z0[r * fanOut + j] = b[j] } }
                        DenseProduct.multiply(m: rows, n: fanOut, k: fanIn, a: a0, lda: fanIn, b: w0, ldb: fanOut, accumulate: true,
                                              c: z0, ldc: fanOut, workspace: &workspace)
                    }
                }
            }
            if l < weights.count - 1 { activation.apply(&z) } else { finish(&z, rows: rows, width: fanOut) }
            layers.append(z)
        }
        return layers
    }

    func finish(_ z: inout [Double], rows: Int, width: Int) {
        switch output {
        case .logistic: MLPActivation.logistic.apply(&z)
        case .softmax:
            for r in 0..<rows {
                let o = r * width
                var top = -Double.infinity
                for j in 0..<width { top = max(top, z[o + j]) }
                var total = 0.0
                for j in 0..<width { z[o + j] = exp(z[o + j] - top); total += z[o + j] }
                for j in 0..<width { z[o + j] /= total }
            }
        case .identity: break
        }
    }

    /// The loss on `rows` rows (targets row-major, as wide as the output) and the gradients of every weight and
    /// bias (scikit-learn's `_backprop`).
    func lossAndGradients(_ x: [Double], _ y: [Double], rows: Int, alpha: Double) -> (Double, [[Double]], [[Double]]) {
        let a = forward(x, rows: rows)
        let out = a[a.count - 1], n = Double(rows)
        var loss = 0.0
        switch output {
        case .identity: for i in out.indices { let d = y[i] - out[i]; loss += d * d }; loss /= 2 * Double(out.count)
        case .logistic:
            for i in out.indices {
                let p = min(max(out[i], 1e-15), 1 - 1e-15)
                loss -= y[i] * log(p) + (1 - y[i]) * log(1 - p)
            }
            loss /= n
        case .softmax: for i in out.indices where y[i] != 0 { loss -= y[i] * log(min(max(out[i], 1e-15), 1)) }; loss /= n
        }
        loss += 0.5 * alpha * weights.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } } / n
        var delta = zip(out, y).map { $0 - $1 }   // scikit-learn's output delta for every output function
        var gw = weights.map { [Double](repeating: 0, count: $0.count) }, gb = biases.map { [Double](repeating: 0, count: $0.count) }
        // The activation's derivative from its output h, chosen once (not per element).
        let derivative = activation.derivative
        for l in stride(from: weights.count - 1, through: 0, by: -1) {
            let fanIn = sizes[l], fanOut = sizes[l + 1], input = a[l]
            var previous = [Double](repeating: 0, count: l > 0 ? rows * fanIn : 0)
            // gW += inputᵀ·delta and gb += Σ delta; then the delta of the layer below, delta·Wᵀ scaled by the
            // activation's derivative: the two products as GEMMs.
            var workspace = DenseProduct.Workspace(m: max(rows, fanIn), n: max(fanIn, fanOut), k: max(rows, fanOut))
            gw[l].withUnsafeMutableBufferPointer { gwb in
                gb[l].withUnsafeMutableBufferPointer { gbb in
                    delta.withUnsafeBufferPointer { db in
                        input.withUnsafeBufferPointer { ib in
                            weights[l].withUnsafeBufferPointer { wb in
                                previous.withUnsafeMutableBufferPointer { pb in
                                    guard let gwp = gwb.baseAddress, let gbp = gbb.baseAddress, let dp = db.baseAddress,
                                          let ip = ib.baseAddress, let wp = wb.baseAddress, db.count >= rows * fanOut,
                                          ib.count >= rows * fanIn, wb.count >= fanIn * fanOut else { return }
                                    for r in 0..<rows { VectorKernels.axpy(1, dp + r * fanOut, gbp, fanOut) }
                                    DenseProduct.multiply(transposeA: true, m: fanIn, n: fanOut, k: rows, a: ip, lda: fanIn, b: dp, ldb: fanOut,
                                                          accumulate: true, c: gwp, ldc: fanOut, workspace: &workspace)
                                    guard l > 0, let pp = pb.baseAddress else { return }
                                    DenseProduct.multiply(transposeB: true, m: rows, n: fanIn, k: fanOut, a: dp, lda: fanOut, b: wp, ldb: fanOut,
                                                          c: pp, ldc: fanIn, workspace: &workspace)
                                    for k in 0..<(rows * fanIn) { pp[k] *= derivative(ip[k]) }
                                }
                            }
                        }
                    }
                }
            }
            for k in gw[l].indices { gw[l][k] = (gw[l][k] + alpha * weights[l][k]) / n }
            for j in gb[l].indices { gb[l][j] /= n }
            guard l > 0 else { break }
            delta = previous
        }
        return (loss, gw, gb)
    }
}
