import CKernels
import PetalData
import Testing

/// `petal_nearest_centres` (the k-means assignment step) against the portable order of operations written out in
/// Swift: the same nearest centre (the first of tied ones), distance to the bit, counts and sums, for numbers of
/// centres and widths with and without a remainder past the four-wide registers (whichever version this CPU runs).
@Suite struct NearestCentresTests {
    /// The portable kernel's distance: four running sums over the features four at a time, then the remainder.
    static func distance(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
        let a = Array(a), b = Array(b), d = a.count
        var l = [0.0, 0.0, 0.0, 0.0], j = 0
        while j + 4 <= d {
            for i in 0..<4 { let t = a[j + i] - b[j + i]; l[i] += t * t }
            j += 4
        }
        var s = (l[0] + l[1]) + (l[2] + l[3])
        while j < d { let t = a[j] - b[j]; s += t * t; j += 1 }
        return s
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 8, 9, 13])
    func nearestCentreDistancesAndSumsMatchThePortableOrder(k: Int) {
        var g = SplitMix64(seed: UInt64(k))
        for d in [1, 3, 4, 7, 8, 13, 100] {
            let n = 257
            let x = (0..<(n * d)).map { _ in Double(g.next() % 10_000) / 77 - 60 }
            var centres = (0..<(k * d)).map { _ in Double(g.next() % 10_000) / 77 - 60 }
            if k > 2 { for j in 0..<d { centres[2 * d + j] = centres[j] } }  // a tie: the first centre wins
            var labels = [Int](repeating: -1, count: n), distances = [Double](repeating: -1, count: n)
            var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
            petal_nearest_centres(x, n, d, centres, k, &labels, &distances, nil, nil)
            petal_nearest_centres(x, n, d, centres, k, nil, nil, &sums, &counts)
            var expectedSums = [Double](repeating: 0, count: k * d), expectedCounts = [Int](repeating: 0, count: k)
            for r in 0..<n {
                let row = x[(r * d)..<((r + 1) * d)]
                var best = Double.infinity, arg = 0
                for c in 0..<k {
                    let s = Self.distance(row, centres[(c * d)..<((c + 1) * d)])
                    if s < best { best = s; arg = c }
                }
                #expect(labels[r] == arg && distances[r].bitPattern == best.bitPattern, "k \(k) d \(d) row \(r)")
                expectedCounts[arg] += 1
                for j in 0..<d { expectedSums[arg * d + j] += row[row.startIndex + j] }
            }
            #expect(counts == expectedCounts && sums.map(\.bitPattern) == expectedSums.map(\.bitPattern), "k \(k) d \(d)")
        }
    }
}
