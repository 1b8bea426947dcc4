import PetalData

/// The SHA-256 of a frame's schema and values, so a run says exactly which data it saw and `replay` can refuse
/// data that changed. Canonical: the same values give the same hash however they were loaded (a text column's
/// dictionary order and a null slot's leftover value do not count); a column's name, type and order do.
public enum DataFingerprint {
    /// 64 hex digits.
    public static func of(_ frame: Frame) -> String {
        var h = SHA256()
        h.update(string: "petal-frame-v1")
        h.update(integer: UInt64(frame.rowCount))
        h.update(integer: UInt64(frame.columns.count))
        for column in frame.columns {
            h.update(string: column.name)
            h.update(string: column.type.rawValue)
            hashValues(of: column, into: &h)
        }
        return h.finalizeHex()
    }

    /// The values of one column: a validity mask first (one bit a row), then the values with nulls as zeros.
    private static func hashValues(of column: Column, into h: inout SHA256) {
        // A float column without a validity bitmap is hashed as one without nulls while its values are read for the
        // hash; a NaN (a null) met on the way drops that and starts again below from the state before. One pass over
        // the values, not a count of the NaN first.
        if case .float(let v) = column.storage, column.validity == nil {
            var noNulls = h
            noNulls.update(integer: UInt8(0))
            if hashBlocks(v, into: &noNulls, unlessNaN: true) { h = noNulls; return }
        }
        let n = column.count
        let hasNulls = column.nullCount > 0
        h.update(integer: UInt8(hasNulls ? 1 : 0))
        if hasNulls {
            var word: UInt64 = 0
            for i in 0..<n {
                if column.isValid(i) { word |= 1 << UInt64(i & 63) }
                if i & 63 == 63 || i == n - 1 { h.update(integer: word); word = 0 }
            }
        }
        switch column.storage {
        case .int(let v), .datetime(let v, _):
            if hasNulls { hashArray((0..<n).map { column.isValid($0) ? v[$0] : 0 }, into: &h) } else { hashArray(v, into: &h) }
        case .float(let v):
            // -0.0 and 0.0 are equal values: hash their bit patterns after adding 0 (which maps -0 to +0).
            if hasNulls {
                hashArray((0..<n).map { column.isValid($0) ? (v[$0] + 0).bitPattern : 0 }, into: &h)
            } else {
                hashBlocks(v, into: &h)
            }
        case .bool(let v):
            hashArray((0..<n).map { column.isValid($0) && v[$0] ? UInt8(1) : 0 }, into: &h)
        case .text(let codes, let dictionary):
            hashText(codes: codes, dictionary: dictionary, validity: column.isValid, into: &h)
        }
    }

    /// Each row of a text column as its string's UTF-8 count (8 bytes, little-endian) and bytes, a null (or a code
    /// outside the dictionary) as a count of 0. The rows' bytes are gathered into a buffer and hashed 64 KiB at a
    /// time: SHA-256 of the concatenation, the same digest as one update per row, without a call per row.
    private static func hashText(codes: [Int32], dictionary: TextDictionary, validity: (Int) -> Bool, into h: inout SHA256) {
        // Every dictionary entry's encoding, once, side by side in one array.
        var encoded: [UInt8] = [], starts: [Int] = [0]
        starts.reserveCapacity(dictionary.count + 1)
        for i in dictionary.indices {
            dictionary.withUTF8(i) { s in
                withUnsafeBytes(of: UInt64(s.count).littleEndian) { encoded.append(contentsOf: $0) }
                encoded.append(contentsOf: s)
            }
            starts.append(encoded.count)
        }
        let capacity = 1 << 16
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var used = 0
        let empty = [UInt8](repeating: 0, count: 8)
        encoded.withUnsafeBytes { all in
            empty.withUnsafeBytes { zero in
                for i in codes.indices {
                    let code = Int(codes[i])
                    let bytes = validity(i) && code >= 0 && code + 1 < starts.count
                        ? UnsafeRawBufferPointer(rebasing: all[starts[code]..<starts[code + 1]]) : zero
                    if used + bytes.count > capacity {
                        h.update(UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
                        used = 0
                        if bytes.count > capacity { h.update(bytes); continue }
                    }
                    UnsafeMutableRawBufferPointer(rebasing: buffer[used..<(used + bytes.count)]).copyMemory(from: bytes)
                    used += bytes.count
                }
            }
        }
        h.update(UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
    }

    /// The bit patterns of `values` + 0, as `hashArray` of them would hash them, a block at a time through one
    /// small buffer (a column is not copied whole).
    /// With `unlessNaN`, stops at a block holding a NaN and returns false (the hash is then not that of the values).
    @discardableResult
    private static func hashBlocks(_ values: [Double], into h: inout SHA256, unlessNaN: Bool = false) -> Bool {
        let block = 2048
        var bits = [UInt64](repeating: 0, count: block)
        return values.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let count = min(block, all.count - start)
                let clean = bits.withUnsafeMutableBufferPointer { out -> Bool in
                    guard let from = all.baseAddress.map({ UnsafeRawPointer($0 + start) }),
                          let to = out.baseAddress.map(UnsafeMutableRawPointer.init) else { return true }
                    // Four values at a time: each + 0 stored (its bits are (x + 0).bitPattern), and NaN lanes noted
                    // on the way, in the same pass.
                    var nan = SIMDMask<SIMD4<Int64>>(repeating: false)
                    var k = 0
                    while count - k >= 4 {
                        let v = from.loadUnaligned(fromByteOffset: k &* 8, as: SIMD4<Double>.self) + SIMD4<Double>(repeating: 0)
                        nan .|= v .!= v
                        to.storeBytes(of: v, toByteOffset: k &* 8, as: SIMD4<Double>.self)
                        k &+= 4
                    }
                    var tailNaN = false
                    while k < count {
                        let v = from.load(fromByteOffset: k &* 8, as: Double.self) + 0
                        tailNaN = tailNaN || v.isNaN
                        out[k] = v.bitPattern
                        k &+= 1
                    }
                    if unlessNaN && (any(nan) || tailNaN) { return false }
                    h.update(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(out)[0..<(count * 8)]))
                    return true
                }
                if !clean { return false }
                start += count
            }
            return true
        }
    }

    private static func hashArray<T>(_ values: [T], into h: inout SHA256) {
        values.withUnsafeBytes { h.update($0) }
    }
}
