import Foundation
import PetalData

extension SVM {
    /// libsvm's `svm_train` for C-SVC: classes sorted, rows grouped by class (training order within a class),
    /// one binary problem per pair (i, j) with class i as +1, C scaled by the class weights; the support vectors
    /// are the rows with a non-zero α in any pair, and the coefficients are laid out as libsvm's `sv_coef`.
    func fitClassifier(_ x: Matrix, labels: [Int], classCount: Int, control: LoadControl?) throws -> Classifier {
        let present = Array(Set(labels)).sorted()
        guard present.count >= 2 else { throw PetalError("svm needs at least two classes in the training rows") }
        var grouped = Array(repeating: [Int](), count: present.count)
        let position = Dictionary(uniqueKeysWithValues: present.enumerated().map { ($1, $0) })
        for (r, label) in labels.enumerated() { if let g = position[label] { grouped[g].append(r) } }
        let groups = grouped
        let k = present.count
        let kernel = kernel(for: x)
        let classWeights = ClassWeight.perClass(self[Self.classWeightParam], labels: labels, classCount: classCount)
        let weightedC = present.map { self[Self.cParam] * (classWeights?[$0] ?? 1) }
        var rng = NumpyRandomState(seed: UInt32(truncatingIfNeeded: self[Self.randomStateParam]))
        control?.setTotal(k * (k - 1) / 2)

        // The pairs' problems are independent: solve them on every core, then calibrate in pair order.
        let pairs = (0..<k).flatMap { i in ((i + 1)..<k).map { (i, $0) } }
        let solutions = try SVM.concurrently(pairs.count) { p -> SVMSolver.Solution in
            let (i, j) = pairs[p]
            let (gi, gj) = (groups[i].count, groups[j].count)
            let y = [Int8](repeating: 1, count: gi) + [Int8](repeating: -1, count: gj)
            let c = [Double](repeating: weightedC[i], count: gi) + [Double](repeating: weightedC[j], count: gj)
            let s = try solve(x, rows: groups[i] + groups[j], kernel: kernel, p: Array(repeating: -1, count: gi + gj), y: y, c: c,
                              regression: false, control: control)
            control?.advance(by: 1)
            return s
        }
        var nonzero = groups.map { Array(repeating: false, count: $0.count) }
        var pairAlpha: [[Double]] = [], rho: [Double] = [], probA: [Double] = [], probB: [Double] = []
        for (p, (i, j)) in pairs.enumerated() {
            let s = solutions[p], gi = groups[i].count, gj = groups[j].count
            let y = [Int8](repeating: 1, count: gi) + [Int8](repeating: -1, count: gj)
            let alpha = zip(s.alpha, y).map { $0 * Double($1) }
            for (t, a) in alpha.enumerated() where a != 0 {
                if t < gi { nonzero[i][t] = true } else { nonzero[j][t - gi] = true }
            }
            pairAlpha.append(alpha); rho.append(s.rho)
            let sigmoid: (a: Double, b: Double)
            if self[Self.probabilityParam] {
                sigmoid = try crossValidatedSigmoid(x, positive: groups[i], negative: groups[j], cp: weightedC[i], cn: weightedC[j],
                                                    kernel: kernel, rng: &rng, control: control)
            } else {
                // Training decision values from the final gradient: Σ_s y_s α_s K_ts = y_t (G_t + 1).
                let f = (0..<(gi + gj)).map { Double(y[$0]) * (s.gradient[$0] + 1) - s.rho }
                sigmoid = SVMProbability.sigmoid(f, y.map { $0 == 1 })
            }
            probA.append(sigmoid.a); probB.append(sigmoid.b)
        }

        // Support vectors per class and libsvm's coefficient layout: pair (i, j)'s coefficients of class i's
        // vectors go to row j − 1, those of class j's vectors to row i.
        let support = (0..<k).map { g in groups[g].indices.filter { nonzero[g][$0] } }
        var starts = [0]
        for g in 0..<(k - 1) { starts.append(starts[g] + support[g].count) }
        let total = support.reduce(0) { $0 + $1.count }
        var coefficients = Array(repeating: Array(repeating: 0.0, count: total), count: k - 1)
        var pair = 0
        for i in 0..<k {
            for j in (i + 1)..<k {
                let alpha = pairAlpha[pair], gi = groups[i].count
                for (n, t) in support[i].enumerated() { coefficients[j - 1][starts[i] + n] = alpha[t] }
                for (n, t) in support[j].enumerated() { coefficients[i][starts[j] + n] = alpha[gi + t] }
                pair += 1
            }
        }
        let rows = (0..<k).flatMap { g in support[g].map { groups[g][$0] } }
        return Classifier(kernel: kernel, classCount: classCount, labels: present, supportVectors: x.rows(rows),
                          supportCounts: support.map(\.count), coefficients: coefficients, rho: rho, probA: probA, probB: probB)
    }

    /// `body(0..<count)` on every core; the results in order, or the first error.
    static func concurrently<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let results = ConcurrentResults<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { index in results.set(index, Result { try body(index) }) }
        return try results.values()
    }

    /// libsvm's `svm_binary_svc_probability`: decision values from 5-fold cross-validation (rows shuffled with
    /// `rng`), each fold's model trained with C = Cp/Cn, then Platt's sigmoid fitted to them.
    func crossValidatedSigmoid(_ x: Matrix, positive: [Int], negative: [Int], cp: Double, cn: Double, kernel: SVMKernel,
                               rng: inout NumpyRandomState, control: LoadControl?) throws -> (a: Double, b: Double) {
        let rows = positive + negative
        let isPositive = positive.map { _ in true } + negative.map { _ in false }
        let l = rows.count, folds = 5
        var perm = Array(0..<l)
        for i in 0..<l { perm.swapAt(i, i + rng.interval(l - i - 1)) }
        var f = [Double](repeating: 0, count: l)
        for fold in 0..<folds {
            let begin = fold * l / folds, end = (fold + 1) * l / folds
            let train = Array(perm[0..<begin]) + Array(perm[end..<l])
            let pos = train.filter { isPositive[$0] }, neg = train.filter { !isPositive[$0] }
            let held = Array(perm[begin..<end])
            if pos.isEmpty || neg.isEmpty {
                for t in held { f[t] = pos.isEmpty ? (neg.isEmpty ? 0 : -1) : 1 }
                continue
            }
            let y = [Int8](repeating: 1, count: pos.count) + [Int8](repeating: -1, count: neg.count)
            let c = [Double](repeating: cp, count: pos.count) + [Double](repeating: cn, count: neg.count)
            let subRows = (pos + neg).map { rows[$0] }
            let s = try solve(x, rows: subRows, kernel: kernel, p: Array(repeating: -1, count: y.count), y: y, c: c,
                              regression: false, control: control)
            let sv = s.alpha.indices.filter { s.alpha[$0] != 0 }
            let model = Regressor(kernel: kernel, supportVectors: x.rows(sv.map { subRows[$0] }),
                                  coefficients: sv.map { s.alpha[$0] * Double(y[$0]) }, rho: s.rho)
            for (t, v) in zip(held, model.predictValues(x.rows(held.map { rows[$0] }))) { f[t] = v }
        }
        return SVMProbability.sigmoid(f, isPositive)
    }
}

/// Results written by concurrent workers, each index once, under a lock.
private final class ConcurrentResults<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<T, Error>?]
    init(_ n: Int) { results = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ r: Result<T, Error>) { lock.lock(); results[i] = r; lock.unlock() }
    /// The values in order, or the first error by index.
    func values() throws -> [T] { try results.compactMap { try $0?.get() } }
}
