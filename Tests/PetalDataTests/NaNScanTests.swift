import Testing
@testable import PetalData

/// The vector scans for missing and infinite values against a plain search, at block edges and on every kind of
/// special double.
@Suite struct NaNScanTests {
    @Test func scansAgreeWithAPlainSearch() {
        let n = 4096 * 3 + 17
        let specials: [Double] = [.nan, -.nan, .signalingNaN, .infinity, -.infinity]
        var positions = [0, 1, 4095, 4096, 4097, 8191, 8192, n - 1]
        positions += [1234, 9000]
        #expect(NaNScan.firstNaN([]) == nil && NaNScan.firstInfinite([]) == nil && !NaNScan.any([]))
        let plain = (0..<n).map { Double($0) * 0.5 - 100 } + [.greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        #expect(NaNScan.firstNaN(plain) == nil && NaNScan.firstInfinite(plain) == nil && NaNScan.firstNonFinite(plain) == nil && NaNScan.count(plain) == 0)
        for special in specials {
            for at in positions {
                var values = plain
                values[at] = special
                values[min(values.count - 1, at + 3000)] = special      // a later one does not change the answer
                #expect(NaNScan.firstNaN(values) == values.firstIndex(where: \.isNaN), "\(special) at \(at)")
                #expect(NaNScan.firstInfinite(values) == values.firstIndex(where: \.isInfinite), "\(special) at \(at)")
                #expect(NaNScan.firstNonFinite(values) == values.firstIndex(where: { !$0.isFinite }), "\(special) at \(at)")
                #expect(NaNScan.any(values) == special.isNaN)
                #expect(NaNScan.count(values) == values.filter(\.isNaN).count)
            }
        }
    }
}
