import PetalData

/// scikit-learn's `enet_coordinate_descent` on centred data (its `fit_intercept=True`, `selection="cyclic"`), with its
/// stopping rule (a pass that moves no coefficient by more than `tol` of the largest, then the duality gap below
/// `tol`·‖y‖²) and its gap-safe screening. Lasso and elastic net share it.
///
/// The passes need only Xⱼᵀr for the current residual r = y − Xw. With more rows than features that is
/// Xⱼᵀy − (XᵀX w)ⱼ, so the rows are read once to build the d×d Gram matrix and each pass costs O(d²) instead of
/// O(n·d) — scikit-learn's `enet_coordinate_descent_gram` (its `precompute=True`), the same iterations in exact
/// arithmetic. With at least as many features as rows, or more than `gramFeatures`, the residual is kept instead
/// (`ResidualState`).
enum CoordinateDescent {
    /// Coefficients, intercept and the passes made.
    static func fit(_ x: Matrix, _ y: [Double], alpha a: Double, l1Ratio: Double, maxIter: Int, tol tolerance: Double)
        -> (coefficients: [Double], intercept: Double, iterations: Int) {
        let n = x.rows, d = x.columns
        guard n > 0, d > 0, y.count == n else { return ([Double](repeating: 0, count: d), 0, 0) }
        precondition(x.values.count == n * d)
        let means = DenseProduct.columnMeans(x)
        let yMean = y.reduce(0, +) / Double(n)
        let yc = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { yc.deallocate() }
        for i in 0..<n { yc[i] = y[i] - yMean }
        let problem = Problem(alpha: a * l1Ratio * Double(n), beta: a * (1 - l1Ratio) * Double(n),
                              tol: tolerance * VectorKernels.sumOfSquares(yc, n), relativeTol: tolerance, maxIter: maxIter)
        var w = [Double](repeating: 0, count: d)
        let iterations: Int
        if n > d, d <= Self.gramFeatures {
            // The Gram matrix is made from the rows a chunk at a time: no centred copy of the data (a new n × d
            // buffer was most of a small fit on wide data, its pages faulted in and zeroed by the kernel).
            var state = GramState(x, means: means, yc: yc)
            defer { state.release() }
            iterations = problem.solve(&state, &w)
        } else {
            // Centre the columns (a column-major copy for the inner loops): each coordinate reads its column.
            let columns = UnsafeMutablePointer<Double>.allocate(capacity: n * d)
            defer { columns.deallocate() }
            Self.centredTranspose(x, means: means, into: columns)
            var state = ResidualState(columns: columns, yc: yc, n: n, d: d)
            defer { state.release() }
            iterations = problem.solve(&state, &w)
        }
        let intercept = yMean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 }
        return (w, intercept, iterations)
    }

    /// The most features for which the Gram matrix is used (with more rows than features). Building it costs n·d²
    /// multiply-adds, at matrix-product speed on every core, about d/16 passes over the rows on one core; the
    /// residual needs a centred column-major copy (n·d new values) and then one pass a sweep. A lasso often
    /// converges in a few sweeps (scikit-learn's default, `precompute=False`, always keeps the residual), so past a
    /// few hundred features the Gram matrix costs more than the sweeps it saves (d = 1,000 on 40,000 rows: 40
    /// billion multiply-adds against a few passes of 40 million).
    static let gramFeatures = 256

    /// `out[j·n + i] = x[i, j] − means[j]`, a block of rows at a time: the block's rows stay in cache while each
    /// column's stretch is written in order (row by row, every write would land on a cache line of its own).
    static func centredTranspose(_ x: Matrix, means: [Double], into out: UnsafeMutablePointer<Double>) {
        let n = x.rows, d = x.columns
        precondition(x.values.count == n * d && means.count == d)
        let block = 64
        x.values.withUnsafeBufferPointer { v in
            means.withUnsafeBufferPointer { mu in
                guard let from = v.baseAddress else { return }
                var start = 0
                while start < n {
                    let end = min(n, start + block)
                    for j in 0..<d {
                        let m = mu[j]
                        var to = out + j * n + start
                        var p = from + start * d + j
                        for _ in start..<end { to.pointee = p.pointee - m; to += 1; p += d }
                    }
                    start = end
                }
            }
        }
    }

    /// The penalties scaled by n (α·ρ·n and α(1 − ρ)·n), the absolute gap tolerance and the pass limit.
    struct Problem {
        var alpha: Double, beta: Double, tol: Double, relativeTol: Double, maxIter: Int

        /// Cyclic coordinate descent from w; the number of passes made.
        func solve<S: DescentState>(_ s: inout S, _ w: inout [Double]) -> Int {
            let d = w.count
            var xtA = [Double](repeating: 0, count: d)
            /// The duality gap (formulation A for alpha > 0, B for a pure ridge, the gradient for least squares) and
            /// ‖XᵀA‖∞, filling xtA with Xⱼᵀr − β·wⱼ.
            func gap() -> (Double, Double) {
                let wNorm2 = beta > 0 ? w.reduce(0) { $0 + $1 * $1 } : 0
                let (rNorm2, ry) = s.residualNorms(w)
                if alpha == 0 {
                    var norm = 0.0
                    for j in 0..<d { xtA[j] = s.xtr(j, w); norm += xtA[j] * xtA[j] }
                    if beta == 0 { return (norm, norm) }
                    return (rNorm2 + 0.5 * beta * wNorm2 - ry + norm / (2 * beta), norm)
                }
                var dualNorm = 0.0
                for j in 0..<d { xtA[j] = s.xtr(j, w) - beta * w[j]; dualNorm = max(dualNorm, abs(xtA[j])) }
                let l1 = w.reduce(0) { $0 + abs($1) }
                let primal = 0.5 * (rNorm2 + beta * wNorm2) + alpha * l1
                let scale = dualNorm > alpha ? alpha / dualNorm : 1
                let dual = -0.5 * scale * scale * (rNorm2 + beta * wNorm2) + scale * ry
                return (primal - dual, dualNorm)
            }
            var active = Array(0..<d)
            var excluded = [Bool](repeating: false, count: d)
            /// Gap-safe screening: features provably zero at the optimum leave the active set.
            func screen(_ g: Double, _ dualNorm: Double) {
                var kept: [Int] = []
                for j in 0..<d where !excluded[j] {
                    let norm2 = s.norm2(j)
                    if norm2 == 0 { w[j] = 0; excluded[j] = true; continue }
                    let theta = xtA[j] / max(alpha, dualNorm)
                    let dj = (1 - abs(theta)) / (norm2 + beta).squareRoot()
                    if dj <= (2 * g).squareRoot() / alpha {
                        kept.append(j)
                    } else {
                        if w[j] != 0 { s.moved(j, by: -w[j]); w[j] = 0 }
                        excluded[j] = true
                    }
                }
                active = kept
            }
            let screening = alpha != 0
            var (g, dualNorm) = gap()
            guard g > tol else { return 0 }
            if screening { screen(g, dualNorm) }
            var iterations = 0
            for pass in 0..<maxIter {
                iterations = pass + 1
                var wMax = 0.0, dwMax = 0.0
                for j in active {
                    let norm2 = s.norm2(j)
                    if norm2 == 0 { continue }
                    let old = w[j]
                    let tmp = s.xtr(j, w) + old * norm2
                    w[j] = (tmp < 0 ? -1 : (tmp > 0 ? 1 : 0)) * max(abs(tmp) - alpha, 0) / (norm2 + beta)
                    if w[j] != old { s.moved(j, by: w[j] - old) }
                    dwMax = max(dwMax, abs(w[j] - old))
                    wMax = max(wMax, abs(w[j]))
                }
                if wMax == 0 || dwMax / wMax <= relativeTol || pass == maxIter - 1 {
                    (g, dualNorm) = gap()
                    if g <= tol { break }
                    if screening { screen(g, dualNorm) }
                }
            }
            return iterations
        }
    }
}

/// What a coordinate-descent pass needs of the data: ‖Xⱼ‖², Xⱼᵀr, the update after wⱼ moved, and ‖r‖², rᵀy.
protocol DescentState {
    func norm2(_ j: Int) -> Double
    func xtr(_ j: Int, _ w: [Double]) -> Double
    mutating func moved(_ j: Int, by delta: Double)
    func residualNorms(_ w: [Double]) -> (rr: Double, ry: Double)
}

/// The residual r = y − Xw kept explicitly: O(n) per coordinate (scikit-learn's `enet_coordinate_descent`).
struct ResidualState: DescentState {
    let columns: UnsafeMutablePointer<Double>, yc: UnsafeMutablePointer<Double>, n: Int
    let r: UnsafeMutablePointer<Double>
    var norms: [Double]

    init(columns: UnsafeMutablePointer<Double>, yc: UnsafeMutablePointer<Double>, n: Int, d: Int) {
        self.columns = columns; self.yc = yc; self.n = n
        r = .allocate(capacity: n)
        r.update(from: yc, count: n)
        norms = (0..<d).map { VectorKernels.sumOfSquares(columns + $0 * n, n) }
    }
    func release() { r.deallocate() }
    func norm2(_ j: Int) -> Double { norms[j] }
    func xtr(_ j: Int, _ w: [Double]) -> Double { VectorKernels.dot(columns + j * n, r, n) }
    mutating func moved(_ j: Int, by delta: Double) { VectorKernels.axpy(-delta, columns + j * n, r, n) }
    func residualNorms(_ w: [Double]) -> (rr: Double, ry: Double) {
        (VectorKernels.sumOfSquares(r, n), VectorKernels.dot(r, yc, n))
    }
}

/// The Gram matrix G = XᵀX, q = Xᵀy and Gw kept instead: O(d) per coordinate after one O(n·d²) pass over the rows
/// (scikit-learn's `enet_coordinate_descent_gram`; X and y centred). Xⱼᵀr = qⱼ − (Gw)ⱼ, ‖r‖² = ‖y‖² − 2qᵀw + wᵀGw.
struct GramState: DescentState {
    let d: Int
    let gram: UnsafeMutablePointer<Double>
    var q: [Double], gw: [Double]
    let yy: Double

    /// From the rows of `x`, centred by `means`, and the centred targets `yc`: [X−μ | yc]ᵀ[X−μ | yc] (the targets
    /// beside the rows as one more column) holds G, q = Xᵀyc and ‖yc‖² (`DenseProduct.centredGram`).
    init(_ x: Matrix, means: [Double], yc: UnsafeMutablePointer<Double>) {
        let d = x.columns
        self.d = d
        let sums = DenseProduct.centredGram(x, means: means, target: yc)
        gram = .allocate(capacity: d * d)
        gram.initialize(from: sums.gram, count: d * d)
        q = sums.xty
        gw = [Double](repeating: 0, count: d)
        yy = sums.tt
    }
    func release() { gram.deallocate() }
    func norm2(_ j: Int) -> Double { gram[j * d + j] }
    func xtr(_ j: Int, _ w: [Double]) -> Double { q[j] - gw[j] }
    mutating func moved(_ j: Int, by delta: Double) {
        gw.withUnsafeMutableBufferPointer { g in
            if let base = g.baseAddress { VectorKernels.axpy(delta, gram + j * d, base, d) }
        }
    }
    func residualNorms(_ w: [Double]) -> (rr: Double, ry: Double) {
        var qw = 0.0, wgw = 0.0
        for j in 0..<d { qw += q[j] * w[j]; wgw += w[j] * gw[j] }
        return (max(yy - 2 * qw + wgw, 0), yy - qw)
    }
}
