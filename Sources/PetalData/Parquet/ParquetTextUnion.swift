import Foundation

/// A text column's dictionary made from its row groups' dictionaries: their bytes copied once, side by side,
/// into one buffer, and each distinct value kept as a place in it (no byte copied again per new value, as
/// `ByteDictionary.merge` does). Codes are in order of first appearance (row group by row group), so the column
/// is the same whatever order the row groups were decoded in.
final class ParquetTextUnion {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var table: [Int32]
    private var mask: Int
    /// Where the next row group's bytes go in `bytes`.
    private var filled = 0
    /// False once a byte with its high bit set was copied: entries then need their own UTF-8 check.
    private var allASCII = true

    /// Room for `byteCount` bytes of all the row groups' dictionaries and about `entries` distinct values.
    init(byteCount: Int, entries: Int) {
        bytes = .allocate(capacity: max(byteCount, 1))
        var size = 64
        while size < entries * 2 { size <<= 1 }
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        starts.reserveCapacity(entries)
        lengths.reserveCapacity(entries)
        hashes.reserveCapacity(entries)
    }

    deinit { bytes.deallocate() }

    var count: Int { starts.count }

    /// The union's code of each of `d`'s entries (its values added when new).
    func add(_ d: ByteDictionary) -> [Int32] {
        guard let base = bytes.baseAddress else { return [] }
        let at = filled
        let n = min(d.arena.count, bytes.count - filled)
        d.arena.withUnsafeBufferPointer { a in
            guard let src = a.baseAddress, n > 0 else { return }
            (base + at).update(from: src, count: n)
            if allASCII { allASCII = ByteDictionary.isASCII(UnsafeBufferPointer(start: src, count: n)) }
        }
        filled += n
        let dStarts = d.starts, dLengths = d.lengths
        return [Int32](unsafeUninitializedCapacity: dStarts.count) { map, initialized in
            for i in dStarts.indices {
                let start = at + dStarts[i]
                let length = dLengths[i]
                // An entry outside the copied bytes cannot happen (the dictionary wrote them); it maps to "".
                let ok = start >= at && length >= 0 && start <= filled - length
                map[i] = ok ? code(base, start, length) : code(base, at, 0)
            }
            initialized = dStarts.count
        }
    }

    @inline(__always)
    private func code(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ n: Int) -> Int32 {
        let h = ByteDictionary.hash(p, start, start + n)
        var slot = Int(truncatingIfNeeded: h >> 7) & mask
        while true {
            let c = table[slot]
            if c < 0 { break }
            let ci = Int(c)
            if hashes[ci] == h && lengths[ci] == n && memcmp(p + starts[ci], p + start, n) == 0 { return c }
            slot = (slot + 1) & mask
        }
        let code = Int32(starts.count)
        starts.append(start)
        lengths.append(n)
        hashes.append(h)
        table[slot] = code
        if starts.count * 2 > table.count { grow() }
        return code
    }

    private func grow() {
        table = ByteDictionary.slots(for: hashes, size: table.count * 2)
        mask = table.count - 1
    }

    /// The distinct values as strings, in code order, or nil when one is not UTF-8.
    func strings() -> [String]? {
        guard let base = bytes.baseAddress else { return nil }
        return Self.strings(UnsafePointer(base), starts: starts, lengths: lengths, allASCII: allASCII)
    }

    /// A single row group's dictionary as strings (nothing to merge), or nil when an entry is not UTF-8.
    static func strings(_ d: ByteDictionary) -> [String]? {
        let starts = d.starts, lengths = d.lengths
        return d.arena.withUnsafeBufferPointer { a in
            guard let base = a.baseAddress else { return [String](repeating: "", count: starts.count) }
            return strings(base, starts: starts, lengths: lengths, allASCII: ByteDictionary.isASCII(a))
        }
    }

    /// Entries `p[starts[i]..<starts[i] + lengths[i]]` as strings. Decoding replaces invalid bytes, so an entry
    /// is valid exactly when its string's bytes are the entry's (checked only when some byte is not ASCII).
    private static func strings(_ p: UnsafePointer<UInt8>, starts: [Int], lengths: [Int], allASCII: Bool) -> [String]? {
        var out: [String] = []
        out.reserveCapacity(starts.count)
        for i in starts.indices {
            let value = UnsafeBufferPointer(start: p + starts[i], count: lengths[i])
            let s = String(decoding: value, as: UTF8.self)
            guard allASCII || s.utf8.elementsEqual(value) else { return nil }
            out.append(s)
        }
        return out
    }
}
