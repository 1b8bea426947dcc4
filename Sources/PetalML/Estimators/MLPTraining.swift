import Foundation
import PetalData

/// Training an `MLPNetwork`: scikit-learn's stochastic solvers (adam; sgd with Nesterov momentum) and L-BFGS.
enum MLPTraining {
    /// Epochs of shuffled mini-batches; returns the loss after each epoch.
    /// - Throws: a `PetalError` when cancelled.
    static func stochastic(_ net: inout MLPNetwork, x: Matrix, y: [Double], recipe: MLP, classCount: Int, rng: inout SplitMix64,
                           control: LoadControl?) throws -> [Double] {
        let width = net.sizes[0], outputs = net.sizes[net.sizes.count - 1]
        var rows = Array(0..<x.rows), valid: [Int] = []
        if recipe[MLP.earlyStopping] && x.rows >= 10 {
            rows.shuffle(using: &rng)
            let held = max(1, Int(Double(x.rows) * 0.1))
            valid = Array(rows.prefix(held)); rows = Array(rows.dropFirst(held))
        }
        let n = rows.count
        let batch = min(max(1, recipe[MLP.batchSize] ?? 200), n)
        let alpha = recipe[MLP.alpha], lr = recipe[MLP.learningRateInit], tol = recipe[MLP.tol], patience = recipe[MLP.nIterNoChange]
        let adam = recipe[MLP.solver] == "adam", momentum = recipe[MLP.momentum]
        var m1 = net.weights.map { $0.map { _ in 0.0 } }, v1 = m1, mb = net.biases.map { $0.map { _ in 0.0 } }, vb = mb
        var step = 0.0
        var curve: [Double] = []
        var best = Double.infinity, bestScore = -Double.infinity, stale = 0, bestNet = net
        let epochs = recipe[MLP.maxIter]
        control?.setTotal(epochs)
        // One batch's rows, targets and pass memory, reused for every batch.
        var xb = [Double](repeating: 0, count: batch * width), yb = [Double](repeating: 0, count: batch * outputs)
        let pass = MLPPass(net, rows: batch)
        for epoch in 0..<epochs {
            if control?.isCancelled == true {
                // Ctrl-C keeps the network trained so far (as scikit-learn does on KeyboardInterrupt), once it has one.
                guard epoch > 0 else { throw PetalError("fitting was cancelled") }
                control?.note("mlp: stopped by Ctrl-C after \(epoch) of \(epochs) epochs; the model trained so far is kept")
                break
            }
            control?.advance(by: 1)
            rows.shuffle(using: &rng)
            var total = 0.0
            var start = 0
            while start < n {
                let end = min(n, start + batch), size = end - start
                x.values.withUnsafeBufferPointer { xs in
                    y.withUnsafeBufferPointer { ys in
                        xb.withUnsafeMutableBufferPointer { xd in
                            yb.withUnsafeMutableBufferPointer { yd in
                                guard let xs = xs.baseAddress, let ys = ys.baseAddress, let xd = xd.baseAddress, let yd = yd.baseAddress else { return }
                                for (i, r) in rows[start..<end].enumerated() {
                                    (xd + i * width).update(from: xs + r * width, count: width)
                                    (yd + i * outputs).update(from: ys + r * outputs, count: outputs)
                                }
                            }
                        }
                    }
                }
                let loss = net.lossAndGradients(xb, yb, rows: size, alpha: alpha, pass: pass)
                total += loss * Double(size)
                if adam {
                    step += 1
                    let rate = lr * (1 - pow(0.999, step)).squareRoot() / (1 - pow(0.9, step))
                    for l in net.weights.indices {
                        Self.adam(&net.weights[l], &m1[l], &v1[l], gradient: pass.gw[l], rate: rate)
                        Self.adam(&net.biases[l], &mb[l], &vb[l], gradient: pass.gb[l], rate: rate)
                    }
                } else {
                    for l in net.weights.indices {
                        Self.nesterov(&net.weights[l], &m1[l], gradient: pass.gw[l], momentum: momentum, rate: lr)
                        Self.nesterov(&net.biases[l], &mb[l], gradient: pass.gb[l], momentum: momentum, rate: lr)
                    }
                }
                start = end
            }
            let loss = total / Double(n)
            guard loss.isFinite else {
                throw PetalError("mlp: the training loss became \(loss)", hint: "use a smaller learning_rate_init, or scale the features (standard_scaler)")
            }
            curve.append(loss)
            if !valid.isEmpty {
                let score = validationScore(net, x: x, y: y, rows: valid, classCount: classCount)
                if score < bestScore + tol { stale += 1 } else { stale = 0 }
                if score > bestScore { bestScore = score; bestNet = net }
            } else {
                if loss > best - tol { stale += 1 } else { stale = 0 }
                best = min(best, loss)
            }
            if stale > patience { break }
        }
        if !valid.isEmpty { net = bestNet }
        return curve
    }

    /// One adam step (scikit-learn's AdamOptimizer, β₁ 0.9, β₂ 0.999, ε 1e-8) of the parameters `w` with moments `m`
    /// and `v`, from the gradient at `g` (as many values as `w`), at the bias-corrected `rate`.
    static func adam(_ w: inout [Double], _ m: inout [Double], _ v: inout [Double], gradient g: UnsafePointer<Double>, rate: Double) {
        let count = min(w.count, m.count, v.count)
        w.withUnsafeMutableBufferPointer { w in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    for k in 0..<count {
                        m[k] = 0.9 * m[k] + 0.1 * g[k]; v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k]
                        w[k] -= rate * m[k] / (v[k].squareRoot() + 1e-8)
                    }
                }
            }
        }
    }

    /// One sgd step with Nesterov momentum: velocity = μ·velocity − lr·g; step = μ·velocity − lr·g.
    static func nesterov(_ w: inout [Double], _ velocity: inout [Double], gradient g: UnsafePointer<Double>, momentum: Double, rate: Double) {
        let count = min(w.count, velocity.count)
        w.withUnsafeMutableBufferPointer { w in
            velocity.withUnsafeMutableBufferPointer { u in
                for k in 0..<count {
                    u[k] = momentum * u[k] - rate * g[k]; w[k] += momentum * u[k] - rate * g[k]
                }
            }
        }
    }

    /// Accuracy (classes) or R² (numbers) on held-out rows, as scikit-learn's early stopping scores.
    static func validationScore(_ net: MLPNetwork, x: Matrix, y: [Double], rows: [Int], classCount: Int) -> Double {
        let sub = x.rows(rows), out = net.outputs(sub.values, rows: rows.count)
        let width = net.sizes[net.sizes.count - 1]
        if classCount == 0 {
            let truth = rows.map { y[$0] }, mean = truth.reduce(0, +) / Double(truth.count)
            let residual = zip(truth, out).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            let spread = truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            return spread > 0 ? 1 - residual / spread : 0
        }
        var correct = 0
        for (i, r) in rows.enumerated() {
            if width == 1 { correct += (out[i] > 0.5 ? 1.0 : 0.0) == y[r] ? 1 : 0; continue }
            let o = out[(i * width)..<((i + 1) * width)].argmax()
            correct += y[r * width + o] == 1 ? 1 : 0
        }
        return Double(correct) / Double(rows.count)
    }

    /// L-BFGS (`LBFGS`: 10 corrections, backtracking Armijo line search) on the full-batch loss, until `maxIter` iterations,
    /// the largest gradient component at most `tol`, or the loss stops changing; returns the loss per iteration.
    static func lbfgs(_ net: inout MLPNetwork, _ x: [Double], _ y: [Double], rows: Int, alpha: Double, maxIter: Int, tol: Double,
                      control: LoadControl?) throws -> [Double] {
        func pack(_ w: [[Double]], _ b: [[Double]]) -> [Double] { w.flatMap { $0 } + b.flatMap { $0 } }
        func unpack(_ theta: [Double]) -> MLPNetwork {
            var n = net, i = 0
            for l in n.weights.indices { for k in n.weights[l].indices { n.weights[l][k] = theta[i]; i += 1 } }
            for l in n.biases.indices { for k in n.biases[l].indices { n.biases[l][k] = theta[i]; i += 1 } }
            return n
        }
        let pass = MLPPass(net, rows: rows)
        func evaluate(_ theta: [Double]) -> (Double, [Double]) {
            let loss = unpack(theta).lossAndGradients(x, y, rows: rows, alpha: alpha, pass: pass)
            return (loss, pack(pass.weightGradients, pass.biasGradients))
        }
        var curve: [Double] = []
        control?.setTotal(maxIter)
        let result = try LBFGS(maxIterations: maxIter, gradientTolerance: tol).minimize(
            from: pack(net.weights, net.biases), evaluate: evaluate,
            interrupt: { iteration in
                if control?.isCancelled == true {
                    guard iteration > 0 else { throw PetalError("fitting was cancelled") }
                    control?.note("mlp: stopped by Ctrl-C after \(iteration) of \(maxIter) iterations; the model trained so far is kept")
                    return true
                }
                control?.advance(by: 1)
                return false
            },
            progress: { curve.append($0) })
        net = unpack(result.theta)
        return curve
    }
}
