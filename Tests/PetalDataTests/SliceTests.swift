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
}
