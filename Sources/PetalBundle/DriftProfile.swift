import Foundation
import PetalData

/// A column's training distribution, kept in the manifest so new data can be compared with it later
/// (`drift BUNDLE on NAME`): decile bins and their shares (PSI), 101 percentiles (a KS test against the
/// training CDF), category shares (PSI for text), and the share of nulls.
public struct DriftProfile: Sendable, Codable, Hashable {
    public var nullShare: Double
    /// Interior bin edges (the training deciles, repeats removed): bin b holds values in (edges[b-1], edges[b]].
    public var edges: [Double]?
    /// Training share of non-null values per bin (`edges.count + 1` bins).
    public var shares: [Double]?
    /// The training 0th, 1st, …, 100th percentiles (linear interpolation), for the KS test.
    public var percentiles: [Double]?
    /// Training share of each category among non-null values.
    public var categoryShares: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case nullShare = "null_share", edges, shares, percentiles, categoryShares = "category_shares"
    }

    public init(nullShare: Double, edges: [Double]? = nil, shares: [Double]? = nil, percentiles: [Double]? = nil,
                categoryShares: [String: Double]? = nil) {
        self.nullShare = nullShare; self.edges = edges; self.shares = shares; self.percentiles = percentiles
        self.categoryShares = categoryShares
    }

    /// The profile of a numeric column (`values` without nulls) with `nulls` nulls.
    public static func numeric(_ values: [Double], nulls: Int) -> DriftProfile {
        let total = values.count + nulls
        var sorted = values.sorted()
        guard !sorted.isEmpty else { return DriftProfile(nullShare: 1, edges: [], shares: [0], percentiles: []) }
        let percentiles = Quantiles.compute(&sorted, (0...100).map { Double($0) / 100 })
        var edges: [Double] = []
        for d in 1...9 { let e = percentiles[d * 10]; if edges.last.map({ e > $0 }) ?? true { edges.append(e) } }
        return DriftProfile(nullShare: Double(nulls) / Double(max(1, total)), edges: edges,
                            shares: binShares(values, edges: edges), percentiles: percentiles)
    }

    /// The profile of a text column: shares of each category among the non-null values.
    public static func categorical(_ values: [String], nulls: Int) -> DriftProfile {
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        let n = Double(max(1, values.count))
        return DriftProfile(nullShare: Double(nulls) / Double(max(1, values.count + nulls)), categoryShares: counts.mapValues { Double($0) / n })
    }

    /// The share of `values` in each bin of `edges` (a value equal to an edge falls in the lower bin).
    static func binShares(_ values: [Double], edges: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: edges.count + 1)
        for v in values {
            var lo = 0, hi = edges.count
            while lo < hi { let mid = (lo + hi) / 2; if v <= edges[mid] { hi = mid } else { lo = mid + 1 } }
            counts[lo] += 1
        }
        let n = Double(max(1, values.count))
        return counts.map { $0 / n }
    }

    /// The training CDF at `x`, linear between percentiles: P(X ≤ x), or P(X < x) when `strict` (so that a
    /// value many rows share — a year, a count — jumps the way the empirical CDF does).
    func trainingCDF(_ x: Double, strict: Bool = false) -> Double {
        guard let p = percentiles, p.count >= 2 else { return 0 }
        func below(_ v: Double) -> Bool { strict ? v < x : v <= x }
        guard below(p[0]) else { return 0 }
        guard !below(p[p.count - 1]) else { return 1 }
        var lo = 0, hi = p.count - 1          // below(p[lo]), !below(p[hi])
        while hi - lo > 1 { let mid = (lo + hi) / 2; if below(p[mid]) { lo = mid } else { hi = mid } }
        let width = p[hi] - p[lo]
        let t = width > 0 ? min(1, max(0, (x - p[lo]) / width)) : 0
        return (Double(lo) + (strict && p[hi] == x ? 1 : t)) / Double(p.count - 1)
    }
}

extension Column {
    /// Non-null values as text (categories), and the null count.
    func categoryValues() -> (values: [String], nulls: Int) {
        var out: [String] = []
        out.reserveCapacity(count)
        var nulls = 0
        for i in 0..<count { if isValid(i) { out.append(self[i].plainText) } else { nulls += 1 } }
        return (out, nulls)
    }
}
