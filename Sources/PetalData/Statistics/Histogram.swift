import Foundation

/// A histogram: `counts[i]` values fall in `[edges[i], edges[i+1])` (the last bin is closed), as `numpy.histogram`.
public struct Histogram: Sendable, Hashable {
    public var edges: [Double]
    public var counts: [Int]
    /// Values left out because they were missing.
    public var nullCount: Int
    public var total: Int { counts.reduce(0, +) }
}

/// How many bins: a number, or one of numpy's rules (`auto` is numpy's default estimator).
public enum BinRule: Sendable, Hashable {
    case count(Int)
    case auto, sturges, fd, sqrt

    public init?(_ text: String) {
        if let n = Int(text) { guard n >= 1 && n <= 10_000 else { return nil }; self = .count(n); return }
        switch text.lowercased() {
        case "auto": self = .auto
        case "sturges": self = .sturges
        case "fd": self = .fd
        case "sqrt": self = .sqrt
        default: return nil
        }
    }
}

extension Histogram {
    /// Computes the histogram of `values` (no NaNs) the way numpy does, bin edges and all.
    /// `integer` reproduces numpy's rule that integer data never gets bins narrower than 1.
    public static func compute(_ values: [Double], bins: BinRule, integer: Bool = false, nullCount: Int = 0) -> Histogram {
        guard let lo = values.min(), let hi = values.max() else {
            return Histogram(edges: [0, 1], counts: [0], nullCount: nullCount)
        }
        var first = lo, last = hi
        if first == last { first -= 0.5; last += 0.5 }
        let n: Int
        switch bins {
        case .count(let k): n = k
        default:
            var width = binWidth(values, rule: bins, ptp: hi - lo)
            if width > 0 {
                if integer && width < 1 { width = 1 }
                n = max(1, Int(((last - first) / width).rounded(.up)))
            } else { n = 1 }
        }
        let edges = linspace(first, last, n + 1)
        var counts = [Int](repeating: 0, count: n)
        let denom = last - first
        let numerator = Double(n)
        for x in values where x >= first && x <= last {
            var i = Int((x - first) / denom * numerator)
            if i == n { i -= 1 }
            if x < edges[i] { i -= 1 }
            if i + 1 < edges.count && x >= edges[i + 1] && i != n - 1 { i += 1 }
            counts[i] += 1
        }
        return Histogram(edges: edges, counts: counts, nullCount: nullCount)
    }

    /// numpy's `linspace(start, stop, num)` with the endpoint set exactly.
    static func linspace(_ start: Double, _ stop: Double, _ num: Int) -> [Double] {
        guard num > 1 else { return [start] }
        let div = Double(num - 1)
        let step = (stop - start) / div
        var out = (0..<num).map { Double($0) * step + start }
        if step == 0 { out = (0..<num).map { Double($0) / div * (stop - start) + start } }
        out[num - 1] = stop
        return out
    }

    static func binWidth(_ values: [Double], rule: BinRule, ptp: Double) -> Double {
        let size = Double(values.count)
        let sturges = ptp / (log2(size) + 1)
        switch rule {
        case .sturges: return sturges
        case .sqrt: return ptp / size.squareRoot()
        case .fd, .auto:
            var copy = values
            let q = Quantiles.compute(&copy, [0.75, 0.25])
            let fd = 2 * (q[0] - q[1]) * pow(size, -1.0 / 3.0)
            if rule == .fd { return fd }
            // numpy 2: FD, but never narrower than half the sqrt rule's width; then the smaller of that and Sturges.
            return min(max(fd, ptp / size.squareRoot() / 2), sturges)
        case .count: return 0
        }
    }
}
