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

    /// Values of up to 16 bytes are hashed and compared as overlapping loads of their first and last bytes, longer
    /// ones 16 (or 8) bytes a step with an overlapping last step: values of every length from 1 to 40 that differ
    /// in one byte only, at any position, stay apart and are found again.
    @Test func valuesDifferingInOneByteAnywhereStayApart() {
        let d = TextInterner()
        var all: [String] = []
        for n in 1...40 {
            all.append(String(repeating: "a", count: n))
            for k in 0..<n { all.append(String(repeating: "a", count: k) + "b" + String(repeating: "a", count: n - k - 1)) }
        }
        for (i, w) in all.enumerated() { #expect(add(d, w) == Int32(i), "\(w)") }
        for (i, w) in all.enumerated().reversed() { #expect(add(d, w) == Int32(i), "\(w)") }
        #expect(values(d) == all)
        // The same values looked up from a merge (hashes computed from another interner's arena).
        let other = TextInterner()
        for w in all.reversed() { _ = add(other, w) }
        #expect(d.merge(other) == (0..<all.count).reversed().map { Int32($0) })
        #expect(d.count == all.count)
    }

    /// A chunk of a column whose chunk before kept every value (`wasKeepingEveryValue`) decides after 1,024 values
    /// instead of 16,384: ids switch early, values that repeat keep the look-ups.
    @Test func aChunkAfterOneThatKeptEveryValueDecidesEarly() {
        let ids = TextInterner(mayKeepEveryValue: true, wasKeepingEveryValue: true)
        for i in 0..<1_100 { _ = add(ids, "id\(i)") }
        #expect(ids.keepsEveryValue)
        let repeating = TextInterner(mayKeepEveryValue: true, wasKeepingEveryValue: true)
        for i in 0..<3_000 { _ = add(repeating, "v\(i % 100)") }
        #expect(!repeating.keepsEveryValue)
        #expect(repeating.count == 100)
        // A capacity given up front (the window before's distinct count) changes no code.
        let sized = TextInterner(capacity: 5_000, mayKeepEveryValue: true)
        for i in 0..<20_000 { #expect(add(sized, "s\(i % 4_000)") == Int32(i % 4_000)) }
        #expect(!sized.keepsEveryValue)
    }

    /// Past 131,072 values the table is 2 MiB or more and mapped on its own (not cleared): growing into
    /// it, merging into it and freeing it keep every code.
    @Test func aMappedTableKeepsEveryCode() {
        let d = TextInterner()
        let n = 140_000
        for i in 0..<n { _ = add(d, "k\(i)") }
        for i in stride(from: 0, to: n, by: 7) { #expect(add(d, "k\(i)") == Int32(i)) }
        let other = TextInterner()
        for i in stride(from: n - 10, to: n + 10, by: 1) { _ = add(other, "k\(i)") }
        #expect(d.merge(other) == (n - 10..<n + 10).map { Int32($0) })
        d.free()
        #expect(d.count == 0)
        #expect(add(d, "k3") == 0)
    }
}
