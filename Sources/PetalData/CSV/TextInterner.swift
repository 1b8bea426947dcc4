import Foundation

/// The distinct values of one text column (a CSV chunk's or a Parquet row group's, or the whole column's once
/// those are merged), each given a dense code in order of first appearance. Built straight from the file's
/// bytes, without a `String` per cell; the one byte-keyed table of both readers.
///
/// The table's slots hold the code together with 32 bits of the value's hash, so a probe that meets another
/// value is rejected without touching that value's bytes (one cache miss per new value, not three), and the
/// bytes, their bounds and first offsets live in `GrowableBuffer`s (no uniqueness or bounds checks per append).
/// Merging a chunk's interner into the column's costs one insert per distinct value of the chunk.
final class TextInterner {
    /// Every value's bytes, back to back.
    private(set) var arena = GrowableBuffer<UInt8>()
    /// Value `i` is `arena[bounds[i]..<bounds[i + 1]]`; `bounds[0] == 0`.
    private var bounds = GrowableBuffer<Int>()
    /// Where each value first occurs in the file (to name the line of invalid UTF-8), while `tracksOffsets`.
    private(set) var firstOffsets = GrowableBuffer<Int>()
    /// False once `adoptAsColumn` was called: a column's interner whose chunks were checked for UTF-8 before they
    /// were merged into it needs no offsets (8 bytes a value fewer).
    private(set) var tracksOffsets = true
    /// Open addressing, linear probing. A slot is 0 when empty, else the hash's high 32 bits (its tag) over
    /// `code + 1`: the slot's position comes from the same bits, so growing re-places slots without their bytes.
    private var table: UnsafeMutablePointer<UInt64>
    private var size: Int
    /// The slot of hash `h` is `h >> shift` (its high bits, the well-mixed ones).
    private var shift: UInt64
    /// Set by a CSV chunk's interner (`init(mayKeepEveryValue:)`) once its first `probe` values were nearly all
    /// distinct (ids, keys): from then on each value is appended without a look-up, so a value may be held more
    /// than once and a code names a row rather than a distinct value. Such an interner is only merged into
    /// another (`merge` gives equal values one code), never used as a column's dictionary itself.
    private(set) var keepsEveryValue = false
    /// Values looked up so far, while the switch to keeping every value is still open (0 when it is not).
    private var lookups = 0
    /// How many values are looked up before deciding whether to keep every value: `rawProbe`, or `shortProbe`
    /// when the same column's chunk of the window before kept every value (ids stay ids), so that a column of
    /// ids does not look up and insert its first 16,384 values of every chunk, while one that stops being
    /// mostly distinct is still found out.
    private var probe = TextInterner.rawProbe
    /// Where `merge` leaves the sum of what it read ahead, so those reads are not optimized away.
    private var sink: UInt64 = 0
    private static let rawProbe = 16_384
    private static let shortProbe = 1_024
    /// Tables of at least this many bytes are mapped on their own (`mmap`), advised onto 2 MiB pages and not
    /// cleared (fresh pages are zero): a 1M-value column's table is 16 MiB looked up at random, which with
    /// 4 KiB pages cost a TLB miss and, once, a page fault per 4 KiB. Unlike arrays written once from start to end
    /// (`Array(uninitializedCount:)`, not advised: a fresh huge page's first touch is slow on the VMs Petal is
    /// measured on), the table's random lookups gain more than that costs: the 1M-row text file's open, 8
    /// alternating runs after 2 s idle, median 0.76 s with the advice, 0.82 s without (system time 0.22 vs 0.28 s).
    private static let mappedTableBytes = 2 << 20
    /// True when `table` was mapped (see `mappedTableBytes`), to be unmapped rather than freed.
    private var tableMapped = false

    /// - Parameter mayKeepEveryValue: let the interner stop looking values up when nearly all are distinct (a
    ///   CSV chunk's, whose values are only ever merged: a column of ids then costs one look-up per row, in the
    ///   column's table, instead of two).
    /// - Parameter wasKeepingEveryValue: the same column's chunk before this one kept every value: decide
    ///   after `shortProbe` values rather than `rawProbe`.
    convenience init(capacity: Int = 32, mayKeepEveryValue: Bool, wasKeepingEveryValue: Bool = false) {
        self.init(capacity: capacity)
        if mayKeepEveryValue { lookups = 1 }
        if wasKeepingEveryValue { probe = TextInterner.shortProbe }
    }

    init(capacity: Int = 32) {
        var size = 64
        while size < capacity * 2 && size < 1 << 31 { size <<= 1 }
        self.size = size
        shift = UInt64(64 - size.trailingZeroBitCount)
        (table, tableMapped) = TextInterner.newTable(size)
        bounds.append(0)
    }

    deinit {
        freeTable()
        arena.free(); bounds.free(); firstOffsets.free()
    }

    var count: Int { bounds.count - 1 }

    /// Value `i`'s bytes; valid until the interner changes.
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let b = bounds.buffer
        return UnsafeBufferPointer(start: arena.base.map { $0 + b[i] }, count: b[i + 1] - b[i])
    }

    /// A 64-bit hash of `p[start..<end]`; the table uses its high bits. Without a loop over bytes: a value of up
    /// to 16 bytes (what text columns mostly hold) is read as two overlapping loads — its first and last 8 bytes,
    /// or first and last 4, or for 1–3 bytes its first, middle and last byte — each load inside `start..<end`,
    /// and the two words and the length are mixed by one 64×64→128-bit multiply. Longer values take 16 bytes a
    /// step, the last step overlapping the one before.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        let n = end - start
        let raw = UnsafeRawPointer(p + start)
        let a: UInt64, b: UInt64
        if n <= 16 {
            if n >= 8 {
                a = raw.loadUnaligned(as: UInt64.self)
                b = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else if n >= 4 {
                a = UInt64(raw.loadUnaligned(as: UInt32.self))
                b = UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            } else if n > 0 {
                a = UInt64(p[start]) << 16 | UInt64(p[start + (n >> 1)]) << 8 | UInt64(p[end - 1])
                b = 0
            } else {
                a = 0
                b = 0
            }
            return mix(a ^ 0xA076_1D64_78BD_642F, b ^ 0xE703_7ED1_A0B4_28DB ^ UInt64(truncatingIfNeeded: n))
        }
        var h = 0x8EBC_6AF0_9C88_C6E3 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while n - i > 16 {
            h = mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0xA076_1D64_78BD_642F,
                    raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ h)
            i += 16
        }
        return mix(raw.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self) ^ 0xE703_7ED1_A0B4_28DB,
                   raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) ^ h)
    }

    /// The high and low halves of the 128-bit product, xor-ed: every bit of either input reaches the high bits.
    @inline(__always)
    private static func mix(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let r = x.multipliedFullWidth(by: y)
        return r.high ^ r.low
    }

    /// The code for the bytes `start..<end`, adding them when new. `offset` is their position in the file.
    @inline(__always)
    func code(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, offset: Int) -> Int32 {
        let n = end - start
        if lookups > 0 {
            if keepsEveryValue { return append(p, start, n, offset: offset) }
            lookups += 1
            if lookups > probe {
                lookups = 0
                // 90% of the values so far were new: keep every value from here on, without the table.
                if count * 10 >= probe * 9 {
                    keepsEveryValue = true
                    lookups = 1
                    freeTable()
                    allocateTable(64)
                    return append(p, start, n, offset: offset)
                }
            }
        }
        return code(p, start, end, hash: TextInterner.hash(p, start, end), offset: offset)
    }

    /// `code` with the value's hash already computed (`merge` computes a block's hashes ahead).
    @inline(__always)
    private func code(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, hash h: UInt64, offset: Int) -> Int32 {
        let n = end - start
        let tag = h & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: h &>> shift)
        let mask = size - 1
        while true {
            let v = table[slot]
            if v == 0 { break }
            if v & 0xFFFF_FFFF_0000_0000 == tag {
                let ci = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                let b = bounds.base.unsafelyUnwrapped
                // Equal lengths and n > 0 mean the arena holds bytes (it has none while every value is empty).
                if b[ci + 1] - b[ci] == n && (n == 0 || TextInterner.same(arena.base.unsafelyUnwrapped + b[ci], p + start, n)) {
                    return Int32(truncatingIfNeeded: ci)
                }
            }
            slot = (slot + 1) & mask
        }
        let code = append(p, start, n, offset: offset)
        table[slot] = tag | UInt64(code + 1)
        if count * 2 > size { grow(to: size * 2) }
        return code
    }

    /// Makes this interner a column's (`TextColumnBuilder`): its values stay distinct from here on (it never
    /// switches to keeping every value, however many new values merges bring), and its first offsets are freed
    /// and no longer recorded. Not for an interner that already keeps every value.
    func adoptAsColumn() {
        firstOffsets.free()
        tracksOffsets = false
        lookups = 0
    }

    /// Appends a value without looking it up (`keepsEveryValue`).
    @inline(__always)
    private func append(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, offset: Int) -> Int32 {
        let code = count
        arena.appendBytes(p + start, count: n)
        bounds.append(arena.count)
        if tracksOffsets { firstOffsets.append(offset) }
        return Int32(truncatingIfNeeded: code)
    }

    /// Byte equality of two `n`-byte values, `n` > 0, inline for the short values text columns mostly hold: up to
    /// 16 bytes, the same overlapping loads as `hash` (each inside both values); longer ones 8 bytes a step.
    @inline(__always)
    private static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
        if n >= 8 {
            if n <= 16 {
                return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
                    && x.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            }
            var i = 0
            while n - i > 8 {
                if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            return x.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                && x.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        // 1–3 bytes: the first, middle and last cover them all.
        return a[0] == b[0] && a[n >> 1] == b[n >> 1] && a[n - 1] == b[n - 1]
    }

    /// Re-places every value in a table of `newSize` slots. A slot's tag holds the hash's high bits, and the
    /// slot of a hash is its top bits (a table has at most 2^32 slots, as codes are 32-bit), so the old slots are
    /// moved as they are, in order — the new table is written almost sequentially and no value's bytes are read.
    private func grow(to newSize: Int) {
        let old = table, oldSize = size, oldMapped = tableMapped
        allocateTable(newSize)
        let mask = newSize - 1
        for i in 0..<oldSize {
            let v = old[i]
            if v == 0 { continue }
            var slot = Int(truncatingIfNeeded: v &>> shift)
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = v
        }
        TextInterner.freeTable(old, size: oldSize, mapped: oldMapped)
    }

    /// A new empty table of `newSize` slots (a power of two); the old one is the caller's to free.
    private func allocateTable(_ newSize: Int) {
        size = newSize
        shift = UInt64(64 - newSize.trailingZeroBitCount)
        (table, tableMapped) = TextInterner.newTable(newSize)
    }

    /// A table of `size` empty slots, and whether it was mapped (`mappedTableBytes`) rather than allocated.
    private static func newTable(_ size: Int) -> (UnsafeMutablePointer<UInt64>, Bool) {
        let bytes = size * MemoryLayout<UInt64>.stride
        #if os(Linux)
        if bytes >= mappedTableBytes {
            let m = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let m, m != MAP_FAILED {
                // Linux places a mapping of whole huge pages on a huge-page boundary; fresh pages are zero.
                _ = madvise(m, bytes, MADV_HUGEPAGE)
                return (m.bindMemory(to: UInt64.self, capacity: size), true)
            }
        }
        #endif
        let t = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        t.initialize(repeating: 0, count: size)
        return (t, false)
    }

    private static func freeTable(_ t: UnsafeMutablePointer<UInt64>, size: Int, mapped: Bool) {
        #if os(Linux)
        if mapped {
            _ = munmap(t, size * MemoryLayout<UInt64>.stride)
            return
        }
        #endif
        t.deallocate()
    }

    /// Frees `table` (the caller allocates the next one).
    private func freeTable() { TextInterner.freeTable(table, size: size, mapped: tableMapped) }

    /// Codes of `other`'s values in this interner, adding the new ones (one insert per distinct value of
    /// `other`, not per row).
    func merge(_ other: TextInterner) -> [Int32] {
        var wanted = size
        while (count + other.count) * 2 > wanted { wanted <<= 1 }
        if wanted > size { grow(to: wanted) }
        let n = other.count
        guard n > 0 else { return [] }
        let ob = other.bounds.base.unsafelyUnwrapped
        // Offsets are read only when both keep them (`other` has one per value then).
        let offsets = tracksOffsets && other.tracksOffsets ? other.firstOffsets.base : nil
        // In blocks: the block's hashes first, with a read of each value's slot and, where the slot's tag matches,
        // of that value's bounds and first bytes — independent reads the processor overlaps — so the look-ups
        // that follow find them in cache instead of waiting for memory one value at a time.
        let block = 16
        var hashes = (0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64,
                      0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64)
        func codes(_ source: UnsafePointer<UInt8>) -> [Int32] {
            [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                withUnsafeMutableBytes(of: &hashes) { raw in
                    let hs = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self)
                    var touched: UInt64 = 0
                    var first = 0
                    while first < n {
                        let last = min(n, first + block)
                        for i in first..<last {
                            let h = TextInterner.hash(source, ob[i], ob[i + 1])
                            hs[i - first] = h
                            touched &+= table[Int(truncatingIfNeeded: h &>> shift)]
                        }
                        let b = bounds.base.unsafelyUnwrapped
                        let a = arena.base
                        for i in first..<last {
                            let h = hs[i - first]
                            let v = table[Int(truncatingIfNeeded: h &>> shift)]
                            if v != 0 && v & 0xFFFF_FFFF_0000_0000 == h & 0xFFFF_FFFF_0000_0000 {
                                let ci = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                                let start = b[ci]
                                touched &+= UInt64(truncatingIfNeeded: start)
                                if let a, b[ci + 1] > start { touched &+= UInt64(a[start]) }
                            }
                        }
                        for i in first..<last {
                            out[i] = code(source, ob[i], ob[i + 1], hash: hs[i - first], offset: offsets?[i] ?? 0)
                        }
                        first = last
                    }
                    sink = touched
                }
                initialized = n
            }
        }
        if let a = other.arena.base { return codes(a) }
        var empty: UInt8 = 0  // no bytes at all: every value is the empty string
        return withUnsafePointer(to: &empty) { codes($0) }
    }

    /// True when every value is ASCII (so valid UTF-8).
    var isASCII: Bool { TextInterner.isASCII(UnsafeBufferPointer(start: arena.base, count: arena.count)) }

    /// True when every byte is ASCII (so the bytes are valid UTF-8 as a whole): eight bytes at a time.
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

    /// The code of the first value that is not well-formed UTF-8, or nil when every value is. All ASCII (the
    /// common case) is valid UTF-8 as a whole, so then no value is checked on its own.
    func firstInvalidUTF8() -> Int? {
        if isASCII { return nil }
        return (0..<count).first { !TextInterner.isUTF8(bytes($0)) }
    }

    /// True when `bytes` are well-formed UTF-8 (what `String(validating:)` accepts), without making a String.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var parser = Unicode.UTF8.ForwardParser()
        var it = bytes.makeIterator()
        while true {
            switch parser.parseScalar(from: &it) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

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
        tracksOffsets = true
        keepsEveryValue = false
        lookups = 0
        probe = TextInterner.rawProbe
        if size > 64 {
            freeTable()
            allocateTable(64)
        } else {
            table.update(repeating: 0, count: size)
        }
    }
}
