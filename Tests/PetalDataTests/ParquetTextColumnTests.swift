import Foundation
import Testing
@testable import PetalData

/// A text column's row-group dictionaries (`TextInterner`s) joined into one by `ParquetColumnMerger.text`, the
/// UTF-8 check of its values.
@Suite struct ParquetTextColumnTests {
    static let plan = ParquetColumnPlan(name: "w", leaf: 0, physical: .byteArray, typeLength: 0, maxDefinition: 1, type: .text, conversion: .none)

    /// A row group's chunk: its dictionary holds `entries` in that order, its rows hold `codes`.
    static func chunk(_ entries: [[UInt8]], codes: [Int32]) -> ParquetChunkData {
        let c = ParquetChunkData()
        for e in entries {
            let bytes = e + [0]  // a valid pointer for the empty entry
            _ = bytes.withUnsafeBufferPointer { b in c.dictionary.code(b.baseAddress!, 0, e.count, offset: 0) }
        }
        c.codes = codes
        c.count = codes.count
        return c
    }

    static func chunk(_ s: [String], codes: [Int32]) -> ParquetChunkData { chunk(s.map { Array($0.utf8) }, codes: codes) }

    static func text(_ chunks: [ParquetChunkData]) throws -> (codes: [Int32], dictionary: [String]) {
        let storage = try ParquetColumnMerger.text(chunks, total: chunks.reduce(0) { $0 + $1.count }, plan: plan, file: "w.parquet")
        guard case .text(let codes, let dictionary) = storage else { throw PetalError("not text") }
        return (codes, dictionary.strings)
    }

    @Test func codesFollowFirstAppearanceAcrossRowGroups() throws {
        let a = Self.chunk(["b", "", "naïve"], codes: [0, 1, 2, 0])
        let b = Self.chunk(["x", "naïve", "b", "日本"], codes: [3, 2, 1, 0, 0])
        let allMissing = Self.chunk([String](), codes: [0, 0])
        let (codes, dictionary) = try Self.text([a, b, allMissing])
        #expect(dictionary == ["b", "", "naïve", "x", "日本"])
        #expect(codes == [0, 1, 2, 0, 4, 0, 2, 3, 3, 0, 0])
        let (one, single) = try Self.text([Self.chunk(["x", "naïve"], codes: [1, 0])])
        #expect(one == [1, 0] && single == ["x", "naïve"])
        let (none, empty) = try Self.text([Self.chunk([String](), codes: [0, 0, 0])])
        #expect(none == [0, 0, 0] && empty == [""])
    }

    @Test func aCodePastItsRowGroupsDictionaryIsAnError() {
        let a = Self.chunk(["a"], codes: [0]), b = Self.chunk(["b", "c"], codes: [1, 2])
        #expect(throws: PetalError.self) { try Self.text([a, b]) }
    }

    /// Bytes that are UTF-8 only together ("é" split in two entries) are two invalid entries.
    @Test(arguments: [[[0xC3], [0xA9]], [[0x61], [0xFF]], [[0xE6, 0x97], [0x62]]] as [[[UInt8]]])
    func entriesThatAreNotUTF8AreRefused(entries: [[UInt8]]) {
        let bad = Self.chunk(entries, codes: [0, 1])
        #expect(bad.dictionary.firstInvalidUTF8() == entries.firstIndex { String(validating: $0, as: UTF8.self) == nil })
        #expect(throws: PetalError.self) { try Self.text([bad]) }
        #expect(throws: PetalError.self) { try Self.text([Self.chunk(["ok"], codes: [0]), Self.chunk(entries, codes: [0, 1])]) }
    }

    @Test func asciiIsCheckedEightBytesAtATime() {
        for n in 0..<20 {
            var bytes = [UInt8](repeating: 0x41, count: n)
            #expect(bytes.withUnsafeBufferPointer { TextInterner.isASCII($0) })
            for i in 0..<n {
                bytes[i] = 0x80
                #expect(!bytes.withUnsafeBufferPointer { TextInterner.isASCII($0) }, "\(n) \(i)")
                bytes[i] = 0x41
            }
        }
    }

    /// Empty strings first in every row group (the interner has no bytes yet when "" comes again; found by the
    /// parquet fuzz target), PLAIN and dictionary-encoded pages alike.
    @Test func emptyTextFirstReadsBack() throws {
        let frame = try Frame(columns: [Column(name: "w", storage: .text(codes: [0, 0, 1, 0, 0, 0], dictionary: ["", "a"]))])
        for size in [1, 2, 6] {
            let bytes = try ParquetWriter.encode(frame, rowGroupSize: size, compressed: false)
            let (back, _) = try ParquetReader.read(bytes: bytes, file: "w.parquet")
            ParquetRoundTripTests.assertEqual(frame, back)
        }
        let c = ParquetChunkData()
        var empty: UInt8 = 0
        for _ in 0..<3 { c.codes.append(c.dictionary.code(&empty, 0, 0, offset: 0)) }
        c.count = 3
        #expect(try Self.text([c, Self.chunk(["", "b"], codes: [1, 0])]) == ([0, 0, 0, 1, 0], ["", "b"]))
    }

    /// Row groups whose values appear in different orders read back as the frame written, and the column's
    /// dictionary is in order of first appearance in the file.
    @Test func rowGroupsReadIntoOneDictionary() throws {
        let words = ["c", "a", "é", "b", "", "日本"]
        let codes: [Int32] = [0, 1, 0, 2, 3, 1, 4, 5, 3, 0, 2, 4]
        var valid = Bitmap(count: codes.count, value: true)
        valid[5] = false
        let frame = try Frame(columns: [Column(name: "w", storage: .text(codes: codes, dictionary: TextDictionary(words)), validity: valid)])
        for size in [1, 2, 5, 12] {
            let bytes = try ParquetWriter.encode(frame, rowGroupSize: size, compressed: true)
            let (back, _) = try ParquetReader.read(bytes: bytes, file: "w.parquet")
            ParquetRoundTripTests.assertEqual(frame, back)
            guard case .text(_, let dictionary) = back.columns[0].storage else { Issue.record("not text"); continue }
            #expect(dictionary == ["c", "a", "é", "b", "", "日本"], "row groups of \(size)")
        }
    }
}
