import Testing
import PetalData
@testable import PetalML

/// The k-d tree returns exactly what a stable brute-force scan returns, ties included.
@Suite struct NeighbourSearchTests {
    @Test(arguments: [false, true]) func kdTreeEqualsBruteForce(manhattan: Bool) {
        var rng = SplitMix64(seed: 9)
        // Values on a coarse grid, so many distances tie.
        let train = Matrix(rows: 3000, columns: 3, values: (0..<9000).map { _ in Double(rng.next() % 20) / 4 })
        let query = Matrix(rows: 200, columns: 3, values: (0..<600).map { _ in Double(rng.next() % 20) / 4 })
        let (indices, distances) = NeighbourSearch.nearest(query, in: train, k: 7, manhattan: manhattan)
        for r in 0..<query.rows {
            let d = (0..<train.rows).map { i -> Double in
                (0..<3).reduce(0) { s, j in let t = query[r, j] - train[i, j]; return s + (manhattan ? abs(t) : t * t) }
            }
            let expected = Array((0..<train.rows).sorted { d[$0] != d[$1] ? d[$0] < d[$1] : $0 < $1 }.prefix(7))
            #expect(indices[r] == expected, "row \(r)")
            #expect(distances[r] == expected.map { d[$0] })
        }
    }
}
