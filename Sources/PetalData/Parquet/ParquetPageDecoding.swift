import Foundation

/// A type Petal's Parquet columns are stored in (`Int64` for integers, dates and timestamps, `Double`, `Bool`,
/// `Int32` text codes), and how to take it out of the decoder's general `ParquetValues`.
protocol ParquetStorable: BitwiseCopyable {
    /// What a null row holds (the validity bitmap says it is null).
    static var missing: Self { get }
    static func values(_ v: ParquetValues) -> [Self]?
}

extension Int64: ParquetStorable {
    static var missing: Int64 { 0 }
    static func values(_ v: ParquetValues) -> [Int64]? { if case .ints(let a) = v { a } else { nil } }
}
extension Double: ParquetStorable {
    static var missing: Double { .nan }
    static func values(_ v: ParquetValues) -> [Double]? { if case .doubles(let a) = v { a } else { nil } }
}
extension Bool: ParquetStorable {
    static var missing: Bool { false }
    static func values(_ v: ParquetValues) -> [Bool]? { if case .bools(let a) = v { a } else { nil } }
}
extension Int32: ParquetStorable {
    static var missing: Int32 { 0 }
    static func values(_ v: ParquetValues) -> [Int32]? { if case .codes(let a) = v { a } else { nil } }
}

/// Decodes one data page's non-null values straight into the column's storage at `dst` — no array per page:
/// PLAIN numbers are copied from the page, dictionary indices gathered from the typed dictionary run by run
/// (`RLEHybridDecoder.gather`); encodings seen
/// rarely (DELTA, BYTE_STREAM_SPLIT, RLE booleans, decimals) go through `ParquetValueDecoder` and are copied.
struct ParquetPageDecoder<T: ParquetStorable> {
    let plan: ParquetColumnPlan
    let decoder: ParquetValueDecoder
    /// The chunk's dictionary, converted and typed, in the reading thread's `PageScratch` (no array per chunk);
    /// nil until its dictionary page was read.
    var dictionary: UnsafeBufferPointer<T>?

    /// True when a PLAIN page's value bytes are the column's storage as they are (DOUBLE into `Double`, INT64 into
    /// `Int64`, no conversion): such a page can be decompressed straight into the column.
    var plainIsStorage: Bool {
        switch (plan.physical, plan.conversion) {
        case (.double, .none): T.self == Double.self
        case (.int64, .none): T.self == Int64.self
        default: false
        }
    }

    /// Writes `count` values decoded from `p[start..<end]` with `encoding` to `dst[0..<count]`.
    func decode(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, count: Int, encoding: Int32,
                into dst: UnsafeMutablePointer<T>) throws {
        if encoding == ParquetEncoding.plainDictionary || encoding == ParquetEncoding.rleDictionary {
            guard let dictionary else { throw ParquetFault("a dictionary-encoded page comes without a dictionary page") }
            guard count > 0 else { return }
            guard start < end else { throw ParquetFault("a dictionary-encoded page lacks its indices") }
            var d = try RLEHybridDecoder(p, from: start + 1, to: end, bitWidth: Int(p[start]))
            let past = try d.gather(count: count, entries: dictionary, into: dst)
            if let past { throw ParquetFault("a dictionary index (\(past)) is past the end of the dictionary (\(dictionary.count) entries)") }
            return
        }
        if encoding == ParquetEncoding.plain, try plain(p, from: start, to: end, count: count, into: dst) { return }
        let values = plan.convert(try decoder.decode(p, from: start, to: end, count: count, encoding: encoding))
        guard let typed = T.values(values), typed.count == count else {
            throw ParquetFault("a page holds \(values.count) values but its header says \(count)")
        }
        typed.withUnsafeBufferPointer { if let base = $0.baseAddress { dst.update(from: base, count: count) } }
    }

    /// PLAIN values of the types most files hold, copied straight from the page; false to use the general path.
    private func plain(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, count: Int, into dst: UnsafeMutablePointer<T>) throws -> Bool {
        let raw = UnsafeRawPointer(p + start)
        func need(_ bytes: Int) throws {
            guard bytes <= end - start else { throw ParquetFault("a page's values run past its end (\(bytes) bytes needed, \(end - start) there)") }
        }
        switch (plan.physical, plan.conversion) {
        case (.double, .none) where T.self == Double.self, (.int64, .none) where T.self == Int64.self:
            try need(count * 8)
            UnsafeMutableRawPointer(dst).copyMemory(from: raw, byteCount: count * 8)  // Parquet is little-endian, as Petal's machines
            return true
        case (.float, .none) where T.self == Double.self:
            try need(count * 4)
            let out = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Double.self)
            for i in 0..<count { out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
            return true
        case (.int32, .none) where T.self == Int64.self:
            try need(count * 4)
            let out = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Int64.self)
            for i in 0..<count { out[i] = Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
            return true
        case (.byteArray, _) where T.self == Int32.self:
            guard let dictionary = decoder.dictionary else { return false }
            let out = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Int32.self)
            var position = start
            for i in 0..<count {
                guard end - position >= 4 else { throw ParquetFault("a page's strings run past its end") }
                let length = Int(UInt32(littleEndian: UnsafeRawPointer(p + position).loadUnaligned(as: UInt32.self)))
                position += 4
                guard length <= end - position else { throw ParquetFault("a string's length (\(length)) runs past the page's end") }
                out[i] = dictionary.code(p, position, position + length, offset: position)
                position += length
            }
            return true
        default:
            return false
        }
    }
}

extension ParquetPageDecoder {
    /// Moves `values` non-null values at the start of `dst` to the rows `levels` marks as present (working
    /// backwards, so in place) and fills the others with `T.missing`; appends the rows' validity to `validity`.
    static func spread(_ values: Int, levels: UnsafePointer<Int32>, rows: Int, in dst: UnsafeMutablePointer<T>, validity: inout Bitmap) {
        var k = values
        var row = rows
        while row > 0 {
            row -= 1
            if levels[row] != 0 { k -= 1; dst[row] = dst[k] } else { dst[row] = T.missing }
        }
        validity.reserveCapacity(validity.count + rows)
        for row in 0..<rows { validity.append(levels[row] != 0) }
    }
}
