import Foundation

/// Limited-memory BFGS with a backtracking Armijo line search: the minimiser that logistic regression uses on wide
/// or many-class problems (where Newton's Hessian costs too much) and the MLP uses for `solver=lbfgs`.
/// It stops after `maxIterations`, when the largest gradient component is at most `gradientTolerance`, or when the
/// objective's relative decrease falls to `relativeTolerance` (scipy's L-BFGS-B default `factr`·eps).
struct LBFGS {
    var maxIterations: Int
    var gradientTolerance: Double
    var relativeTolerance = 2.220446049250313e-09
    /// Correction pairs kept.
    var memory = 10

    /// Why the search stopped.
    enum Stop { case gradient, noDecrease, lineSearchFailed, iterations, interrupted }

    struct Result {
        var theta: [Double]
        var value: Double
        var iterations: Int
        var stop: Stop
    }

    /// Minimises `evaluate` (value and gradient) from `start`.
    /// - Parameters:
    ///   - interrupt: asked before each iteration; true stops the search (the point so far is returned).
    ///   - progress: told each accepted point's value.
    func minimize(from start: [Double], evaluate: ([Double]) -> (Double, [Double]),
                  interrupt: (Int) throws -> Bool = { _ in false }, progress: (Double) -> Void = { _ in }) rethrows -> Result {
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        var theta = start
        var (f, g) = evaluate(theta)
        var s: [[Double]] = [], yk: [[Double]] = [], rho: [Double] = []
        var iteration = 0
        var stop = Stop.iterations
        while iteration < maxIterations {
            if try interrupt(iteration) { stop = .interrupted; break }
            if (g.map(abs).max() ?? 0) <= gradientTolerance { stop = .gradient; break }
            // Two-loop recursion: d = −H·g.
            var q = g
            var a = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                a[i] = rho[i] * dot(s[i], q)
                for j in q.indices { q[j] -= a[i] * yk[i][j] }
            }
            let gamma = s.isEmpty ? 1 / max(1e-12, g.map(abs).reduce(0, +))
                : dot(s[s.count - 1], yk[s.count - 1]) / max(1e-300, dot(yk[s.count - 1], yk[s.count - 1]))
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
            guard accepted else { stop = .lineSearchFailed; break }
            let sk = zip(next, theta).map { $0 - $1 }, ykNew = zip(gNext, g).map { $0 - $1 }
            let sy = dot(sk, ykNew)
            if sy > 1e-10 {
                s.append(sk); yk.append(ykNew); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); yk.removeFirst(); rho.removeFirst() }
            }
            let change = (f - fNext) / max(abs(f), abs(fNext), 1)
            theta = next; f = fNext; g = gNext
            progress(f)
            iteration += 1
            if change <= relativeTolerance && iteration > 1 { stop = .noDecrease; break }
        }
        return Result(theta: theta, value: f, iterations: iteration, stop: stop)
    }
}
