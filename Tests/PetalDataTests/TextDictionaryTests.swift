import Foundation
import Testing
@testable import PetalData

/// A text column's dictionary: the packed layout the CSV reader hands over from its interner reads back the
/// same Strings and bytes as the `[String]` layout, and what is built on it (sorting, value counts, writers)
/// gives what it gave with Strings.
@Suite struct TextDictionaryTests {
    private func packed(_ values: [String]) -> TextDictionary {
        let d = TextInterner()
        for v in values {
            let bytes = Array(v.utf8) + [0]
            _ = bytes.withUnsafeBufferPointer { b in d.code(b.baseAddress!, 0, bytes.count - 1, offset: 0) }
        }
        return TextDictionary(packed: d.packed())
    }

    @Test func packedReadsBackTheInternedValuesAndBytes() {
        // Short and long (over 15 UTF-8 bytes: a String of its own), empty, and non-ASCII values.
        let values = ["", "a", "sixteen bytes!!!", "caf\u{E9}", String(repeating: "long ", count: 40), "日本"]
        let d = packed(values)
        #expect(d.count == values.count)
        #expect(Array(d) == values)
        #expect(d == TextDictionary(values))
        #expect(d.strings == values)
        for (i, v) in values.enumerated() {
            #expect(d.withUTF8(i) { Array($0) } == Array(v.utf8))
            #expect(TextDictionary(values).withUTF8(i) { Array($0) } == Array(v.utf8))
        }
        #expect(d[safe: values.count] == nil && d[safe: -1] == nil && d[safe: 2] == values[2])
        #expect(d.storageBytes == values.reduce(0) { $0 + $1.utf8.count } + (values.count + 1) * 8)
    }

    @Test func packedEmptyAndAllEmptyValues() {
        let none = TextDictionary(packed: TextInterner().packed())
        #expect(none.isEmpty && none.storageBytes == 8)
        let empties = packed([""])
        #expect(Array(empties) == [""])
        #expect(empties.withUTF8(0) { $0.count } == 0)
    }

    @Test func theInternerIsEmptyAndUsableAfterPacking() {
        let d = TextInterner()
        for i in 0..<5000 { let b = Array("value \(i)".utf8); _ = b.withUnsafeBufferPointer { d.code($0.baseAddress!, 0, $0.count, offset: i) } }
        let dictionary = TextDictionary(packed: d.packed())
        #expect(d.count == 0)
        #expect(dictionary.count == 5000 && dictionary[4999] == "value 4999")
        let b = Array("again".utf8)
        #expect(b.withUnsafeBufferPointer { d.code($0.baseAddress!, 0, $0.count, offset: 0) } == 0)
    }

    @Test func csvTextColumnsArePackedAndSortLikeStrings() throws {
        // Values that compare equal as Strings but differ in bytes (é precomposed and decomposed) share a rank.
        let rows = ["zeta", "e\u{301}", "alpha-long-value-over-15", "\u{E9}", " ", "Alpha", "beta"]
        let text = "k,n\n" + rows.enumerated().map { "\($0.element),\($0.offset)" }.joined(separator: "\n") + "\n"
        let (frame, _) = try csv(text)
        guard case .text(let codes, let dictionary) = frame.columns[0].storage else { Issue.record("not text"); return }
        #expect(codes.map { dictionary[Int($0)] } == rows)
        let sorted = try frame.sorted(by: [(name: "k", ascending: true)])
        let expected = rows.indices.sorted { rows[$0] < rows[$1] || (rows[$0] == rows[$1] && $0 < $1) }
        #expect((0..<sorted.rowCount).map { sorted.columns[1][$0] } == expected.map { .int(Int64($0)) })
        let descending = try frame.sorted(by: [(name: "k", ascending: false)])
        let expectedDown = rows.indices.sorted { rows[$0] > rows[$1] || (rows[$0] == rows[$1] && $0 < $1) }
        #expect((0..<descending.rowCount).map { descending.columns[1][$0] } == expectedDown.map { .int(Int64($0)) })
    }

    @Test func sortingPutsNullsLastWhateverTheDirection() throws {
        let (frame, _) = try csv("k,n\nb,0\n,1\na,2\n,3\nc,4\n")
        for ascending in [true, false] {
            let s = try frame.sorted(by: [(name: "k", ascending: ascending)])
            let order = (0..<s.rowCount).map { s.columns[1][$0] }
            #expect(order == (ascending ? [2, 0, 4, 1, 3] : [4, 0, 2, 1, 3]).map { .int(Int64($0)) })
        }
    }

    @Test func invalidUTF8IsNamedWhereItIs() throws {
        var bytes = Array("k\nok\ncaf".utf8) + [0xC3, 0x28] + Array("\nfine\n".utf8)
        #expect(throws: PetalError.self) { _ = try CSVReader.read(bytes: bytes, file: "bad.csv") }
        do { _ = try CSVReader.read(bytes: bytes, file: "bad.csv") } catch let e as PetalError {
            #expect(e.location?.line == 3)
        }
        bytes = Array("k\nok\ncaf\u{E9}\n".utf8)
        let (frame, _) = try CSVReader.read(bytes: bytes, file: "good.csv")
        #expect(frame.columns[0][1] == .text("caf\u{E9}"))
        #expect(TextInterner.isUTF8(UnsafeBufferPointer(start: nil, count: 0)))
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] {
            #expect(!bad.withUnsafeBufferPointer { TextInterner.isUTF8($0) }, "\(bad)")
        }
    }
}
