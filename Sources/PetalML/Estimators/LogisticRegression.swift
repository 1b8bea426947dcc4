import Foundation
import PetalData

/// Logistic regression with an L2 penalty (scikit-learn's `LogisticRegression`): multinomial for three or more
/// classes, a single sigmoid for two. It minimises C·Σ log loss + ½‖W‖² (intercepts not penalised) with
/// Newton's method and a backtracking line search, so it reaches the optimum lbfgs approaches; on wide or
/// many-class problems (more than `newtonLimit` free parameters, where the Hessian would cost n·size²/2 an
/// iteration) with L-BFGS, as scikit-learn's default solver, stopping where scikit-learn's lbfgs stops (`tolParam`).
/// The sums over rows are blocked matrix products (`LogisticKernels`).
/// Fitted values: `coefficients[k][j]`, `intercepts[k]` (one row for binary problems).
public struct LogisticRegression: EstimatorRecipe {
    public static let name = "logistic_regression"
    public static let summary = "logistic regression (multinomial, L2 penalty): probabilities from a linear score"
    public static let cParam = Param<Double>("C", 1e-12...1e12, default: 1.0, help: "inverse penalty strength: smaller C, simpler model", legacyKey: "c", search: .double(0.001...1000, log: true))
    public static let maxIterParam = Param<Int>("max_iter", 1...10_000, default: 100, help: "iterations at most (Newton; L-BFGS when classes × (features + 1) > 256)", legacyKey: "maxIter")
    /// scikit-learn's `tol` for lbfgs: its objective is this one divided by C·Σ row weights (the mean loss plus
    /// ‖W‖²/(2·C·Σ weights)), so the same tolerance stops both at the same point.
    public static let tolParam = Param<Double>("tol", 0...1, default: 1e-4, help: "L-BFGS stops when the largest entry of the mean log loss's gradient (with the penalty) is at most this, as scikit-learn's; Newton's method runs to the optimum", legacyKey: "tol")
    public static let parameters = [cParam.descriptor, maxIterParam.descriptor, tolParam.descriptor, ClassWeight.param.descriptor]
    public static let tasks: Set<LearningTask> = [.classification]
    /// The penalty and the solver's steps assume comparable units.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }
    public var c: Double { self[Self.cParam] }
    public var maxIter: Int { self[Self.maxIterParam] }
    public var tol: Double { self[Self.tolParam] }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .classes(let labels) = target else { throw PetalError("logistic_regression is a classifier; it needs a class column as target") }
        return try fit(x, labels: labels, classCount: context.classCount,
                       weights: ClassWeight.rows(self[ClassWeight.param], target: target, classCount: context.classCount, step: Self.name))
    }

    /// - Parameter weights: per-row weights (class weights), multiplying each row's log loss; nil: 1 each.
    /// - Parameter newtonLimit: free parameters above which L-BFGS is used (tests lower or raise it to compare the two).
    public func fit(_ x: Matrix, labels: [Int], classCount k: Int, weights: [Double]? = nil,
                    newtonLimit: Int = Self.newtonLimit) throws -> Fitted {
        // The kernels read rows, labels and weights through raw pointers: check the shapes they rely on here.
        guard k >= 2 else { throw PetalError("logistic_regression needs at least two classes, got \(k)") }
        guard x.values.count == x.rows * x.columns, labels.count == x.rows, weights.map({ $0.count == x.rows }) ?? true,
              labels.allSatisfy({ (0..<k).contains($0) }) else {
            throw PetalError("logistic_regression got \(labels.count) labels in 0..<\(k) and \(weights?.count ?? x.rows) weights for a \(x.rows)×\(x.columns) matrix of \(x.values.count) values")
        }
        let d = x.columns
        let m = k == 2 ? 1 : k              // free linear models
        let width = d + 1                   // coefficients and intercept
        let size = m * width
        var theta = [Double](repeating: 0, count: size)
        // The tolerance on this objective's gradient, which is C·Σ weights times scikit-learn's (see `tolParam`).
        let gradientTolerance = tol * c * (weights?.reduce(0, +) ?? Double(x.rows))
        if size > newtonLimit {
            // Newton's Hessian (size² entries, n·size²/2 work an iteration) would dominate: L-BFGS on the same
            // objective, as scikit-learn's default solver, with max_iter counting its iterations as sklearn's does.
            // It stops as scikit-learn's does: at max_iter, at the gradient tolerance, or when the objective stops
            // falling (ftol 64·eps).
            theta = try LBFGS(maxIterations: maxIter, gradientTolerance: gradientTolerance, relativeTolerance: 64 * Double.ulpOfOne)
                .minimize(from: theta) { lossAndGradient($0, x, labels, k: k, m: m, weights: weights) }.theta
            return fitted(theta, d: d, m: m, k: k)
        }
        var loss = objective(theta, x, labels, k: k, m: m, weights: weights)
        for _ in 0..<maxIter {
            let (gradient, hessian) = derivatives(theta, x, labels, k: k, m: m, weights: weights)
            if (gradient.map { abs($0) }.max() ?? 0) <= min(gradientTolerance, Self.newtonTolerance) { break }
            // The common shift of all intercepts leaves probabilities unchanged, so the Hessian is singular
            // along it; damp the diagonal (more each time Cholesky fails) to step along the rest.
            let maxDiagonal = (0..<size).map { hessian[$0 * size + $0] }.max() ?? 1
            var damping = 1e-10 * max(1, maxDiagonal)
            var solved: [Double]?
            for _ in 0..<12 {
                var damped = hessian
                for i in 0..<size { damped[i * size + i] += damping }
                if let s = Cholesky.solve(damped, gradient, size: size) { solved = s; break }
                damping *= 100
            }
            guard let step = solved else {
                throw PetalError("logistic_regression did not converge (the problem is ill-conditioned)", hint: "scale the features (standard_scaler) or lower C")
            }
            var t = 1.0
            var candidate = theta
            var improved = false
            for _ in 0..<40 {
                for i in 0..<size { candidate[i] = theta[i] - t * step[i] }
                let l = objective(candidate, x, labels, k: k, m: m, weights: weights)
                if l <= loss - 1e-4 * t * zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 } { loss = l; improved = true; break }
                t /= 2
            }
            theta = candidate
            if !improved { break }
        }
        return fitted(theta, d: d, m: m, k: k)
    }

    /// Free parameters (classes' models × (features + intercept)) above which the fit uses L-BFGS, not Newton.
    public static let newtonLimit = 256

    /// Newton's method stops at the tighter of `tol` and this bound on its own objective's largest gradient entry:
    /// it converges quadratically, so on the small problems it solves the last steps to the optimum cost little, and
    /// its models match scikit-learn's fitted with a tight tolerance, not tol (1e-4) away from the optimum.
    static let newtonTolerance = 1e-8

    private func fitted(_ theta: [Double], d: Int, m: Int, k: Int) -> Fitted {
        let width = d + 1
        let coefficients = (0..<m).map { Array(theta[($0 * width)..<($0 * width + d)]) }
        let intercepts = (0..<m).map { theta[$0 * width + d] }
        return Fitted(coefficients: coefficients, intercepts: intercepts, classCount: k)
    }

    /// The class probabilities of row i of `x` into p (k entries): the free models' scores (binary: class 0 scores
    /// 0), then `LogisticKernels.softmax`.
    @inline(__always)
    static func probabilities(_ theta: [Double], _ x: Matrix, row i: Int, k: Int, m: Int, into p: inout [Double]) {
        let width = x.columns + 1, offset = m == 1 ? 1 : 0
        if m == 1 { p[0] = 0 }
        for a in 0..<m {
            var z = theta[a * width + x.columns]
            for j in 0..<x.columns { z += theta[a * width + j] * x[i, j] }
            p[a + offset] = z
        }
        p.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { LogisticKernels.softmax(base, k: k) } }
    }

    /// Row blocks for the sums over rows: up to 8 of at least 4,096 rows, run on every core.
    static func rowBlocks(_ rows: Int) -> [Range<Int>] {
        // A fixed count (not the core count) so the sum, and so the model, is the same on every machine.
        let count = max(1, min(8, rows / 4_096))
        return (0..<count).map { b in (rows * b / count)..<(rows * (b + 1) / count) }
    }

    /// The penalised negative log-likelihood, C·Σ −log p(yᵢ) + ½‖w‖², summed over row blocks in parallel.
    func objective(_ theta: [Double], _ x: Matrix, _ y: [Int], k: Int, m: Int, weights: [Double]? = nil) -> Double {
        let blocks = LogisticRegression.rowBlocks(x.rows)
        let slots = ConcurrentSlots<Double>(blocks.count)
        DispatchQueue.concurrentPerform(iterations: blocks.count) { b in
            var p = [Double](repeating: 0, count: k)
            var total = 0.0
            for i in blocks[b] {
                LogisticRegression.probabilities(theta, x, row: i, k: k, m: m, into: &p)
                total -= (weights?[i] ?? 1) * log(max(p[y[i]], 1e-300))
            }
            slots.set(b, total)
        }
        let total = slots.values.reduce(0, +)
        var penalty = 0.0
        let width = x.columns + 1
        for model in 0..<m { for j in 0..<x.columns { penalty += theta[model * width + j] * theta[model * width + j] } }
        return c * total + 0.5 * penalty
    }

    /// The objective and its gradient in one pass over row blocks in parallel (for L-BFGS), as blocked matrix
    /// products (`LogisticKernels`): per `LogisticKernels.blockRows` rows the scores X_block·Wᵀ, the softmax in
    /// place, the residuals C·w·(P − Y), then the gradient += residualsᵀ·X_block. Each row block's partial sums
    /// are added in block order, so the result does not depend on the cores.
    func lossAndGradient(_ theta: [Double], _ x: Matrix, _ y: [Int], k: Int, m: Int, weights: [Double]? = nil) -> (Double, [Double]) {
        let c = self.c
        let d = x.columns, width = d + 1, size = m * width
        let offset = m == 1 ? 1 : 0   // binary: the free model is class 1
        let blocks = LogisticRegression.rowBlocks(x.rows)
        let slots = ConcurrentSlots<(Double, [Double])>(blocks.count)
        DispatchQueue.concurrentPerform(iterations: blocks.count) { block in
            let step = LogisticKernels.blockRows
            var g = [Double](repeating: 0, count: size)
            var z = [Double](repeating: 0, count: step * k)
            var residuals = [Double](repeating: 0, count: step * m)
            var total = 0.0
            theta.withUnsafeBufferPointer { tb in
                x.values.withUnsafeBufferPointer { xb in
                    g.withUnsafeMutableBufferPointer { gb in
                        z.withUnsafeMutableBufferPointer { zb in
                            residuals.withUnsafeMutableBufferPointer { rb in
                                guard let tp = tb.baseAddress, let xp = xb.baseAddress, let gp = gb.baseAddress,
                                      let zp = zb.baseAddress, let rp = rb.baseAddress else { return }
                                var start = blocks[block].lowerBound
                                while start < blocks[block].upperBound {
                                    let rows = min(step, blocks[block].upperBound - start)
                                    let xs = xp + start * d
                                    if m == 1 { for r in 0..<rows { zp[r * k] = 0 } }
                                    LogisticKernels.scores(xs, rows: rows, d: d, tp, m: m, into: zp, k: k, offset: offset)
                                    for r in 0..<rows {
                                        let i = start + r, p = zp + r * k
                                        LogisticKernels.softmax(p, k: k)
                                        let w = weights?[i] ?? 1
                                        total -= w * log(max(p[y[i]], 1e-300))
                                        let cw = c * w
                                        for a in 0..<m { rp[r * m + a] = cw * p[a + offset] }
                                        let own = y[i] - offset
                                        if own >= 0 { rp[r * m + own] -= cw }
                                    }
                                    LogisticKernels.addGradient(xs, rows: rows, d: d, rp, m: m, into: gp)
                                    start += rows
                                }
                            }
                        }
                    }
                }
            }
            slots.set(block, (total, g))
        }
        var loss = 0.0
        var g = [Double](repeating: 0, count: size)
        for (pl, pg) in slots.values {
            loss += pl
            for i in 0..<size { g[i] += pg[i] }
        }
        var penalty = 0.0
        for a in 0..<m {
            for j in 0..<d {
                let t = theta[a * width + j]
                penalty += t * t
                g[a * width + j] += t
            }
        }
        return (c * loss + 0.5 * penalty, g)
    }

    /// The gradient and Hessian of the objective (the Hessian's upper blocks filled, then mirrored), accumulated
    /// over row blocks in parallel on raw buffers; C is read once (a parameter read parses its text).
    func derivatives(_ theta: [Double], _ x: Matrix, _ y: [Int], k: Int, m: Int, weights: [Double]? = nil) -> ([Double], [Double]) {
        let c = self.c
        let d = x.columns, width = d + 1, size = m * width
        let offset = m == 1 ? 1 : 0   // binary: the free model is class 1
        let blocks = LogisticRegression.rowBlocks(x.rows)
        let slots = ConcurrentSlots<([Double], [Double])>(blocks.count)
        DispatchQueue.concurrentPerform(iterations: blocks.count) { block in
            var g = [Double](repeating: 0, count: size)
            var h = [Double](repeating: 0, count: size * size)
            var p = [Double](repeating: 0, count: k)
            var xt = [Double](repeating: 1, count: width)
            g.withUnsafeMutableBufferPointer { gb in
                h.withUnsafeMutableBufferPointer { hb in
                    xt.withUnsafeMutableBufferPointer { xb in
                        guard let gp = gb.baseAddress, let hp = hb.baseAddress, let xp = xb.baseAddress else { return }
                        for i in blocks[block] {
                            LogisticRegression.probabilities(theta, x, row: i, k: k, m: m, into: &p)
                            for j in 0..<d { xp[j] = x[i, j] }
                            let cw = c * (weights?[i] ?? 1)   // class_weight: the row's weight scales its loss
                            for a in 0..<m {
                                let ca = a + offset
                                VectorKernels.axpy(cw * (p[ca] - (y[i] == ca ? 1 : 0)), xp, gp + a * width, width)
                                for b in a..<m {
                                    let cb = b + offset
                                    let w = cw * p[ca] * ((ca == cb ? 1 : 0) - p[cb])
                                    if w == 0 { continue }
                                    for j in 0..<width {
                                        VectorKernels.axpy(w * xp[j], xp, hp + (a * width + j) * size + b * width, width)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            slots.set(block, (g, h))
        }
        var g = [Double](repeating: 0, count: size)
        var h = [Double](repeating: 0, count: size * size)
        for (pg, ph) in slots.values {
            for i in 0..<size { g[i] += pg[i] }
            for i in 0..<(size * size) { h[i] += ph[i] }
        }
        // Mirror the upper blocks, add the penalty (coefficients only) and a tiny ridge on intercepts,
        // whose common shift leaves the probabilities unchanged.
        for a in 0..<m { for b in (a + 1)..<max(a + 1, m) {
            for j in 0..<width { for l in 0..<width { h[(b * width + l) * size + a * width + j] = h[(a * width + j) * size + b * width + l] } }
        } }
        for a in 0..<m {
            for j in 0..<d {
                g[a * width + j] += theta[a * width + j]
                h[(a * width + j) * size + a * width + j] += 1
            }
            h[(a * width + d) * size + a * width + d] += 1e-10
        }
        return (g, h)
    }

    public struct Fitted: FittedClassifier {
        public static let kind = "logistic_regression"
        public var coefficients: [[Double]]
        public var intercepts: [Double]
        public var classCount: Int
        public var task: LearningTask { .classification }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(classCount, classes, "the class count")
            guard classCount >= 2 else { throw PetalError("a logistic regression needs at least two classes, got \(classCount)") }
            try Check.count(coefficients.count, classes == 2 ? 1 : classes, "coefficients")
            try Check.count(intercepts.count, coefficients.count, "intercepts")
            try Check.rows(coefficients, width: width, "a coefficient row")
        }

        public func predictProba(_ q: Matrix) -> Matrix {
            let m = coefficients.count, d = q.columns, k = classCount
            let width = d + 1
            var theta = [Double](repeating: 0, count: m * width)
            for a in 0..<m {
                for j in 0..<d { theta[a * width + j] = coefficients[a][j] }
                theta[a * width + d] = intercepts[a]
            }
            // Binary: class 0 scores 0 (the zeroed first column), class 1 the model's score.
            precondition(m == (k == 2 ? 1 : k), "\(m) models for \(k) classes (validate checks this)")
            var out = Matrix(rows: q.rows, columns: k)
            precondition(q.values.count >= q.rows * d, "a \(q.rows)×\(d) matrix holds \(q.values.count) values")
            theta.withUnsafeBufferPointer { tb in
                q.values.withUnsafeBufferPointer { qb in
                    out.values.withUnsafeMutableBufferPointer { ob in
                        guard let tp = tb.baseAddress, let qp = qb.baseAddress, let op = ob.baseAddress else { return }
                        LogisticKernels.scores(qp, rows: q.rows, d: d, tp, m: m, into: op, k: k, offset: m == 1 ? 1 : 0)
                        for r in 0..<q.rows { LogisticKernels.softmax(op + r * k, k: k) }
                    }
                }
            }
            return out
        }
    }
}

/// Solves A·x = b for a symmetric positive definite A (row-major, size × size) by Cholesky decomposition.
enum Cholesky {
    static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}
