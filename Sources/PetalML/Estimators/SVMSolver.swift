import Foundation
import PetalData

/// libsvm's SMO solver (Fan, Chen and Lin 2005), ported step for step so that Petal's support vector machines
/// find the solutions scikit-learn's do: minimise ½αᵀQα + pᵀα subject to yᵀα = 0 and 0 ≤ α_i ≤ C_i, choosing
/// each working pair by second-order information (WSS3), shrinking bounded variables away and reconstructing
/// the gradient before stopping, and stopping when the maximal violation is below `eps`.
struct SVMSolver {
    private enum Status: UInt8 { case lower, upper, free }
    private static let tau = 1e-12

    private let q: SVMQMatrix
    private let l: Int
    private var y: [Int8], p: [Double], c: [Double], alpha: [Double]
    private var status: [Status]
    private var g: [Double], gBar: [Double]
    private var active: [Int]
    private var activeSize: Int
    private var unshrink = false
    private let eps: Double

    /// The solution in the caller's variable order: α, the gradient Qα + p at the end (whole: the solver stops
    /// only after reconstructing it), ρ (the decision function's offset) and the iterations run.
    struct Solution { var alpha: [Double]; var gradient: [Double]; var rho: Double; var iterations: Int }

    /// - Parameters: `maxIterations` nil for libsvm's own cap (max(10⁷, 100·l)).
    /// - Throws: when `control` cancels.
    static func solve(_ q: SVMQMatrix, p: [Double], y: [Int8], c: [Double], eps: Double, shrinking: Bool,
                      maxIterations: Int?, control: LoadControl?) throws -> Solution {
        var s = SVMSolver(q: q, p: p, y: y, c: c, eps: eps)
        return try s.run(shrinking: shrinking, maxIterations: maxIterations ?? max(10_000_000, 100 * y.count), control: control)
    }

    private init(q: SVMQMatrix, p: [Double], y: [Int8], c: [Double], eps: Double) {
        self.q = q; l = y.count; self.y = y; self.p = p; self.c = c; self.eps = eps
        alpha = Array(repeating: 0, count: l)
        status = Array(repeating: .lower, count: l)
        active = Array(0..<l); activeSize = l
        g = p; gBar = Array(repeating: 0, count: l)
        for i in 0..<l { updateStatus(i) }
        // α starts at 0, so the gradient is p and G_bar is 0 (libsvm's loop over non-lower-bound α adds nothing).
    }

    private mutating func updateStatus(_ i: Int) {
        status[i] = alpha[i] >= c[i] ? .upper : alpha[i] <= 0 ? .lower : .free
    }
    private func isUpper(_ i: Int) -> Bool { status[i] == .upper }
    private func isLower(_ i: Int) -> Bool { status[i] == .lower }
    private func isFree(_ i: Int) -> Bool { status[i] == .free }

    private mutating func run(shrinking: Bool, maxIterations: Int, control: LoadControl?) throws -> Solution {
        var iterations = 0
        var counter = min(l, 1000) + 1
        while iterations < maxIterations {
            counter -= 1
            if counter == 0 {
                counter = min(l, 1000)
                if shrinking { doShrinking() }
                if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
            }
            var pair = selectWorkingSet()
            if pair == nil {
                reconstructGradient()
                activeSize = l
                pair = selectWorkingSet()
                guard pair != nil else { break }
                counter = 1     // shrink on the next iteration
            }
            guard let (i, j) = pair else { break }
            iterations += 1
            step(i, j)
        }
        let rho = calculateRho()
        reconstructGradient()   // after max_iter stops early; otherwise already whole
        var out = Array(repeating: 0.0, count: l), gradient = out
        for i in 0..<l { out[active[i]] = alpha[i]; gradient[active[i]] = g[i] }
        return Solution(alpha: out, gradient: gradient, rho: rho, iterations: iterations)
    }

    /// Updates α_i and α_j analytically, keeping them in their boxes, then the gradient and G_bar.
    private mutating func step(_ i: Int, _ j: Int) {
        let qi = q.column(i, length: activeSize)
        let qj = q.column(j, length: activeSize)
        let ci = c[i], cj = c[j]
        let oldI = alpha[i], oldJ = alpha[j]
        let qd = q.diagonal
        if y[i] != y[j] {
            var quad = qd[i] + qd[j] + 2 * Double(qi[j])
            if quad <= 0 { quad = Self.tau }
            let delta = (-g[i] - g[j]) / quad
            let diff = alpha[i] - alpha[j]
            alpha[i] += delta; alpha[j] += delta
            if diff > 0 {
                if alpha[j] < 0 { alpha[j] = 0; alpha[i] = diff }
            } else {
                if alpha[i] < 0 { alpha[i] = 0; alpha[j] = -diff }
            }
            if diff > ci - cj {
                if alpha[i] > ci { alpha[i] = ci; alpha[j] = ci - diff }
            } else {
                if alpha[j] > cj { alpha[j] = cj; alpha[i] = cj + diff }
            }
        } else {
            var quad = qd[i] + qd[j] - 2 * Double(qi[j])
            if quad <= 0 { quad = Self.tau }
            let delta = (g[i] - g[j]) / quad
            let sum = alpha[i] + alpha[j]
            alpha[i] -= delta; alpha[j] += delta
            if sum > ci {
                if alpha[i] > ci { alpha[i] = ci; alpha[j] = sum - ci }
            } else {
                if alpha[j] < 0 { alpha[j] = 0; alpha[i] = sum }
            }
            if sum > cj {
                if alpha[j] > cj { alpha[j] = cj; alpha[i] = sum - cj }
            } else {
                if alpha[i] < 0 { alpha[i] = 0; alpha[j] = sum }
            }
        }
        let dI = alpha[i] - oldI, dJ = alpha[j] - oldJ
        g.withUnsafeMutableBufferPointer { gp in
            for k in 0..<activeSize { gp[k] += Double(qi[k]) * dI + Double(qj[k]) * dJ }
        }
        let ui = isUpper(i), uj = isUpper(j)
        updateStatus(i); updateStatus(j)
        if ui != isUpper(i) { addToGBar(i, ui ? -ci : ci) }
        if uj != isUpper(j) { addToGBar(j, uj ? -cj : cj) }
    }

    private mutating func addToGBar(_ i: Int, _ scale: Double) {
        let qi = q.column(i, length: l)
        gBar.withUnsafeMutableBufferPointer { b in for k in 0..<l { b[k] += scale * Double(qi[k]) } }
    }

    /// WSS3: i maximises the violation −y_i∇f_i over I_up; j minimises the second-order decrease over I_low.
    private func selectWorkingSet() -> (Int, Int)? {
        var gmax = -Double.infinity, gmax2 = -Double.infinity
        var gmaxIndex = -1, gminIndex = -1
        var objDiffMin = Double.infinity
        for t in 0..<activeSize {
            if y[t] == 1 {
                if !isUpper(t) && -g[t] >= gmax { gmax = -g[t]; gmaxIndex = t }
            } else {
                if !isLower(t) && g[t] >= gmax { gmax = g[t]; gmaxIndex = t }
            }
        }
        let i = gmaxIndex
        guard i != -1 else { return nil }
        let qi = q.column(i, length: activeSize)
        let qd = q.diagonal
        let yi = Double(y[i])
        for j in 0..<activeSize {
            if y[j] == 1 {
                guard !isLower(j) else { continue }
                let gradDiff = gmax + g[j]
                if g[j] >= gmax2 { gmax2 = g[j] }
                if gradDiff > 0 {
                    let quad = qd[i] + qd[j] - 2 * yi * Double(qi[j])
                    let objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : Self.tau)
                    if objDiff <= objDiffMin { gminIndex = j; objDiffMin = objDiff }
                }
            } else {
                guard !isUpper(j) else { continue }
                let gradDiff = gmax - g[j]
                if -g[j] >= gmax2 { gmax2 = -g[j] }
                if gradDiff > 0 {
                    let quad = qd[i] + qd[j] + 2 * yi * Double(qi[j])
                    let objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : Self.tau)
                    if objDiff <= objDiffMin { gminIndex = j; objDiffMin = objDiff }
                }
            }
        }
        if gmax + gmax2 < eps || gminIndex == -1 { return nil }
        return (i, gminIndex)
    }

    private func beShrunk(_ i: Int, _ gmax1: Double, _ gmax2: Double) -> Bool {
        if isUpper(i) { return y[i] == 1 ? -g[i] > gmax1 : -g[i] > gmax2 }
        if isLower(i) { return y[i] == 1 ? g[i] > gmax2 : g[i] > gmax1 }
        return false
    }

    private mutating func doShrinking() {
        var gmax1 = -Double.infinity, gmax2 = -Double.infinity
        for i in 0..<activeSize {
            if y[i] == 1 {
                if !isUpper(i) && -g[i] >= gmax1 { gmax1 = -g[i] }
                if !isLower(i) && g[i] >= gmax2 { gmax2 = g[i] }
            } else {
                if !isUpper(i) && -g[i] >= gmax2 { gmax2 = -g[i] }
                if !isLower(i) && g[i] >= gmax1 { gmax1 = g[i] }
            }
        }
        if !unshrink && gmax1 + gmax2 <= eps * 10 {
            unshrink = true
            reconstructGradient()
            activeSize = l
        }
        var i = 0
        while i < activeSize {
            if beShrunk(i, gmax1, gmax2) {
                activeSize -= 1
                while activeSize > i {
                    if !beShrunk(activeSize, gmax1, gmax2) { swapIndex(i, activeSize); break }
                    activeSize -= 1
                }
            }
            i += 1
        }
    }

    private mutating func swapIndex(_ i: Int, _ j: Int) {
        q.swap(i, j)
        y.swapAt(i, j); g.swapAt(i, j); status.swapAt(i, j); alpha.swapAt(i, j)
        p.swapAt(i, j); active.swapAt(i, j); gBar.swapAt(i, j); c.swapAt(i, j)
    }

    /// Recomputes the gradient of the shrunk variables from G_bar and the free variables.
    private mutating func reconstructGradient() {
        guard activeSize < l else { return }
        for j in activeSize..<l { g[j] = gBar[j] + p[j] }
        let free = (0..<activeSize).filter { isFree($0) }.count
        if free * l > 2 * activeSize * (l - activeSize) {
            for i in activeSize..<l {
                let qi = q.column(i, length: activeSize)
                for j in 0..<activeSize where isFree(j) { g[i] += alpha[j] * Double(qi[j]) }
            }
        } else {
            for i in 0..<activeSize where isFree(i) {
                let qi = q.column(i, length: l)
                let a = alpha[i]
                for j in activeSize..<l { g[j] += a * Double(qi[j]) }
            }
        }
    }

    /// ρ: the mean of y_i∇f_i over free variables, or the middle of its feasible interval when none is free.
    private func calculateRho() -> Double {
        var free = 0
        var ub = Double.infinity, lb = -Double.infinity, sumFree = 0.0
        for i in 0..<activeSize {
            let yg = Double(y[i]) * g[i]
            if isUpper(i) {
                if y[i] == -1 { ub = min(ub, yg) } else { lb = max(lb, yg) }
            } else if isLower(i) {
                if y[i] == 1 { ub = min(ub, yg) } else { lb = max(lb, yg) }
            } else {
                free += 1; sumFree += yg
            }
        }
        return free > 0 ? sumFree / Double(free) : (ub + lb) / 2
    }
}
