/// Bit-packed values (least significant bit first, as Parquet packs them) and the RLE/bit-packed hybrid that
/// carries definition levels, dictionary indices and RLE booleans. Every read is checked against the span's end.
enum BitPacking {
    /// Unpacks `count` values of `bitWidth` (0...32) bits from `p`, which holds at least
    /// `(count * bitWidth + 7) / 8` readable bytes out of `available`.
    static func unpack32(_ p: UnsafePointer<UInt8>, available: Int, bitWidth: Int, count: Int, into out: UnsafeMutablePointer<Int32>) {
        if bitWidth == 0 { out.update(repeating: 0, count: count); return }
        let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
        // Whole 8-byte loads for the values whose load stays inside the span (value i's starts at byte
        // i * bitWidth / 8), counted first so the loop has no exit but its end.
        let whole = available < 8 ? 0 : min(count, ((available - 8) * 8 + 7) / bitWidth + 1)
        var i = 0
        while i < whole {
            let bit = i * bitWidth
            let word = UnsafeRawPointer(p + (bit >> 3)).loadUnaligned(as: UInt64.self)
            out[i] = Int32(truncatingIfNeeded: (UInt64(littleEndian: word) >> UInt64(bit & 7)) & mask)
            i += 1
        }
        while i < count {
            out[i] = Int32(truncatingIfNeeded: slow(p, available: available, bit: i * bitWidth, bitWidth: bitWidth))
            i += 1
        }
    }

    /// Unpacks `count` values of `bitWidth` (0...64) bits, as `unpack32`.
    static func unpack64(_ p: UnsafePointer<UInt8>, available: Int, bitWidth: Int, count: Int, into out: UnsafeMutablePointer<UInt64>) {
        if bitWidth == 0 { out.update(repeating: 0, count: count); return }
        if bitWidth <= 56 {
            let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
            var i = 0
            while i < count {
                let bit = i * bitWidth
                let byte = bit >> 3
                guard byte + 8 <= available else { break }
                let word = UnsafeRawPointer(p + byte).loadUnaligned(as: UInt64.self)
                out[i] = (UInt64(littleEndian: word) >> UInt64(bit & 7)) & mask
                i += 1
            }
            while i < count { out[i] = slow(p, available: available, bit: i * bitWidth, bitWidth: bitWidth); i += 1 }
            return
        }
        for i in 0..<count { out[i] = slow(p, available: available, bit: i * bitWidth, bitWidth: bitWidth) }
    }

    /// One value, byte by byte (the tail of a span, and widths above 56 bits).
    @inline(__always)
    static func slow(_ p: UnsafePointer<UInt8>, available: Int, bit: Int, bitWidth: Int) -> UInt64 {
        var v: UInt64 = 0
        var got = 0
        var b = bit
        while got < bitWidth {
            let byte = b >> 3
            let offset = b & 7
            let take = min(8 - offset, bitWidth - got)
            let bits = byte < available ? (UInt64(p[byte]) >> UInt64(offset)) & ((1 << UInt64(take)) - 1) : 0
            v |= bits << UInt64(got)
            got += take
            b += take
        }
        return v
    }
}

/// Decodes the RLE/bit-packed hybrid encoding from `p[position..<end]`.
struct RLEHybridDecoder {
    let p: UnsafePointer<UInt8>
    var position: Int
    let end: Int
    let bitWidth: Int

    init(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, bitWidth: Int) throws {
        guard bitWidth >= 0 && bitWidth <= 32 else { throw ParquetFault("a bit width of \(bitWidth) is out of range (0-32)") }
        self.p = p; self.position = start; self.end = end; self.bitWidth = bitWidth
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ParquetFault("run-length encoded data ends early") }
            let b = p[position]
            position += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetFault("a run length is longer than 10 bytes") }
        }
    }

    /// One run of the hybrid encoding, its header read and checked: an RLE run (`value` repeated `count` times,
    /// cut to `remaining`), or a bit-packed run of `count` values (cut to `remaining`) starting at `position`,
    /// which the caller moves past with `endPacked`.
    enum Run { case repeated(value: UInt32, count: Int), packed(count: Int, bytes: Int) }

    /// Reads the next run's header (and an RLE run's value), for at most `remaining` more values.
    /// - Throws: `ParquetFault` when the data ends first or the run is malformed.
    mutating func nextRun(remaining: Int) throws -> Run {
        let header = try varint()
        if header & 1 == 0 {
            let run = header >> 1
            guard run > 0 else { throw ParquetFault("run-length encoded data has an empty run") }
            let valueBytes = (bitWidth + 7) / 8
            guard valueBytes <= end - position else { throw ParquetFault("run-length encoded data ends in a run's value") }
            var v: UInt32 = 0
            for k in 0..<valueBytes { v |= UInt32(p[position + k]) << UInt32(8 * k) }
            position += valueBytes
            return .repeated(value: v, count: Int(min(run, UInt64(remaining))))
        }
        let groups = header >> 1
        guard groups > 0, groups <= UInt64(Int.max / 8 / max(1, bitWidth)) else {
            throw ParquetFault("run-length encoded data has a malformed bit-packed run")
        }
        let values = Int(groups) * 8
        // Writers may end the last run early (its padding cut off); take what is there.
        let n = min(values, remaining)
        guard (n * bitWidth + 7) / 8 <= end - position else { throw ParquetFault("run-length encoded data ends in a bit-packed run") }
        return .packed(count: n, bytes: values * bitWidth / 8)
    }

    /// Moves past a bit-packed run of `bytes` bytes (or to the end, when its padding was cut off).
    mutating func endPacked(bytes: Int) { position += min(bytes, end - position) }

    /// Decodes exactly `count` values into `out`.
    /// - Throws: `ParquetFault` when the data ends first or a run is malformed.
    mutating func decode(count: Int, into out: UnsafeMutablePointer<Int32>) throws {
        var filled = 0
        while filled < count {
            switch try nextRun(remaining: count - filled) {
            case .repeated(let v, let n):
                (out + filled).update(repeating: Int32(bitPattern: v), count: n)
                filled += n
            case .packed(let n, let bytes):
                BitPacking.unpack32(p + position, available: end - position, bitWidth: bitWidth, count: n, into: out + filled)
                endPacked(bytes: bytes)
                filled += n
            }
        }
    }

    /// Decodes `count` dictionary indices and writes the entries they name to `dst[0..<count]`, run by run: an
    /// RLE run is one entry repeated, a bit-packed run is unpacked a block at a time into a small buffer that
    /// stays in cache (no array of the page's indices). Returns the first index past the dictionary's end (the
    /// values are then not to be used), or nil.
    /// - Throws: `ParquetFault` when the data ends first or a run is malformed.
    mutating func gather<T>(count: Int, entries: UnsafeBufferPointer<T>, into dst: UnsafeMutablePointer<T>) throws -> Int32? {
        guard let base = entries.baseAddress, !entries.isEmpty else {
            guard count > 0 else { return nil }
            var first: Int32 = 0
            try decode(count: 1, into: &first)
            return first
        }
        let n = UInt32(entries.count)
        var filled = 0
        let block = 256
        return try withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { buffer -> Int32? in
            guard let indices = buffer.baseAddress else { throw ParquetFault("out of memory") }
            while filled < count {
                switch try nextRun(remaining: count - filled) {
                case .repeated(let v, let k):
                    guard v < n else { return Int32(bitPattern: v) }
                    (dst + filled).update(repeating: base[Int(v)], count: k)
                    filled += k
                case .packed(let total, let bytes):
                    let available = end - position
                    var done = 0
                    while done < total {
                        // Blocks of a multiple of 8 values start on a byte.
                        let k = min(block, total - done)
                        let skip = done * bitWidth / 8
                        BitPacking.unpack32(p + position + skip, available: available - skip, bitWidth: bitWidth, count: k, into: indices)
                        // No branch per value: an index past the end reads the last entry and is remembered.
                        var past: UInt32 = 0
                        let out = dst + filled + done
                        for i in 0..<k {
                            let index = UInt32(bitPattern: indices[i])
                            past |= index >= n ? 1 : 0
                            out[i] = base[Int(min(index, n - 1))]
                        }
                        if past != 0, let i = (0..<k).first(where: { UInt32(bitPattern: indices[$0]) >= n }) { return indices[i] }
                        done += k
                    }
                    endPacked(bytes: bytes)
                    filled += total
                }
            }
            return nil
        }
    }

    /// True when the data starts with an RLE run of at least `count` ones: the definition levels of a page
    /// without nulls, which need not be decoded one by one.
    func startsWithOnes(count: Int) -> Bool {
        var r = self
        guard let header = try? r.varint(), header & 1 == 0, header >> 1 >= UInt64(count) else { return false }
        let valueBytes = (bitWidth + 7) / 8
        guard valueBytes >= 1, valueBytes <= r.end - r.position, r.p[r.position] == 1 else { return false }
        return (1..<valueBytes).allSatisfy { r.p[r.position + $0] == 0 }
    }

    /// Decodes `count` values into a new array.
    mutating func decode(count: Int) throws -> [Int32] {
        var failure: Error?
        let out = [Int32](unsafeUninitializedCapacity: count) { buffer, n in
            n = 0
            guard let base = buffer.baseAddress else { return }
            do { try decode(count: count, into: base); n = count } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }
}

/// Writes the RLE/bit-packed hybrid: one RLE run when every value is the same, else one bit-packed run.
enum RLEHybridEncoder {
    static func encode(_ values: [Int32], bitWidth: Int) -> [UInt8] {
        var out: [UInt8] = []
        guard let first = values.first else { return out }
        if values.allSatisfy({ $0 == first }) {
            appendVarint(UInt64(values.count) << 1, to: &out)
            for k in 0..<((bitWidth + 7) / 8) { out.append(UInt8(truncatingIfNeeded: UInt32(bitPattern: first) >> UInt32(8 * k))) }
            return out
        }
        let groups = (values.count + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, to: &out)
        var packed = [UInt8](repeating: 0, count: groups * bitWidth)
        var bit = 0
        for v in values {
            var x = UInt64(UInt32(bitPattern: v))
            var left = bitWidth
            while left > 0 {
                let byte = bit >> 3, offset = bit & 7
                let take = min(8 - offset, left)
                packed[byte] |= UInt8(truncatingIfNeeded: (x & ((1 << UInt64(take)) - 1)) << UInt64(offset))
                x >>= UInt64(take)
                left -= take
                bit += take
            }
        }
        out += packed
        return out
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// The bits needed for values up to `maxValue`.
    static func bitWidth(for maxValue: Int) -> Int { maxValue <= 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount }
}
