/// The distinct values of one CSV text column (one chunk's, or the whole column's once chunks are merged),
/// each given a dense code in order of first appearance. Built straight from the file's bytes, without a
/// `String` per cell.
///
/// Made for the CSV reader's hot loop (`ByteDictionary`, which Parquet uses, is the general version): the
/// table's slots hold the code together with 32 bits of the value's hash, so a probe that meets another value
/// is rejected without touching that value's bytes (one cache miss per new value, not three), and the bytes,
/// their bounds and first offsets live in `GrowableBuffer`s (no uniqueness or bounds checks per append).
/// Merging a chunk's interner into the column's costs one insert per distinct value of the chunk.
final class TextInterner {
    /// Every value's bytes, back to back.
    private(set) var arena = GrowableBuffer<UInt8>()
    /// Value `i` is `arena[bounds[i]..<bounds[i + 1]]`; `bounds[0] == 0`.
    private var bounds = GrowableBuffer<Int>()
    /// Where each value first occurs in the file (to name the line of invalid UTF-8).
    private(set) var firstOffsets = GrowableBuffer<Int>()
    /// Open addressing, linear probing. A slot is 0 when empty, else `(hash << 32) | (code + 1)`.
    private var table: UnsafeMutablePointer<UInt64>
    private var size: Int
    /// The slot of hash `h` is `(h << 32) >> shift`: the top bits of the 32 hash bits a slot keeps (the
    /// hash folds its high half into the low one before its last multiply), so growing needs no bytes.
    private var shift: UInt64

    init(capacity: Int = 32) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        self.size = size
        shift = UInt64(64 - size.trailingZeroBitCount)
        table = .allocate(capacity: size)
        table.initialize(repeating: 0, count: size)
        bounds.append(0)
    }

    deinit {
        table.deallocate()
        arena.free(); bounds.free(); firstOffsets.free()
    }

    var count: Int { bounds.count - 1 }

    /// Value `i`'s bytes; valid until the interner changes.
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let b = bounds.buffer
        return UnsafeBufferPointer(start: arena.base.map { $0 + b[i] }, count: b[i + 1] - b[i])
    }

    /// The code for the bytes `start..<end`, adding them when new. `offset` is their position in the file.
    @inline(__always)
    func code(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, offset: Int) -> Int32 {
        let n = end - start
        let h = ByteDictionary.hash(p, start, end)
        let tag = h << 32
        var slot = Int(truncatingIfNeeded: tag >> shift)
        let mask = size - 1
        while true {
            let v = table[slot]
            if v == 0 { break }
            if v & 0xFFFF_FFFF_0000_0000 == tag {
                let ci = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                let b = bounds.base.unsafelyUnwrapped
                if b[ci + 1] - b[ci] == n && TextInterner.same(arena.base.unsafelyUnwrapped + b[ci], p + start, n) {
                    return Int32(truncatingIfNeeded: ci)
                }
            }
            slot = (slot + 1) & mask
        }
        let code = count
        if n > 0 { arena.append(p + start, count: n) }
        bounds.append(arena.count)
        firstOffsets.append(offset)
        table[slot] = tag | UInt64(code + 1)
        if count * 2 > size { grow(to: size * 2) }
        return Int32(truncatingIfNeeded: code)
    }

    /// Byte equality, inline for the short values text columns mostly hold.
    @inline(__always)
    private static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// Re-places every value in a table of `newSize` slots. A slot's index is the top bits of the 32 hash bits
    /// it keeps, so the values are moved without touching their bytes or hashing them again.
    private func grow(to newSize: Int) {
        let old = table, oldSize = size
        size = newSize
        shift = UInt64(64 - newSize.trailingZeroBitCount)
        table = .allocate(capacity: newSize)
        table.initialize(repeating: 0, count: newSize)
        let mask = newSize - 1
        for k in 0..<oldSize where old[k] != 0 {
            let v = old[k]
            var slot = Int(truncatingIfNeeded: (v & 0xFFFF_FFFF_0000_0000) >> shift)
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = v
        }
        old.deallocate()
    }

    /// Codes of `other`'s values in this interner, adding the new ones (one insert per distinct value of
    /// `other`, not per row).
    func merge(_ other: TextInterner) -> [Int32] {
        var wanted = size
        while (count + other.count) * 2 > wanted { wanted <<= 1 }
        if wanted > size { grow(to: wanted) }
        let n = other.count
        guard n > 0 else { return [] }
        let ob = other.bounds.base.unsafelyUnwrapped
        let offsets = other.firstOffsets.base.unsafelyUnwrapped
        func codes(_ source: UnsafePointer<UInt8>) -> [Int32] {
            [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                for i in 0..<n { out[i] = code(source, ob[i], ob[i + 1], offset: offsets[i]) }
                initialized = n
            }
        }
        if let a = other.arena.base { return codes(a) }
        var empty: UInt8 = 0  // no bytes at all: every value is the empty string
        return withUnsafePointer(to: &empty) { codes($0) }
    }

    /// True when every value is ASCII (so valid UTF-8).
    var isASCII: Bool { ByteDictionary.isASCII(UnsafeBufferPointer(start: arena.base, count: arena.count)) }

    /// The values as a packed dictionary: the bytes and bounds are handed over without a copy, the table and
    /// first offsets freed, and the interner left empty. The caller has checked that the values are UTF-8.
    func packed() -> PackedText {
        let n = count
        let bytes = arena.take()
        let b = bounds.take()  // never nil: it holds at least its leading 0
        free()
        return PackedText(bytes: bytes, bounds: b, count: b == nil ? 0 : n)
    }

    /// Drops every value and frees the storage (the interner is empty afterwards).
    func free() {
        arena.free(); bounds.free(); firstOffsets.free()
        bounds.append(0)
        if size > 64 {
            table.deallocate()
            size = 64
            shift = UInt64(64 - size.trailingZeroBitCount)
            table = .allocate(capacity: size)
        }
        table.update(repeating: 0, count: size)
    }
}
