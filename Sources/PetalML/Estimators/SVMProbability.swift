import Foundation

/// Class probabilities for support vector classifiers, as libsvm computes them: Platt's sigmoid fitted to
/// decision values (Lin, Lin and Weng's Newton method), and for more than two classes the pairwise
/// probabilities coupled by Wu, Lin and Weng's method 2 (`multiclass_probability`).
enum SVMProbability {
    /// Fits P(y = +1 | f) = 1 / (1 + exp(A·f + B)) to decision values `f` and labels (`true` for +1).
    static func sigmoid(_ f: [Double], _ positive: [Bool]) -> (a: Double, b: Double) {
        let prior1 = Double(positive.filter { $0 }.count), prior0 = Double(positive.count) - prior1
        let maxIterations = 100, minStep = 1e-10, sigma = 1e-12, eps = 1e-5
        let hi = (prior1 + 1) / (prior1 + 2), lo = 1 / (prior0 + 2)
        let t = positive.map { $0 ? hi : lo }
        var a = 0.0, b = log((prior0 + 1) / (prior1 + 1))
        func objective(_ a: Double, _ b: Double) -> Double {
            var v = 0.0
            for i in f.indices {
                let fApB = f[i] * a + b
                v += fApB >= 0 ? t[i] * fApB + log(1 + exp(-fApB)) : (t[i] - 1) * fApB + log(1 + exp(fApB))
            }
            return v
        }
        var value = objective(a, b)
        for _ in 0..<maxIterations {
            var h11 = sigma, h22 = sigma, h21 = 0.0, g1 = 0.0, g2 = 0.0
            for i in f.indices {
                let fApB = f[i] * a + b
                let p: Double, q: Double
                if fApB >= 0 { p = exp(-fApB) / (1 + exp(-fApB)); q = 1 / (1 + exp(-fApB)) } else { p = 1 / (1 + exp(fApB)); q = exp(fApB) / (1 + exp(fApB)) }
                let d2 = p * q
                h11 += f[i] * f[i] * d2; h22 += d2; h21 += f[i] * d2
                let d1 = t[i] - p
                g1 += f[i] * d1; g2 += d1
            }
            if abs(g1) < eps && abs(g2) < eps { break }
            let det = h11 * h22 - h21 * h21
            let dA = -(h22 * g1 - h21 * g2) / det, dB = -(-h21 * g1 + h11 * g2) / det
            let gd = g1 * dA + g2 * dB
            var step = 1.0
            while step >= minStep {
                let newA = a + step * dA, newB = b + step * dB
                let newValue = objective(newA, newB)
                if newValue < value + 0.0001 * step * gd { a = newA; b = newB; value = newValue; break }
                step /= 2
            }
            if step < minStep { break }
        }
        return (a, b)
    }

    /// P(+1) for decision value `f` (libsvm's `sigmoid_predict`).
    static func sigmoidPredict(_ f: Double, a: Double, b: Double) -> Double {
        let fApB = f * a + b
        return fApB >= 0 ? exp(-fApB) / (1 + exp(-fApB)) : 1 / (1 + exp(fApB))
    }

    /// Class probabilities from the pairwise decision values of one row (pairs in libsvm's order: (0,1), (0,2), …).
    static func classProbabilities(_ decisions: [Double], a: [Double], b: [Double], k: Int) -> [Double] {
        let minProbability = 1e-7
        var r = Array(repeating: Array(repeating: 0.0, count: k), count: k)
        var pair = 0
        for i in 0..<k {
            for j in (i + 1)..<max(i + 1, k) {
                r[i][j] = min(max(sigmoidPredict(decisions[pair], a: a[pair], b: b[pair]), minProbability), 1 - minProbability)
                r[j][i] = 1 - r[i][j]
                pair += 1
            }
        }
        if k == 2 { return [r[0][1], r[1][0]] }
        return couple(r, k: k)
    }

    /// Wu, Lin and Weng's method 2: minimises Σ (r_ji p_i − r_ij p_j)² over the simplex by the fixed-point
    /// iteration libsvm uses (at most max(100, k) sweeps, to tolerance 0.005/k).
    static func couple(_ r: [[Double]], k: Int) -> [Double] {
        var p = Array(repeating: 1 / Double(k), count: k)
        var q = Array(repeating: Array(repeating: 0.0, count: k), count: k)
        var qp = Array(repeating: 0.0, count: k)
        let eps = 0.005 / Double(k)
        for t in 0..<k {
            for j in 0..<t { q[t][t] += r[j][t] * r[j][t]; q[t][j] = q[j][t] }
            for j in (t + 1)..<max(t + 1, k) { q[t][t] += r[j][t] * r[j][t]; q[t][j] = -r[j][t] * r[t][j] }
        }
        for _ in 0..<max(100, k) {
            var pqp = 0.0
            for t in 0..<k {
                qp[t] = 0
                for j in 0..<k { qp[t] += q[t][j] * p[j] }
                pqp += p[t] * qp[t]
            }
            var maxError = 0.0
            for t in 0..<k { maxError = max(maxError, abs(qp[t] - pqp)) }
            if maxError < eps { break }
            for t in 0..<k {
                let diff = (-qp[t] + pqp) / q[t][t]
                p[t] += diff
                pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff)
                for j in 0..<k {
                    qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff)
                    p[j] /= (1 + diff)
                }
            }
        }
        return p
    }
}
