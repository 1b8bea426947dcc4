import Foundation
import Testing
@testable import PetalData

/// A text column's row-group dictionaries joined into one (`ParquetTextUnion`), and the UTF-8 check of its entries.
@Suite struct ParquetTextUnionTests {
    static func dictionary(_ entries: [[UInt8]]) -> ByteDictionary {
        let d = ByteDictionary()
        for e in entries {
            var bytes = e + [0]  // a valid pointer for the empty entry
            _ = bytes.withUnsafeMutableBufferPointer { b in d.code(UnsafePointer(b.baseAddress!), 0, e.count, offset: 0) }
        }
        return d
    }

    static func text(_ s: [String]) -> ByteDictionary { dictionary(s.map { Array($0.utf8) }) }

    @Test func codesFollowFirstAppearanceAcrossRowGroups() throws {
        let a = Self.text(["b", "", "naïve"]), b = Self.text(["x", "naïve", "b", "日本"]), c = ByteDictionary()
        let union = ParquetTextUnion(byteCount: a.arena.count + b.arena.count, entries: 1)
        #expect(union.add(a) == [0, 1, 2])
        #expect(union.add(b) == [3, 2, 0, 4])
        #expect(union.add(c) == [])
        #expect(union.strings() == ["b", "", "naïve", "x", "日本"])
        #expect(ParquetTextUnion.strings(b) == ["x", "naïve", "b", "日本"])
    }

    /// Bytes that are UTF-8 only together ("é" split in two entries) are two invalid entries.
    @Test(arguments: [[[0xC3], [0xA9]], [[0x61], [0xFF]], [[0xE6, 0x97], [0x62]]] as [[[UInt8]]])
    func entriesThatAreNotUTF8AreRefused(entries: [[UInt8]]) {
        let d = Self.dictionary(entries)
        #expect(ParquetTextUnion.strings(d) == nil)
        let union = ParquetTextUnion(byteCount: d.arena.count * 2, entries: 4)
        _ = union.add(Self.text(["ok"]))
        _ = union.add(d)
        #expect(union.strings() == nil)
    }

    @Test func asciiIsCheckedEightBytesAtATime() {
        for n in 0..<20 {
            var bytes = [UInt8](repeating: 0x41, count: n)
            #expect(bytes.withUnsafeBufferPointer { ByteDictionary.isASCII($0) })
            for i in 0..<n {
                bytes[i] = 0x80
                #expect(!bytes.withUnsafeBufferPointer { ByteDictionary.isASCII($0) }, "\(n) \(i)")
                bytes[i] = 0x41
            }
        }
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
