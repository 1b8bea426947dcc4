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
        var xb = [Double](), yb = [Double]()
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
                xb.removeAll(keepingCapacity: true); yb.removeAll(keepingCapacity: true)
                for r in rows[start..<end] {
                    for j in 0..<width { xb.append(x[r, j]) }
                    for j in 0..<outputs { yb.append(y[r * outputs + j]) }
                }
                let (loss, gw, gb) = net.lossAndGradients(xb, yb, rows: size, alpha: alpha)
                total += loss * Double(size)
                if adam {
                    step += 1
                    let rate = lr * (1 - pow(0.999, step)).squareRoot() / (1 - pow(0.9, step))
                    for l in gw.indices {
                        for k in gw[l].indices {
                            m1[l][k] = 0.9 * m1[l][k] + 0.1 * gw[l][k]; v1[l][k] = 0.999 * v1[l][k] + 0.001 * gw[l][k] * gw[l][k]
                            net.weights[l][k] -= rate * m1[l][k] / (v1[l][k].squareRoot() + 1e-8)
                        }
                        for k in gb[l].indices {
                            mb[l][k] = 0.9 * mb[l][k] + 0.1 * gb[l][k]; vb[l][k] = 0.999 * vb[l][k] + 0.001 * gb[l][k] * gb[l][k]
                            net.biases[l][k] -= rate * mb[l][k] / (vb[l][k].squareRoot() + 1e-8)
                        }
                    }
                } else {
                    // Nesterov: velocity = μ·velocity − lr·g; step = μ·velocity − lr·g.
                    for l in gw.indices {
                        for k in gw[l].indices {
                            m1[l][k] = momentum * m1[l][k] - lr * gw[l][k]; net.weights[l][k] += momentum * m1[l][k] - lr * gw[l][k]
                        }
                        for k in gb[l].indices {
                            mb[l][k] = momentum * mb[l][k] - lr * gb[l][k]; net.biases[l][k] += momentum * mb[l][k] - lr * gb[l][k]
                        }
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

    /// Accuracy (classes) or R² (numbers) on held-out rows, as scikit-learn's early stopping scores.
    static func validationScore(_ net: MLPNetwork, x: Matrix, y: [Double], rows: [Int], classCount: Int) -> Double {
        let sub = x.rows(rows), out = net.forward(sub.values, rows: rows.count).last ?? []
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

    /// L-BFGS (10 corrections, backtracking Armijo line search) on the full-batch loss, until `maxIter` iterations,
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
        func evaluate(_ theta: [Double]) -> (Double, [Double]) {
            let (loss, gw, gb) = unpack(theta).lossAndGradients(x, y, rows: rows, alpha: alpha)
            return (loss, pack(gw, gb))
        }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        var theta = pack(net.weights, net.biases)
        var (f, g) = evaluate(theta)
        var s: [[Double]] = [], yk: [[Double]] = [], rho: [Double] = []
        var curve: [Double] = []
        control?.setTotal(maxIter)
        for iteration in 0..<maxIter {
            if control?.isCancelled == true {
                guard iteration > 0 else { throw PetalError("fitting was cancelled") }
                control?.note("mlp: stopped by Ctrl-C after \(iteration) of \(maxIter) iterations; the model trained so far is kept")
                break
            }
            control?.advance(by: 1)
            if (g.map(abs).max() ?? 0) <= tol { break }
            // Two-loop recursion: d = −H·g.
            var q = g
            var a = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                a[i] = rho[i] * dot(s[i], q)
                for j in q.indices { q[j] -= a[i] * yk[i][j] }
            }
            let gamma = s.isEmpty ? 1 / max(1e-12, g.map(abs).reduce(0, +)) : dot(s[s.count - 1], yk[s.count - 1]) / max(1e-300, dot(yk[s.count - 1], yk[s.count - 1]))
            for j in q.indices { q[j] *= gamma }
            for i in 0..<s.count {
                let b = rho[i] * dot(yk[i], q)
                for j in q.indices { q[j] += s[i][j] * (a[i] - b) }
            }
            var d = q.map { -$0 }
            var slope = dot(g, d)
            if slope >= 0 { d = g.map { -$0 }; slope = -dot(g, g); s.removeAll(); yk.removeAll(); rho.removeAll() }
            var t = 1.0, next = theta, fNext = f, gNext = g, accepted = false
            for _ in 0..<40 {
                next = zip(theta, d).map { $0 + t * $1 }
                (fNext, gNext) = evaluate(next)
                if fNext.isFinite && fNext <= f + 1e-4 * t * slope { accepted = true; break }
                t *= 0.5
            }
            guard accepted else { break }
            let sk = zip(next, theta).map { $0 - $1 }, ykNew = zip(gNext, g).map { $0 - $1 }
            let sy = dot(sk, ykNew)
            if sy > 1e-10 {
                s.append(sk); yk.append(ykNew); rho.append(1 / sy)
                if s.count > 10 { s.removeFirst(); yk.removeFirst(); rho.removeFirst() }
            }
            let change = (f - fNext) / max(abs(f), abs(fNext), 1)
            theta = next; f = fNext; g = gNext
            curve.append(f)
            if change <= 2.220446049250313e-09 && iteration > 0 { break }
        }
        net = unpack(theta)
        return curve
    }
}
