import Foundation
import PetalData

/// A support vector machine's kernel, as libsvm computes it: `linear` x·y, `poly` (γ x·y + coef0)^degree,
/// `rbf` exp(−γ‖x − y‖²), `sigmoid` tanh(γ x·y + coef0). γ is resolved to a number when the model is fitted.
public struct SVMKernel: Sendable, Codable, Hashable {
    public var kind: String
    public var gamma: Double
    public var degree: Int
    public var coef0: Double

    public static let kinds = ["rbf", "linear", "poly", "sigmoid"]

    /// The kernel value of two rows given as pointers to `d` doubles (libsvm's `k_function`: the rbf distance
    /// summed per feature).
    @inline(__always)
    func value(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
        switch kind {
        case "rbf":
            var sum = 0.0
            for f in 0..<d { let t = a[f] - b[f]; sum += t * t }
            return exp(-gamma * sum)
        default:
            return fromDot(SVMKernel.dot(a, b, d))
        }
    }

    /// The kernel from a dot product (not for rbf, which also needs the squared norms).
    @inline(__always)
    func fromDot(_ dot: Double) -> Double {
        switch kind {
        case "linear": return dot
        case "poly": return SVMKernel.power(gamma * dot + coef0, degree)
        case "sigmoid": return tanh(gamma * dot + coef0)
        default: return dot
        }
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
        var sum = 0.0
        for f in 0..<d { sum += a[f] * b[f] }
        return sum
    }

    /// libsvm's `powi`: base^times by repeated squaring.
    static func power(_ base: Double, _ times: Int) -> Double {
        var tmp = base, ret = 1.0
        var t = times
        while t > 0 {
            if t % 2 == 1 { ret *= tmp }
            tmp *= tmp
            t /= 2
        }
        return ret
    }

    /// Checks decoded values.
    func validate() throws {
        guard SVMKernel.kinds.contains(kind) else { throw PetalError("unknown svm kernel \"\(kind)\"") }
        guard gamma.isFinite, coef0.isFinite, (0...100).contains(degree) else { throw PetalError("svm kernel parameters out of range") }
    }
}

/// The training rows of one libsvm problem and its kernel: rows are kept contiguous (and permuted by
/// shrinking through `swap`), with their squared norms for the rbf kernel, as libsvm's `Kernel` class.
final class KernelRows {
    let kernel: SVMKernel
    let d: Int
    let count: Int
    private let x: UnsafeMutablePointer<Double>
    private let squares: UnsafeMutablePointer<Double>

    init(_ m: Matrix, rows: [Int], kernel: SVMKernel) {
        self.kernel = kernel; d = m.columns; count = rows.count
        x = .allocate(capacity: max(1, rows.count * m.columns))
        squares = .allocate(capacity: max(1, rows.count))
        for (i, r) in rows.enumerated() {
            var s = 0.0
            for f in 0..<d { let v = m.values[r * d + f]; x[i * d + f] = v; s += v * v }
            squares[i] = s
        }
    }

    deinit { x.deallocate(); squares.deallocate() }

    /// K(i, j) for the training rows, as libsvm's `kernel_rbf` etc. (rbf through the norms and the dot product).
    @inline(__always)
    func k(_ i: Int, _ j: Int) -> Double {
        let dot = SVMKernel.dot(x + i * d, x + j * d, d)
        if kernel.kind == "rbf" { return exp(-kernel.gamma * (squares[i] + squares[j] - 2 * dot)) }
        return kernel.fromDot(dot)
    }

    /// Fills `out[j]` with K(i, j) for j in start..<end.
    func column(_ i: Int, from start: Int, to end: Int, into out: UnsafeMutablePointer<Double>) {
        let xi = x + i * d
        if kernel.kind == "rbf" {
            let g = kernel.gamma, si = squares[i]
            for j in start..<end { out[j] = exp(-g * (si + squares[j] - 2 * SVMKernel.dot(xi, x + j * d, d))) }
        } else {
            for j in start..<end { out[j] = kernel.fromDot(SVMKernel.dot(xi, x + j * d, d)) }
        }
    }

    func swap(_ i: Int, _ j: Int) {
        for f in 0..<d { let t = x[i * d + f]; x[i * d + f] = x[j * d + f]; x[j * d + f] = t }
        let t = squares[i]; squares[i] = squares[j]; squares[j] = t
    }
}

/// libsvm's kernel column cache: least recently used columns are dropped when the budget (in floats) is spent.
/// Column `i` holds its first `filled[i]` entries; a longer request computes the rest.
final class KernelCache {
    private var data: [UnsafeMutablePointer<Float>]
    private var filled: [Int]
    private var prev: [Int], next: [Int]    // a circular LRU list; index `n` is the head
    private var budget: Int
    private let n: Int
    /// Where a column with nothing cached points (never read: `filled` is 0).
    private let empty = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    init(columns n: Int, bytes: Int) {
        self.n = n
        data = Array(repeating: empty, count: n); filled = Array(repeating: 0, count: n)
        prev = Array(repeating: n, count: n + 1); next = Array(repeating: n, count: n + 1)
        budget = max(bytes / 4, 2 * n)     // at least two full columns, as libsvm
    }

    deinit { for i in 0..<n where filled[i] > 0 { data[i].deallocate() }; empty.deallocate() }

    private func unlink(_ i: Int) { next[prev[i]] = next[i]; prev[next[i]] = prev[i] }
    private func append(_ i: Int) { next[i] = n; prev[i] = prev[n]; next[prev[n]] = i; prev[n] = i }
    private func drop(_ i: Int) { unlink(i); data[i].deallocate(); data[i] = empty; budget += filled[i]; filled[i] = 0 }

    /// Column `i`'s storage with room for `length` entries, and how many of them are already computed.
    func column(_ i: Int, length: Int) -> (UnsafeMutablePointer<Float>, Int) {
        let have = filled[i]
        if have == 0 && length == 0 { return (empty, 0) }   // not in the list: keep it out
        if have > 0 { unlink(i) }
        if have < length {
            budget -= length - have
            while budget < 0 && next[n] != n { drop(next[n]) }
            let grown = UnsafeMutablePointer<Float>.allocate(capacity: length)
            if have > 0 { grown.update(from: data[i], count: have); data[i].deallocate() }
            data[i] = grown
            filled[i] = length
        }
        append(i)
        return (data[i], have)
    }

    /// Swaps rows and columns `a` and `b` (libsvm's `Cache::swap_index`).
    func swap(_ a: Int, _ b: Int) {
        guard a != b else { return }
        if filled[a] > 0 { unlink(a) }
        if filled[b] > 0 { unlink(b) }
        data.swapAt(a, b); filled.swapAt(a, b)
        if filled[a] > 0 { append(a) }
        if filled[b] > 0 { append(b) }
        let (i, j) = (min(a, b), max(a, b))
        var h = next[n]
        while h != n {
            let following = next[h]
            if filled[h] > i {
                if filled[h] > j { let p = data[h]; let t = p[i]; p[i] = p[j]; p[j] = t } else { drop(h) }
            }
            h = following
        }
    }
}
