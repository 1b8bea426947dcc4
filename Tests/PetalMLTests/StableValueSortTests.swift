import Testing
@testable import PetalML
import PetalData

/// The radix sort of a tree node's (value, row) pairs gives exactly the standard library's stable sort.
@Suite struct StableValueSortTests {
    @Test func sameOrderAsTheStableSort() {
        var rng = SplitMix64(seed: 5)
        var scratch: [StableValueSort.Pair] = []
        for size in [0, 1, 2, 3, 47, 48, 49, 100, 1000, 5000] {
            for kind in 0..<6 {
                var pairs: [StableValueSort.Pair] = (0..<size).map { i in
                    let u = Double(rng.next() >> 11) / Double(1 << 53)
                    let v: Double
                    switch kind {
                    case 0: v = u * 1000 - 500                                  // spread, both signs
                    case 1: v = Double(rng.next() % 5)                           // many ties
                    case 2: v = [0.0, -0.0, 1, -1][Int(rng.next() % 4)]          // signed zeros tie
                    case 3: v = Double(bitPattern: rng.next() & ~(0x7FF << 52) | (UInt64(rng.next() % 2046 + 1) << 52))   // any magnitude
                    case 4: v = [Double.infinity, -.infinity, 3, -3, .greatestFiniteMagnitude, -.leastNonzeroMagnitude][Int(rng.next() % 6)]
                    default: v = 42                                              // all equal
                    }
                    return (v, Int(rng.next() % 1000))
                }
                let expected = pairs.sorted { $0.value < $1.value }
                StableValueSort.sort(&pairs, scratch: &scratch)
                #expect(pairs.map(\.row) == expected.map(\.row), "size \(size) kind \(kind)")
                #expect(zip(pairs, expected).allSatisfy { $0.value.bitPattern == $1.value.bitPattern }, "size \(size) kind \(kind)")
            }
        }
    }
}
