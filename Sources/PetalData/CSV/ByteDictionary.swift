/// A hash table from byte strings to dense codes, filled without creating a `String` per cell.
/// Entries keep the file offset of their first occurrence, so invalid UTF-8 can be reported where it is.
final class ByteDictionary {
    private(set) var arena: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int] = []
    private(set) var firstOffsets: [Int] = []
    private var hashes: [UInt64] = []
    private var table: [Int32]
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { starts.count }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i + 8 <= end {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ w) &* 0x0000_0100_0000_01b3
            h ^= h >> 29
            i += 8
        }
        while i < end {
            h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01b3
            i += 1
        }
        h ^= h >> 32
        return h &* 0x9E37_79B9_7F4A_7C15
    }

    /// The code for the bytes `start..<end`, adding them when new. `offset` is their position in the file.
    @inline(__always)
    func code(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, offset: Int) -> Int32 {
        let h = ByteDictionary.hash(p, start, end)
        let n = end - start
        var slot = Int(truncatingIfNeeded: h >> 7) & mask
        while true {
            let c = table[slot]
            if c < 0 { break }
            let ci = Int(c)
            if hashes[ci] == h && lengths[ci] == n && equal(ci, p, start, n) { return c }
            slot = (slot + 1) & mask
        }
        let code = Int32(starts.count)
        starts.append(arena.count)
        lengths.append(n)
        firstOffsets.append(offset)
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(start: p + start, count: n))
        table[slot] = code
        if starts.count * 2 > table.count { grow() }
        return code
    }

    @inline(__always)
    private func equal(_ ci: Int, _ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Bool {
        arena.withUnsafeBufferPointer { a in
            guard let base = a.baseAddress else { return n == 0 }
            return memcmp(base + starts[ci], p + start, n) == 0
        }
    }

    private func grow() {
        table = Self.slots(for: hashes, size: table.count * 2)
        mask = table.count - 1
    }

    /// An open-addressing table of `size` slots (a power of two) holding codes 0..<hashes.count at their hash's
    /// slot (`hash >> 7`, linear probing), -1 where empty: the layout `ByteDictionary` and `ParquetTextUnion` probe.
    static func slots(for hashes: [UInt64], size: Int) -> [Int32] {
        var table = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for (ci, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h >> 7) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(ci)
        }
        return table
    }

    /// True when every byte is ASCII (so the bytes are valid UTF-8 as a whole): eight bytes at a time. The CSV
    /// and Parquet readers skip per-value UTF-8 checks when a dictionary's bytes pass.
    static func isASCII(_ a: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = a.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var any: UInt64 = 0
        var i = 0
        while i + 8 <= a.count {
            any |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < a.count { any |= UInt64(base[i]); i += 1 }
        return any & 0x8080_8080_8080_8080 == 0
    }

    /// Entry `i` as bytes.
    func bytes(_ i: Int) -> ArraySlice<UInt8> { arena[starts[i]..<(starts[i] + lengths[i])] }

    /// Codes of `other`'s entries in this dictionary, adding the new ones (used to merge chunks).
    func merge(_ other: ByteDictionary) -> [Int32] {
        var map = [Int32](repeating: 0, count: other.count)
        other.arena.withUnsafeBufferPointer { a in
            guard let base = a.baseAddress else {
                // All of other's entries are empty strings.
                var empty: UInt8 = 0
                for i in 0..<other.count { map[i] = code(&empty, 0, 0, offset: other.firstOffsets[i]) }
                return
            }
            for i in 0..<other.count {
                map[i] = code(base, other.starts[i], other.starts[i] + other.lengths[i], offset: other.firstOffsets[i])
            }
        }
        return map
    }
}

import Foundation
