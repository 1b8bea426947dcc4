import Foundation
import PetalData

extension HistGradientBoosting {
    /// Boosting rounds: gradients and hessians of the loss at the current scores, one tree per score column,
    /// scores moved by the trees' (already shrunk) leaf values; with early stopping, until the held-out loss has
    /// not improved by 1e-7 in 10 rounds (scikit-learn's `n_iter_no_change`, `tol`).
    /// - Throws: a `PetalError` when cancelled.
    func boost(_ x: Matrix, target: Target, classCount k: Int, control: LoadControl?) throws -> Fitted {
        let n = x.rows
        var rng = SplitMix64(seed: UInt64(self[Self.randomState]))
        let early: Bool
        switch self[Self.earlyStopping] { case "true": early = true; case "false": early = false; default: early = n > 10_000 }
        var trainRows = Array(0..<n), validRows: [Int] = []
        if early && n >= 20 {
            var order = Array(0..<n)
            order.shuffle(using: &rng)
            let held = Int((Double(n) * 0.1).rounded(.up))
            validRows = order.prefix(held).sorted(); trainRows = order.dropFirst(held).sorted()
        }
        let xt = validRows.isEmpty ? x : x.rows(trainRows), xv = x.rows(validRows)
        let m = xt.rows
        // Targets per score column: y (regression), or 1/0 per class (the second class only, for two classes).
        let columns = k <= 2 ? 1 : k
        var y: [[Double]] = [], yValid: [[Double]] = []
        switch target {
        case .values(let v):
            y = [trainRows.map { v[$0] }]; yValid = [validRows.map { v[$0] }]
        case .classes(let labels):
            let classesOf = k == 2 ? [1] : Array(0..<k)
            y = classesOf.map { c in trainRows.map { labels[$0] == c ? 1 : 0 } }
            yValid = classesOf.map { c in validRows.map { labels[$0] == c ? 1 : 0 } }
        case .none:
            throw PetalError("hist_gradient_boosting needs target=COLUMN: the class or number to predict")
        }
        let regression = k == 0
        var baseline: [Double]
        if regression {
            baseline = [y[0].reduce(0, +) / Double(max(1, m))]
        } else {
            let p = y.map { min(max($0.reduce(0, +) / Double(max(1, m)), 1e-15), 1 - 1e-15) }
            if k == 2 { baseline = [log(p[0] / (1 - p[0]))] } else {
                let logs = p.map { log($0) }, mean = logs.reduce(0, +) / Double(k)
                baseline = logs.map { $0 - mean }
            }
        }
        let binner = HistBinner(xt, maxBins: self[Self.maxBins], rng: &rng)
        let grower = HistTreeGrower(binned: binner.bin(xt), rows: m, features: x.columns, thresholds: binner.thresholds,
                                    maxLeafNodes: self[Self.maxLeafNodes], maxDepth: self[Self.maxDepth], minSamplesLeaf: self[Self.minSamplesLeaf],
                                    l2: self[Self.l2Regularization], learningRate: self[Self.learningRate])
        var raw = Matrix(rows: m, columns: columns), rawValid = Matrix(rows: xv.rows, columns: columns)
        for c in 0..<columns { for r in 0..<m { raw[r, c] = baseline[c] }; for r in 0..<xv.rows { rawValid[r, c] = baseline[c] } }
        var rounds: [[TreeModel]] = [], sides: [[[Bool]]] = []
        var scores = [validScore(rawValid, yValid, classCount: k)]
        let all = Array(0..<m)
        let iterations = self[Self.maxIter]
        control?.setTotal(iterations)
        // One set of buffers for every tree; the trees of a round are grown one after another, each using both cores.
        let workspace = HistWorkspace(rows: m)
        var g = [Double](repeating: 0, count: m)
        let h = [Double](repeating: 1, count: m)   // squared error: every hessian is 1
        let classUnits = HistTreeGrower.Units(g: HistFixedPoint(largest: 1, rows: m), h: HistFixedPoint(largest: 0.25, rows: m))
        let targets = y
        var probabilities = Matrix(rows: 0, columns: 0, values: [])   // the round's, in one buffer for every round
        for _ in 0..<iterations {
            if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
            control?.advance(by: 1)
            // A round's trees (one per score column) depend only on the scores before the round.
            if !regression { Self.probabilities(raw, classCount: k, into: &probabilities) }
            let p = regression ? raw : probabilities
            var trees: [TreeModel] = [], directions: [[Bool]] = []
            for c in 0..<columns {
                let grown: HistTreeGrower.Grown
                if regression {
                    g.withUnsafeMutableBufferPointer { gb in
                        guard let gp = gb.baseAddress else { return }
                        let out = RowSink(values: gp)
                        RowBlocks.each(rows: m) { rows in
                            for r in rows { out.values[r] = p[r, 0] - targets[0][r] }
                        }
                    }
                    guard let tree = grower.grow(all, g: g, h: h, workspace: workspace) else {
                        throw PetalError("hist_gradient_boosting: a gradient is not a finite number (the target has values too large to fit, or infinite)")
                    }
                    grown = tree
                } else {
                    // Log loss: gradient q − y in [−1, 1] and hessian q(1 − q) in (0, ¼], so the fixed-point scales are
                    // known before the rows are seen and the gradients go straight into the workspace.
                    guard let rg = workspace.rowG.baseAddress, let rh = workspace.rowH.baseAddress else { break }
                    let out = FixedGradientPointers(g: rg, h: rh), units = classUnits
                    RowBlocks.each(rows: m) { rows in
                        for r in rows {
                            let q = k == 2 ? p[r, 1] : p[r, c], d = q - targets[c][r], s = q * (1 - q)
                            // (A probability that is not a number cannot arise: leaf values are finite.)
                            out.g[r] = units.g.fixed(d >= -1 && d <= 1 ? d : 0)
                            out.h[r] = units.h.fixed(s >= 1e-16 ? min(s, 0.25) : 1e-16)
                        }
                    }
                    grown = grower.grow(all, units: units, workspace: workspace)
                }
                let tree = grown.tree, missing = grown.missingLeft
                // Training rows move by their leaf's value (known from the grower; the leaves' rows differ, so the
                // leaves go in parallel); held-out rows walk the tree, in blocks of rows.
                raw.values.withUnsafeMutableBufferPointer { rb in
                    guard let base = rb.baseAddress, let order = workspace.order.baseAddress else { return }
                    let shared = LeafRows(scores: base, order: order), leaves = grown.leaves
                    DispatchQueue.concurrentPerform(iterations: leaves.count) { j in
                        let v = tree.value[leaves[j].node].first ?? 0
                        for i in leaves[j].range { shared.scores[shared.order[i] * columns + c] += v }
                    }
                }
                rawValid.values.withUnsafeMutableBufferPointer { vb in
                    guard let base = vb.baseAddress else { return }
                    let sink = RowSink(values: base)
                    RowBlocks.each(rows: xv.rows) { rows in
                        for r in rows { sink.values[r * columns + c] += tree.value[tree.leaf(xv, row: r, missingLeft: missing)].first ?? 0 }
                    }
                }
                trees.append(tree); directions.append(missing)
            }
            rounds.append(trees); sides.append(directions)
            guard !validRows.isEmpty else { continue }
            scores.append(validScore(rawValid, yValid, classCount: k))
            if scores.count > 10, let reference = scores[safe: scores.count - 11], !scores.suffix(10).contains(where: { $0 > reference + 1e-7 }) { break }
        }
        return Fitted(baseline: baseline, rounds: rounds, missingLeft: sides, classCount: k)
    }

    /// Minus the mean loss on the held-out rows (half squared error, or log loss).
    func validScore(_ raw: Matrix, _ y: [[Double]], classCount k: Int) -> Double {
        guard raw.rows > 0 else { return 0 }
        var loss = 0.0
        if k == 0 {
            for r in 0..<raw.rows { let d = raw[r, 0] - y[0][r]; loss += 0.5 * d * d }
        } else {
            let p = Self.probabilities(raw, classCount: k)
            for r in 0..<raw.rows {
                let truth = k == 2 ? Int(y[0][r]) : (0..<k).first { y[$0][r] == 1 } ?? 0
                loss -= log(max(p[r, truth], 1e-15))
            }
        }
        return -loss / Double(raw.rows)
    }
}

/// Fixed-point gradients and hessians as seen by `RowBlocks` workers (each writes only its own rows).
struct FixedGradientPointers: @unchecked Sendable {
    let g: UnsafeMutablePointer<Int64>
    let h: UnsafeMutablePointer<Int64>
}

/// The training scores and the grower's row order as seen by the leaves' workers (each leaf's rows are its own).
struct LeafRows: @unchecked Sendable {
    let scores: UnsafeMutablePointer<Double>
    let order: UnsafeMutablePointer<Int>
}
