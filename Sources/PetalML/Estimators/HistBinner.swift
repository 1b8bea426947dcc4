import Foundation
import PetalData

/// Feature values mapped to at most 255 bins per feature (scikit-learn's `_BinMapper`): thresholds are the
/// midpoints between distinct values when there are few, else midpoint percentiles; NaN goes to bin 255.
struct HistBinner {
    static let missingBin = 255
    /// Per feature: ascending thresholds; a value goes to the first bin whose threshold it does not exceed.
    var thresholds: [[Double]]

    /// Thresholds from (up to 200,000 sampled) rows of `x`.
    init(_ x: Matrix, maxBins: Int, rng: inout SplitMix64) {
        var rows = Array(0..<x.rows)
        if x.rows > 200_000 { rows.shuffle(using: &rng); rows = Array(rows.prefix(200_000)) }
        let sampled = rows
        // Features in parallel: each sorts its own values.
        let box = ConcurrentSlots<[Double]>(x.columns)
        DispatchQueue.concurrentPerform(iterations: x.columns) { f in box.set(f, Self.thresholds(sampled.map { x[$0, f] }, maxBins: maxBins)) }
        thresholds = box.values
    }

    /// Bin thresholds of one feature's values (NaN ignored).
    static func thresholds(_ column: [Double], maxBins: Int) -> [Double] {
        let values = column.filter { !$0.isNaN }.sorted()
        var distinct: [Double] = []
        for v in values where distinct.last != v { distinct.append(v) }
        if distinct.count <= maxBins {
            guard distinct.count >= 2 else { return [] }
            return (0..<(distinct.count - 1)).map { (i: Int) -> Double in distinct[i] / 2 + distinct[i + 1] / 2 }
        }
        // numpy's percentile(method="midpoint") at linspace(0, 100, maxBins + 1)[1:-1], then unique.
        var out: [Double] = []
        let last = Double(values.count - 1)
        for i in 1..<maxBins {
            let index: Double = Double(i) / Double(maxBins) * last
            let low: Double = values[Int(index.rounded(.down))], high: Double = values[Int(index.rounded(.up))]
            let v = low / 2 + high / 2
            if out.last != v { out.append(v) }
        }
        return out
    }

    /// Bin codes, feature-major ([feature × rows + row]); features binned in parallel.
    func bin(_ x: Matrix) -> [UInt8] {
        let n = x.rows, thresholds = thresholds
        let box = ConcurrentSlots<[UInt8]>(x.columns)
        DispatchQueue.concurrentPerform(iterations: x.columns) { f in
            let t = thresholds[safe: f] ?? []
            var out = [UInt8](repeating: 0, count: n)
            for r in 0..<n {
                let v = x[r, f]
                if v.isNaN { out[r] = UInt8(Self.missingBin); continue }
                var lo = 0, hi = t.count
                while lo < hi { let mid = (lo + hi) / 2; if v <= t[mid] { hi = mid } else { lo = mid + 1 } }
                out[r] = UInt8(min(lo, Self.missingBin - 1))
            }
            box.set(f, out)
        }
        return box.values.flatMap { $0 }
    }
}
