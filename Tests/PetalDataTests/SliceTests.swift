import Testing
@testable import PetalData

/// `Column.slice`/`Frame.slice` copy rows as blocks: the same columns as gathering the same rows one by one.
@Suite struct SliceTests {
    @Test func sliceEqualsTakingTheSameRows() throws {
        let n = 200
        let validity = Bitmap((0..<n).map { $0 % 7 != 3 })
        let columns = [
            Column(name: "i", storage: .int((0..<n).map { Int64($0 * 3) }), validity: validity),
            Column(name: "f", storage: .float((0..<n).map { Double($0) / 8 }), validity: nil),
            Column(name: "b", storage: .bool((0..<n).map { $0 % 2 == 0 }), validity: validity),
            Column(name: "d", storage: .datetime((0..<n).map { Int64($0) * 86_400_000_000 }, dateOnly: true), validity: validity),
            Column(name: "t", storage: .text(codes: (0..<n).map { Int32($0 % 3) }, dictionary: ["x", "y", "z"]), validity: validity),
        ]
        let frame = try Frame(columns: columns)
        for range in [0..<0, 0..<n, 3..<4, 60..<131, 190..<200] {
            let sliced = frame.slice(range), taken = frame.taking(Array(range))
            #expect(sliced.rowCount == range.count)
            for (a, b) in zip(sliced.columns, taken.columns) {
                #expect(a.type == b.type && (0..<a.count).map { a[$0] } == (0..<b.count).map { b[$0] }, "\(a.name) \(range)")
                #expect(a.validity == b.validity, "\(a.name) \(range)")
            }
        }
    }

    /// Gathering rows keeps their order, repeats and the empty selection, for every storage, as `map` over the
    /// indices did.
    @Test func takingGathersRowsInTheirOrder() throws {
        let n = 50
        let validity = Bitmap((0..<n).map { $0 % 4 != 1 })
        let columns = [
            Column(name: "i", storage: .int((0..<n).map { Int64($0) - 20 }), validity: validity),
            Column(name: "f", storage: .float((0..<n).map { Double($0) * 0.5 })),
            Column(name: "b", storage: .bool((0..<n).map { $0 % 3 == 0 })),
            Column(name: "d", storage: .datetime((0..<n).map { Int64($0) * 1_000_000 }, dateOnly: false)),
            Column(name: "t", storage: .text(codes: (0..<n).map { Int32($0 % 5) }, dictionary: ["a", "b", "c", "d", "e"]), validity: validity),
        ]
        for indices in [[], [49, 0, 7, 7, 13], Array((0..<n).reversed())] {
            for c in columns {
                let taken = c.taking(indices)
                #expect((0..<taken.count).map { taken[$0] } == indices.map { c[$0] }, "\(c.name) \(indices)")
            }
        }
        #expect([10, 20, 30].gathered(at: [2, 0, 2]) == [30, 10, 30])
        #expect([Double]().gathered(at: []) == [])
    }
}
