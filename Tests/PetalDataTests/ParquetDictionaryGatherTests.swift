import Testing
@testable import PetalData

/// `RLEHybridDecoder.gather` (dictionary indices decoded straight to the entries they name) against decoding
/// the indices and looking each up, and `startsWithOnes` (definition levels of a page without nulls).
@Suite struct ParquetDictionaryGatherTests {
    /// `runs` encoded one after the other: a run of one value as an RLE run, any other as a bit-packed run
    /// (every run but the last holds a multiple of 8 values, as bit-packed runs are padded to 8).
    static func encoded(_ runs: [[Int32]], bitWidth: Int) -> [UInt8] {
        runs.flatMap { RLEHybridEncoder.encode($0, bitWidth: bitWidth) }
    }

    /// Deterministic indices below `n`.
    static func indices(_ count: Int, below n: Int, seed: UInt64) -> [Int32] {
        var x = seed
        return (0..<count).map { _ in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return Int32(truncatingIfNeeded: (x >> 33) % UInt64(n))
        }
    }

    static func gather(_ bytes: [UInt8], bitWidth: Int, count: Int, entries: [Double]) throws -> ([Double], Int32?) {
        var out = [Double](repeating: -1, count: count)
        let past = try bytes.withUnsafeBufferPointer { b in
            try entries.withUnsafeBufferPointer { e in
                try out.withUnsafeMutableBufferPointer { o in
                    var d = try RLEHybridDecoder(b.baseAddress!, from: 0, to: b.count, bitWidth: bitWidth)
                    return try d.gather(count: count, entries: e, into: o.baseAddress!)
                }
            }
        }
        return (out, past)
    }

    @Test(arguments: [1, 3, 11, 17, 32])
    func gatherEqualsTheIndicesLookedUp(bitWidth: Int) throws {
        let n = bitWidth < 10 ? 1 << bitWidth : 1000
        let entries = (0..<n).map { Double($0) * 1.5 + 0.25 }
        // Bit-packed runs longer than gather's block (256), RLE runs, and a last run not a multiple of 8.
        let runs: [[Int32]] = [Self.indices(600, below: n, seed: 1), [Int32](repeating: Int32(n - 1), count: 40),
                               Self.indices(8, below: n, seed: 2), [Int32](repeating: 0, count: 300), Self.indices(517, below: n, seed: 3)]
        let all = runs.flatMap { $0 }
        let bytes = Self.encoded(runs, bitWidth: bitWidth)
        let (out, past) = try Self.gather(bytes, bitWidth: bitWidth, count: all.count, entries: entries)
        #expect(past == nil)
        #expect(out == all.map { entries[Int($0)] })
        // Fewer values than the runs hold: only those are written.
        let (some, _) = try Self.gather(bytes, bitWidth: bitWidth, count: 700, entries: entries)
        #expect(Array(some[..<700]) == all[..<700].map { entries[Int($0)] })
        #expect(some[700...].allSatisfy { $0 == -1 })
    }

    @Test func anIndexPastTheDictionaryIsReported() throws {
        let entries: [Double] = [1, 2, 3]
        var packed = Self.indices(600, below: 3, seed: 4)
        packed[300] = 5  // in gather's second block
        #expect(try Self.gather(Self.encoded([packed], bitWidth: 3), bitWidth: 3, count: 600, entries: entries).1 == 5)
        let rle = Self.encoded([[Int32](repeating: 1, count: 8), [Int32](repeating: 3, count: 20)], bitWidth: 3)
        #expect(try Self.gather(rle, bitWidth: 3, count: 28, entries: entries).1 == 3)
        #expect(try Self.gather(rle, bitWidth: 3, count: 28, entries: []).1 == 1)
        #expect(try Self.gather(rle, bitWidth: 3, count: 0, entries: []).1 == nil)
    }

    @Test func truncatedIndicesAreAnError() {
        let bytes = Self.encoded([Self.indices(600, below: 100, seed: 5)], bitWidth: 7)
        #expect(throws: ParquetFault.self) { _ = try Self.gather(Array(bytes[..<300]), bitWidth: 7, count: 600, entries: [Double](repeating: 0, count: 100)) }
        #expect(throws: ParquetFault.self) { _ = try Self.gather(bytes, bitWidth: 7, count: 601, entries: [Double](repeating: 0, count: 100)) }
    }

    @Test func startsWithOnesOnlyForALongEnoughRunOfOnes() throws {
        func starts(_ levels: [[Int32]], _ count: Int) throws -> Bool {
            let bytes = Self.encoded(levels, bitWidth: 1)
            return try bytes.withUnsafeBufferPointer { b in
                try RLEHybridDecoder(b.baseAddress!, from: 0, to: b.count, bitWidth: 1).startsWithOnes(count: count)
            }
        }
        let ones = [Int32](repeating: 1, count: 100)
        #expect(try starts([ones], 100))
        #expect(try starts([ones], 99))
        #expect(try !starts([ones], 101))
        #expect(try !starts([[Int32](repeating: 0, count: 100)], 100))
        #expect(try !starts([[1, 1, 1, 0, 1, 1, 1, 1] + ones], 8))
        // A run's value byte other than 1 (a level above the maximum) is left to the full decoding, which refuses it.
        var three = RLEHybridEncoder.encode(ones, bitWidth: 1)
        three[three.count - 1] = 3
        #expect(!three.withUnsafeBufferPointer { b in
            (try? RLEHybridDecoder(b.baseAddress!, from: 0, to: b.count, bitWidth: 1).startsWithOnes(count: 100)) ?? true
        })
    }
}
