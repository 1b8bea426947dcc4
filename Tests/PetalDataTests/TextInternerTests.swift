import Foundation
import Testing
@testable import PetalData

/// The CSV reader's per-column interner: dense codes in order of first appearance, merges that keep each chunk's
/// values apart, and the ASCII fast path that skips per-value UTF-8 checks.
@Suite struct TextInternerTests {
    private func add(_ d: TextInterner, _ s: String, offset: Int = 0) -> Int32 {
        let bytes = Array(s.utf8) + [0]  // a spare byte, so an empty value still has an address
        return bytes.withUnsafeBufferPointer { b in d.code(b.baseAddress!, 0, bytes.count - 1, offset: offset) }
    }

    private func values(_ d: TextInterner) -> [String] {
        (0..<d.count).map { String(decoding: d.bytes($0), as: UTF8.self) }
    }

    @Test func codesAreDenseInFirstAppearanceOrder() {
        let d = TextInterner()
        #expect(add(d, "b") == 0)
        #expect(add(d, "a") == 1)
        #expect(add(d, "b") == 0)
        #expect(add(d, "") == 2)
        #expect(add(d, "") == 2)
        #expect(add(d, "a") == 1)
        #expect(values(d) == ["b", "a", ""])
    }

    /// The empty value first: the arena has no bytes yet when it is looked up again (Parquet interns "").
    @Test func theEmptyValueFirstIsFoundAgain() {
        let d = TextInterner()
        #expect(add(d, "") == 0)
        #expect(add(d, "") == 0)
        #expect(add(d, "a") == 1)
        #expect(add(d, "") == 0)
        #expect(values(d) == ["", "a"])
    }

    @Test func manyValuesSurviveGrowingAndKeepTheirFirstOffsets() {
        let d = TextInterner()
        // Lengths 0...40 cover the word-at-a-time compare's tail; prefixes of each other must stay apart.
        let words = (0..<50_000).map { String(repeating: "x", count: $0 % 41) + "\($0 / 41)" }
        for (i, w) in words.enumerated() { #expect(add(d, w, offset: i) == Int32(i)) }
        for (i, w) in words.enumerated().reversed() { #expect(add(d, w, offset: -1) == Int32(i)) }
        #expect(d.count == words.count)
        #expect(values(d) == words)
        #expect(Array(d.firstOffsets.buffer) == Array(0..<words.count))
    }

    @Test func mergeMapsEachValueOnceAndAddsOnlyNewOnes() {
        let first = TextInterner(), second = TextInterner()
        for s in ["x", "y", "z"] { _ = add(first, s, offset: 1) }
        for s in ["z", "", "w", "x"] { _ = add(second, s, offset: 100) }
        let map = first.merge(second)
        #expect(map == [2, 3, 4, 0])
        #expect(values(first) == ["x", "y", "z", "", "w"])
        #expect(Array(first.firstOffsets.buffer) == [1, 1, 1, 100, 100])
        #expect(first.merge(TextInterner()) == [])
    }

    @Test func mergeOfOnlyEmptyValues() {
        let first = TextInterner(), second = TextInterner()
        _ = add(second, "")
        #expect(first.merge(second) == [0])
        #expect(values(first) == [""])
    }

    @Test func asciiIsDetectedOverEveryByte() {
        let d = TextInterner()
        #expect(d.isASCII)
        for s in ["plain", "twelve bytes", "a"] { _ = add(d, s) }
        #expect(d.isASCII)
        _ = add(d, "caf\u{E9}")  // the non-ASCII byte is in the tail, past the last whole word
        #expect(!d.isASCII)
    }

    @Test func freeEmptiesAndStaysUsable() {
        let d = TextInterner()
        for i in 0..<1000 { _ = add(d, "v\(i)") }
        d.free()
        #expect(d.count == 0)
        #expect(add(d, "v5") == 0)
        #expect(values(d) == ["v5"])
    }

    /// A chunk's interner whose first 16,384 values are nearly all distinct keeps every value from then on (a
    /// repeat gets a new code); merged, repeats share one code again, in order of first appearance. Values that
    /// repeat keep the look-ups, and a column's interner (`adoptAsColumn`) never switches, however many new values
    /// its merges bring.
    @Test func aNearlyDistinctChunkKeepsEveryValueAndMergesToDistinctOnes() {
        let chunk = TextInterner(mayKeepEveryValue: true)
        for i in 0..<20_000 { _ = add(chunk, "id\(i)") }
        #expect(chunk.keepsEveryValue)
        #expect(add(chunk, "id5") == 20_000)  // kept again, not looked up
        let column = TextInterner()
        column.adoptAsColumn()
        _ = add(column, "id7")
        let map = column.merge(chunk)
        #expect(map.count == 20_001)
        #expect(map[0] == 1 && map[7] == 0 && map[5] == map[20_000])
        #expect(column.count == 20_000)
        #expect(Set(values(column)).count == 20_000)

        let repeating = TextInterner(mayKeepEveryValue: true)
        for i in 0..<40_000 { _ = add(repeating, "v\(i % 5_000)") }
        #expect(!repeating.keepsEveryValue)
        #expect(repeating.count == 5_000)

        let adopted = TextInterner(mayKeepEveryValue: true)
        adopted.adoptAsColumn()
        for i in 0..<40_000 { _ = add(adopted, "w\(i)") }
        #expect(!adopted.keepsEveryValue)
        #expect(add(adopted, "w3") == 3)
    }

    /// `merge` looks values up in blocks (hashes and reads ahead first): every value of a long merge, new or
    /// already there, across block boundaries, gets the code it has in the result.
    @Test func longMergesMapEveryValue() {
        let target = TextInterner()
        for i in stride(from: 0, to: 3_000, by: 3) { _ = add(target, "x\(i)") }
        let other = TextInterner()
        for i in 0..<3_000 { _ = add(other, "x\(i)") }
        _ = add(other, "")
        let map = target.merge(other)
        let all = values(target)
        #expect(all.count == 3_001)
        #expect(Set(all).count == all.count)
        for i in 0..<3_000 { #expect(all[Int(map[i])] == "x\(i)") }
        #expect(all[Int(map[3_000])] == "")
    }
}
