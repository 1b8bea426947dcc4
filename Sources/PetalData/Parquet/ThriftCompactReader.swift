import Foundation

/// A problem found in a Parquet file's bytes; `ParquetReader` turns it into a `PetalError` naming the file and
/// the column or row group where it was found.
struct ParquetFault: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Thrift's compact protocol (the encoding of Parquet's footer and page headers), read from bytes that may be
/// truncated or hostile: every read is bounds-checked, nesting is limited, and sizes are checked against what
/// remains, so a damaged file gives a `ParquetFault`, never a crash or a huge allocation.
struct ThriftCompactReader {
    /// Compact protocol type codes.
    enum Kind: UInt8 {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int
    /// Structs, lists and maps deeper than this are refused (Parquet's own metadata nests at most ~5 levels).
    static let maxDepth = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - position) }

    mutating func byte() throws -> UInt8 {
        guard position < end else { throw ParquetFault("the metadata ends in the middle of a value") }
        let b = bytes[position]
        position += 1
        return b
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetFault("a number in the metadata is longer than 10 bytes") }
        }
    }

    mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func i32() throws -> Int32 {
        let v = try zigzag()
        guard let x = Int32(exactly: v) else { throw ParquetFault("a 32-bit number in the metadata is out of range (\(v))") }
        return x
    }

    mutating func i64() throws -> Int64 { try zigzag() }

    mutating func double() throws -> Double {
        guard remaining >= 8 else { throw ParquetFault("the metadata ends in the middle of a number") }
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(bytes[position + k]) << UInt64(8 * k) }
        position += 8
        return Double(bitPattern: bits)
    }

    /// A length-prefixed byte string, as a range of `bytes`.
    mutating func binaryRange() throws -> Range<Int> {
        let n = try varint()
        guard n <= UInt64(remaining) else { throw ParquetFault("a string in the metadata runs past the end (\(n) bytes)") }
        let start = position
        position += Int(n)
        return start..<position
    }

    mutating func binary() throws -> [UInt8] { Array(bytes[try binaryRange()]) }

    mutating func string() throws -> String {
        let r = try binaryRange()
        guard let s = String(validating: bytes[r], as: UTF8.self) else { throw ParquetFault("a name in the metadata is not valid UTF-8") }
        return s
    }

    /// A list header: element kind and count (the count checked against the bytes left; each element takes ≥ 1).
    mutating func listHeader() throws -> (kind: UInt8, count: Int) {
        let h = try byte()
        var n = UInt64(h >> 4)
        if n == 15 { n = try varint() }
        let kind = h & 0x0F
        // Booleans in lists take one byte each, like every other element kind; nothing takes less.
        guard n <= UInt64(remaining) else { throw ParquetFault("a list in the metadata claims \(n) items, more than the bytes left") }
        return (kind, Int(n))
    }

    /// Reads a list whose elements `element` decodes.
    mutating func list<T>(_ depth: Int, _ element: (inout ThriftCompactReader, UInt8) throws -> T) throws -> [T] {
        guard depth < Self.maxDepth else { throw ParquetFault("the metadata nests deeper than \(Self.maxDepth) levels") }
        let (kind, n) = try listHeader()
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try element(&self, kind)) }
        return out
    }

    /// Calls `field(id, kind)` for every field of a struct until its stop byte. `field` must consume the value
    /// (or call `skip`).
    mutating func structure(_ depth: Int, _ field: (inout ThriftCompactReader, Int16, UInt8) throws -> Void) throws {
        guard depth < Self.maxDepth else { throw ParquetFault("the metadata nests deeper than \(Self.maxDepth) levels") }
        var last: Int16 = 0
        while true {
            let h = try byte()
            let kind = h & 0x0F
            if kind == Kind.stop.rawValue { return }
            let delta = Int16(h >> 4)
            let id: Int16
            if delta == 0 {
                let v = try zigzag()
                guard let x = Int16(exactly: v) else { throw ParquetFault("a field number in the metadata is out of range") }
                id = x
            } else {
                id = last &+ delta
            }
            last = id
            try field(&self, id, kind)
        }
    }

    /// A boolean field's value: compact structs carry it in the field's kind; lists carry a byte.
    mutating func bool(kind: UInt8, inList: Bool = false) throws -> Bool {
        if inList { return try byte() == 1 }
        switch kind {
        case Kind.boolTrue.rawValue: return true
        case Kind.boolFalse.rawValue: return false
        default: throw ParquetFault("a true/false field in the metadata has type \(kind)")
        }
    }

    /// Integer fields: i8/i16/i32 arrive as (zigzag) varints; the kind is checked so a mislabelled field is an error.
    mutating func int(kind: UInt8) throws -> Int64 {
        switch kind {
        case Kind.byte.rawValue: return Int64(Int8(bitPattern: try byte()))
        case Kind.i16.rawValue, Kind.i32.rawValue, Kind.i64.rawValue: return try zigzag()
        default: throw ParquetFault("a number field in the metadata has type \(kind)")
        }
    }

    mutating func int32(kind: UInt8) throws -> Int32 {
        let v = try int(kind: kind)
        guard let x = Int32(exactly: v) else { throw ParquetFault("a 32-bit number in the metadata is out of range (\(v))") }
        return x
    }

    /// Skips a value of `kind` (fields this reader does not need, and future ones).
    mutating func skip(kind: UInt8, depth: Int = 0) throws {
        guard depth < Self.maxDepth else { throw ParquetFault("the metadata nests deeper than \(Self.maxDepth) levels") }
        switch Kind(rawValue: kind) {
        case .boolTrue, .boolFalse: return
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double:
            guard remaining >= 8 else { throw ParquetFault("the metadata ends in the middle of a number") }
            position += 8
        case .binary: _ = try binaryRange()
        case .list, .set:
            let (element, n) = try listHeader()
            for _ in 0..<n {
                if element == Kind.boolTrue.rawValue || element == Kind.boolFalse.rawValue { _ = try byte() } else {
                    try skip(kind: element, depth: depth + 1)
                }
            }
        case .map:
            let n = try varint()
            guard n <= UInt64(remaining) else { throw ParquetFault("a map in the metadata claims \(n) entries, more than the bytes left") }
            guard n > 0 else { return }
            let kinds = try byte()
            for _ in 0..<n {
                try skipElement(kinds >> 4, depth: depth + 1)
                try skipElement(kinds & 0x0F, depth: depth + 1)
            }
        case .structure:
            try structure(depth + 1) { r, _, k in try r.skip(kind: k, depth: depth + 1) }
        case .stop, .none:
            throw ParquetFault("the metadata has a value of unknown type \(kind)")
        }
    }

    private mutating func skipElement(_ kind: UInt8, depth: Int) throws {
        if kind == Kind.boolTrue.rawValue || kind == Kind.boolFalse.rawValue { _ = try byte() } else { try skip(kind: kind, depth: depth) }
    }
}
