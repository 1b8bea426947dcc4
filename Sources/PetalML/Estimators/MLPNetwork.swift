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

    /// The output layer's values for `rows` rows of `x` (row-major, `sizes[0]` wide; `rows × sizes.last`).
    func outputs(_ x: [Double], rows: Int) -> [Double] {
        let width = sizes[sizes.count - 1]
        guard rows > 0, x.count >= rows * sizes[0] else { return [Double](repeating: .nan, count: max(0, rows) * width) }
        let pass = MLPPass(self, rows: rows, training: false)
        x.withUnsafeBufferPointer { xp in
            guard let x0 = xp.baseAddress else { return }
            forward(x0, rows: rows, pass: pass)
        }
        return Array(UnsafeBufferPointer(start: pass.outputs[sizes.count - 1], count: rows * width))
    }

    /// Every layer's outputs for `rows` rows at `x` (`sizes[0]` wide) into `pass.outputs`: z = bias + input·W as
    /// one matrix product (a GEMM, as scikit-learn's safe_sparse_dot), then the activation or the output function —
    /// in bands of rows on every core when the product is large enough to pay for waking a thread.
    func forward(_ x: UnsafePointer<Double>, rows: Int, pass: MLPPass) {
        precondition(rows <= pass.capacity, "a pass over \(rows) rows needs a larger MLPPass")
        for l in 0..<weights.count {
            let fanIn = sizes[l], fanOut = sizes[l + 1], last = l == weights.count - 1
            let input = UnsafePointer(l == 0 ? UnsafeMutablePointer(mutating: x) : pass.outputs[l]), z = pass.outputs[l + 1]
            weights[l].withUnsafeBufferPointer { wb in
                biases[l].withUnsafeBufferPointer { bb in
                    guard let w = wb.baseAddress, let b = bb.baseAddress, wb.count >= fanIn * fanOut, bb.count >= fanOut else { return }
                    let shared = MLPPass.Shared(a: input, b: w, c: z, other: b)
                    pass.inBands(rows, work: rows * fanIn * fanOut) { part, band in
                        let z = shared.c + band.lowerBound * fanOut
                        guard let bias = shared.other else { return }
                        for r in 0..<band.count { (z + r * fanOut).update(from: bias, count: fanOut) }
                        DenseProduct.multiply(m: band.count, n: fanOut, k: fanIn, a: shared.a + band.lowerBound * fanIn, lda: fanIn, b: shared.b,
                                              ldb: fanOut, accumulate: true, c: z, ldc: fanOut, work: pass.workspaces[part])
                        if last { finish(z, rows: band.count, width: fanOut) } else { activation.apply(z, count: band.count * fanOut) }
                    }
                }
            }
        }
    }

    /// The output function on `rows` rows of `width` values at `z`.
    func finish(_ z: UnsafeMutablePointer<Double>, rows: Int, width: Int) {
        switch output {
        case .logistic: MLPActivation.logistic.apply(z, count: rows * width)
        case .softmax:
            for r in 0..<rows {
                let o = z + r * width
                var top = -Double.infinity
                for j in 0..<width { top = max(top, o[j]) }
                var total = 0.0
                for j in 0..<width { o[j] = exp(o[j] - top); total += o[j] }
                for j in 0..<width { o[j] /= total }
            }
        case .identity: break
        }
    }

    /// The loss on `rows` rows (targets row-major, as wide as the output), returned, and the gradients of every
    /// weight and bias (scikit-learn's `_backprop`) into `pass.gw`, `pass.gb`, reusing its memory; NaN when `x` or
    /// `y` hold fewer than `rows` rows.
    func lossAndGradients(_ x: [Double], _ y: [Double], rows: Int, alpha: Double, pass: MLPPass) -> Double {
        let outWidth = sizes[sizes.count - 1]
        guard rows > 0, x.count >= rows * sizes[0], y.count >= rows * outWidth else { return .nan }
        return x.withUnsafeBufferPointer { xb in
            y.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return .nan }
                return lossAndGradients(xp, yp, rows: rows, alpha: alpha, pass: pass)
            }
        }
    }

    private func lossAndGradients(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, rows: Int, alpha: Double, pass: MLPPass) -> Double {
        precondition(pass.gw.count == weights.count, "gradients need a training MLPPass")
        forward(x, rows: rows, pass: pass)
        let layers = weights.count, outWidth = sizes[layers], count = rows * outWidth
        let out = pass.outputs[layers], n = Double(rows)
        var loss = 0.0
        switch output {
        case .identity: for i in 0..<count { let d = y[i] - out[i]; loss += d * d }; loss /= 2 * Double(count)
        case .logistic:
            for i in 0..<count {
                let p = min(max(out[i], 1e-15), 1 - 1e-15)
                loss -= y[i] * log(p) + (1 - y[i]) * log(1 - p)
            }
            loss /= n
        case .softmax: for i in 0..<count where y[i] != 0 { loss -= y[i] * log(min(max(out[i], 1e-15), 1)) }; loss /= n
        }
        loss += 0.5 * alpha * weights.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } } / n
        // scikit-learn's output delta for every output function.
        var delta = pass.delta, below = pass.below
        for i in 0..<count { delta[i] = out[i] - y[i] }
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let fanIn = sizes[l], fanOut = sizes[l + 1]
            let input = UnsafePointer(l == 0 ? UnsafeMutablePointer(mutating: x) : pass.outputs[l])
            let gw = pass.gw[l], gb = pass.gb[l]
            // gb = Σ delta; gW = inputᵀ·delta (bands of gW's rows); then the delta of the layer below, delta·Wᵀ scaled
            // by the activation's derivative (bands of rows). Each value is made as by one product over all rows.
            gb.update(repeating: 0, count: fanOut)
            for r in 0..<rows { VectorKernels.axpy(1, delta + r * fanOut, gb, fanOut) }
            weights[l].withUnsafeBufferPointer { wb in
                guard let w = wb.baseAddress, wb.count >= fanIn * fanOut else { return }
                let shared = MLPPass.Shared(a: input, b: delta, c: gw, other: nil)
                let belowShared = MLPPass.Shared(a: delta, b: w, c: below, other: input)
                pass.inBands(fanIn, work: rows * fanIn * fanOut) { part, band in
                    DenseProduct.multiply(transposeA: true, m: band.count, n: fanOut, k: rows, a: shared.a + band.lowerBound, lda: fanIn,
                                          b: shared.b, ldb: fanOut, c: shared.c + band.lowerBound * fanOut, ldc: fanOut, work: pass.workspaces[part])
                }
                guard l > 0 else { return }
                pass.inBands(rows, work: rows * fanIn * fanOut) { part, band in
                    let to = belowShared.c + band.lowerBound * fanIn
                    DenseProduct.multiply(transposeB: true, m: band.count, n: fanIn, k: fanOut, a: belowShared.a + band.lowerBound * fanOut,
                                          lda: fanOut, b: belowShared.b, ldb: fanOut, c: to, ldc: fanIn, work: pass.workspaces[part])
                    guard let outputs = belowShared.other else { return }
                    activation.scaleByDerivative(to, outputs: outputs + band.lowerBound * fanIn, count: band.count * fanIn)
                }
            }
            weights[l].withUnsafeBufferPointer { wb in
                for k in 0..<min(wb.count, fanIn * fanOut) { gw[k] = (gw[k] + alpha * wb[k]) / n }
            }
            for j in 0..<fanOut { gb[j] /= n }
            swap(&delta, &below)
        }
        return loss
    }
}

/// The memory of forward and backward passes over at most `capacity` rows of one network's shape, allocated once
/// and reused from mini-batch to mini-batch: every layer's outputs, two delta buffers, the gradients, and packing
/// memory for each core's products. (Allocated per batch, the packing memory was over glibc's mmap threshold —
/// fixed at 256 KiB once a CSV has been read — and was mapped, faulted in and unmapped on every batch.)
final class MLPPass: @unchecked Sendable {
    let capacity: Int
    /// How many bands a large product is cut into: one per core.
    let parts: Int
    /// `outputs[l]`: layer l's outputs (l ≥ 1), `capacity × sizes[l]`; `outputs[0]` is unused (the input is the caller's).
    let outputs: [UnsafeMutablePointer<Double>]
    /// The loss's gradient with respect to a layer's pre-activation values, and the layer below's.
    let delta: UnsafeMutablePointer<Double>, below: UnsafeMutablePointer<Double>
    /// The gradients of each layer's weights (fanIn × fanOut) and biases.
    let gw: [UnsafeMutablePointer<Double>], gb: [UnsafeMutablePointer<Double>]
    /// One product's packing memory per part.
    let workspaces: [UnsafeMutablePointer<Double>]
    private let sizes: [Int]
    private var memory: [UnsafeMutablePointer<Double>] = []

    /// Products under this many multiply-adds run on the calling thread: waking another costs more than the half
    /// it would take (a thread's wake-up is some microseconds; a core does ~2,000 multiply-adds in one).
    static let bandedWork = 100_000

    /// - Parameters:
    ///   - parts: bands per large product (default: one per core, at most 8).
    ///   - training: false for a pass that only predicts (`forward`): no delta or gradient memory.
    init(_ network: MLPNetwork, rows: Int, parts: Int = min(ProcessInfo.processInfo.activeProcessorCount, 8), training: Bool = true) {
        let sizes = network.sizes
        self.sizes = sizes
        let capacity = max(1, rows), parts = max(1, parts)
        self.capacity = capacity; self.parts = parts
        var memory: [UnsafeMutablePointer<Double>] = []
        func allocate(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, count))
            p.initialize(repeating: 0, count: max(1, count))
            memory.append(p)
            return p
        }
        outputs = sizes.indices.map { l in allocate(l == 0 ? 1 : capacity * sizes[l]) }
        // A delta is as wide as a layer's outputs (never the input's width).
        let widest = training ? sizes.dropFirst().max() ?? 1 : 0, layers = training ? sizes.count - 1 : 0
        delta = allocate(capacity * widest); below = allocate(capacity * widest)
        gw = (0..<layers).map { allocate(sizes[$0] * sizes[$0 + 1]) }
        gb = (0..<layers).map { allocate(sizes[$0 + 1]) }
        // The largest of the three products a layer makes (each size grows with m, n and k): outputs (rows × fanIn ·
        // fanIn × fanOut), gW (fanIn × rows · rows × fanOut), the delta below (rows × fanOut · fanOut × fanIn).
        var most = 1
        for l in 0..<(sizes.count - 1) {
            let i = sizes[l], o = sizes[l + 1], r = capacity
            most = max(most, DenseProduct.workspaceSize(m: r, n: o, k: i))
            if training { most = max(most, DenseProduct.workspaceSize(m: i, n: o, k: r), DenseProduct.workspaceSize(m: r, n: i, k: o)) }
        }
        workspaces = (0..<parts).map { _ in allocate(most) }
        self.memory = memory
    }

    deinit { for p in memory { p.deallocate() } }

    /// Copies of the gradients (for L-BFGS and tests).
    var weightGradients: [[Double]] { (0..<gw.count).map { Array(UnsafeBufferPointer(start: gw[$0], count: sizes[$0] * sizes[$0 + 1])) } }
    var biasGradients: [[Double]] { (0..<gb.count).map { Array(UnsafeBufferPointer(start: gb[$0], count: sizes[$0 + 1])) } }

    /// Runs `body(part, band)` over 0..<count cut into bands, one per core when the product is at least
    /// `bandedWork` multiply-adds and each band has a few rows; else one band on this thread. A band's values do not
    /// depend on the cut (each is one product's entries, made as in a product over everything).
    func inBands(_ count: Int, work: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let bands = work >= Self.bandedWork ? min(parts, count / 8) : 1
        if bands <= 1 { if count > 0 { body(0, 0..<count) }; return }
        DispatchQueue.concurrentPerform(iterations: bands) { b in
            body(b, (b * count / bands)..<((b + 1) * count / bands))
        }
    }

    /// Pointers a band's work shares: a product's operands `a` and `b` and its result `c` (whose bands do not
    /// overlap), and one more array it reads (`other`: the biases, or the outputs the activation's derivative needs).
    struct Shared: @unchecked Sendable {
        let a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>, other: UnsafePointer<Double>?
    }
}
