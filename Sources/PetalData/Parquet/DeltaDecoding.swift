/// Parquet's DELTA encodings: DELTA_BINARY_PACKED (integers), DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY
/// (strings). Sizes read from the data are checked against the bytes left before anything is allocated.
enum DeltaDecoding {
    /// Decodes DELTA_BINARY_PACKED integers from `p[start..<end]`; returns them (wrapped to 64 bits, as the
    /// format's arithmetic is) and the position after the last block read.
    static func binaryPacked(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, maxCount: Int) throws -> (values: [Int64], end: Int) {
        var r = try RLEHybridDecoder(p, from: start, to: end, bitWidth: 0)
        let blockSize = try r.varint()
        let miniblocks = try r.varint()
        let total = try r.varint()
        let firstRaw = try r.varint()
        let first = Int64(bitPattern: (firstRaw >> 1) ^ (0 &- (firstRaw & 1)))
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetFault("DELTA_BINARY_PACKED data has a malformed header (block \(blockSize), \(miniblocks) miniblocks)")
        }
        guard total <= UInt64(maxCount) else {
            throw ParquetFault("DELTA_BINARY_PACKED data claims \(total) values, more than the page holds")
        }
        let count = Int(total)
        let perMini = Int(blockSize / miniblocks)
        let minis = Int(miniblocks)
        var values = [Int64](repeating: 0, count: count)
        guard count > 0 else { return (values, r.position) }
        values[0] = first
        var last = first
        var filled = 1
        var deltas = [UInt64](repeating: 0, count: perMini)
        var widths = [Int](repeating: 0, count: minis)
        while filled < count {
            let minRaw = try r.varint()
            let minDelta = Int64(bitPattern: (minRaw >> 1) ^ (0 &- (minRaw & 1)))
            guard minis <= end - r.position else { throw ParquetFault("DELTA_BINARY_PACKED data ends in a block header") }
            for m in 0..<minis {
                let w = Int(p[r.position + m])
                guard w <= 64 else { throw ParquetFault("DELTA_BINARY_PACKED data has a bit width of \(w)") }
                widths[m] = w
            }
            r.position += minis
            for m in 0..<minis where filled < count {
                let bytes = perMini * widths[m] / 8
                guard bytes <= end - r.position else { throw ParquetFault("DELTA_BINARY_PACKED data ends in a miniblock") }
                let n = min(perMini, count - filled)
                deltas.withUnsafeMutableBufferPointer { d in
                    guard let base = d.baseAddress else { return }
                    BitPacking.unpack64(p + r.position, available: bytes, bitWidth: widths[m], count: n, into: base)
                }
                for k in 0..<n {
                    last = last &+ minDelta &+ Int64(bitPattern: deltas[k])
                    values[filled + k] = last
                }
                filled += n
                r.position += bytes
            }
        }
        return (values, r.position)
    }

    /// Decodes DELTA_LENGTH_BYTE_ARRAY: the lengths (delta-packed), then the bytes back to back. Calls
    /// `body(start, end)` for each value's range in `p`.
    static func lengthByteArray(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, maxCount: Int,
                                _ body: (Int, Int) throws -> Void) throws {
        let (lengths, dataStart) = try binaryPacked(p, from: start, to: end, maxCount: maxCount)
        var position = dataStart
        for length in lengths {
            guard length >= 0, length <= Int64(end - position) else {
                throw ParquetFault("DELTA_LENGTH_BYTE_ARRAY data has a string longer than the bytes left")
            }
            try body(position, position + Int(length))
            position += Int(length)
        }
    }

    /// Decodes DELTA_BYTE_ARRAY: each value is a prefix of the one before plus a suffix. Calls `body` with each
    /// whole value's bytes.
    static func byteArray(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, maxCount: Int,
                          _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let (prefixes, suffixStart) = try binaryPacked(p, from: start, to: end, maxCount: maxCount)
        var previous: [UInt8] = []
        var current: [UInt8] = []
        var k = 0
        try lengthByteArray(p, from: suffixStart, to: end, maxCount: maxCount) { s, e in
            guard k < prefixes.count else { throw ParquetFault("DELTA_BYTE_ARRAY data has more suffixes than prefixes") }
            let prefix = prefixes[k]
            guard prefix >= 0, prefix <= Int64(previous.count) else {
                throw ParquetFault("DELTA_BYTE_ARRAY data has a prefix longer than the value before it")
            }
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: previous[0..<Int(prefix)])
            current.append(contentsOf: UnsafeBufferPointer(start: p + s, count: e - s))
            try current.withUnsafeBufferPointer(body)
            swap(&previous, &current)
            k += 1
        }
        guard k == prefixes.count else { throw ParquetFault("DELTA_BYTE_ARRAY data has fewer suffixes than prefixes") }
    }
}
