import Foundation

/// A page's (or a dictionary's) non-null values, decoded into the storage Petal keeps: 64-bit integers
/// (INT32, INT64 and INT96 timestamps), doubles, booleans, or text codes in the chunk's `TextInterner`.
enum ParquetValues {
    case ints([Int64])
    case doubles([Double])
    case bools([Bool])
    case codes([Int32])

    var count: Int {
        switch self {
        case .ints(let v): v.count
        case .doubles(let v): v.count
        case .bools(let v): v.count
        case .codes(let v): v.count
        }
    }
}

/// Decodes PLAIN, DELTA and BYTE_STREAM_SPLIT values of one physical type from `p[start..<end]`.
struct ParquetValueDecoder {
    let physical: ParquetPhysicalType
    let typeLength: Int
    /// Where BYTE_ARRAY values go (the chunk's dictionary); nil for other types.
    let dictionary: TextInterner?

    func decode(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, count: Int, encoding: Int32) throws -> ParquetValues {
        switch encoding {
        case ParquetEncoding.plain: return try plain(p, start, end, count)
        case ParquetEncoding.deltaBinaryPacked where physical == .int32 || physical == .int64:
            let (v, _) = try DeltaDecoding.binaryPacked(p, from: start, to: end, maxCount: count)
            guard v.count == count else { throw ParquetFault("a page holds \(v.count) values but its header says \(count)") }
            return .ints(physical == .int32 ? v.map { Int64(Int32(truncatingIfNeeded: $0)) } : v)
        case ParquetEncoding.deltaLengthByteArray where physical == .byteArray:
            guard let dictionary else { break }
            var codes: [Int32] = []
            codes.reserveCapacity(count)
            try DeltaDecoding.lengthByteArray(p, from: start, to: end, maxCount: count) { s, e in
                codes.append(dictionary.code(p, s, e, offset: s))
            }
            guard codes.count == count else { throw ParquetFault("a page holds \(codes.count) values but its header says \(count)") }
            return .codes(codes)
        case ParquetEncoding.deltaByteArray where physical == .byteArray:
            guard let dictionary else { break }
            var codes: [Int32] = []
            codes.reserveCapacity(count)
            try DeltaDecoding.byteArray(p, from: start, to: end, maxCount: count) { value in
                guard let base = value.baseAddress else {
                    var empty: UInt8 = 0
                    codes.append(dictionary.code(&empty, 0, 0, offset: start)); return
                }
                codes.append(dictionary.code(base, 0, value.count, offset: start))
            }
            guard codes.count == count else { throw ParquetFault("a page holds \(codes.count) values but its header says \(count)") }
            return .codes(codes)
        case ParquetEncoding.rle where physical == .boolean:
            guard end - start >= 4 else { throw ParquetFault("RLE booleans lack their length") }
            let length = Int(le32(p, start))
            guard length >= 0, length <= end - start - 4 else { throw ParquetFault("RLE booleans run past the page's end") }
            var r = try RLEHybridDecoder(p, from: start + 4, to: start + 4 + length, bitWidth: 1)
            return .bools(try r.decode(count: count).map { $0 != 0 })
        case ParquetEncoding.byteStreamSplit where physical == .float || physical == .double:
            let width = physical == .float ? 4 : 8
            guard count <= (end - start) / width else { throw ParquetFault("BYTE_STREAM_SPLIT values run past the page's end") }
            var out = [Double](repeating: 0, count: count)
            var word = [UInt8](repeating: 0, count: 8)
            for i in 0..<count {
                for k in 0..<width { word[k] = p[start + k * count + i] }
                out[i] = width == 4 ? Double(Float(bitPattern: le32(word))) : Double(bitPattern: le64(word))
            }
            return .doubles(out)
        default: break
        }
        throw ParquetFault("\(ParquetEncoding.name(encoding)) values of type \(physical.name) are not supported")
    }

    private func need(_ bytes: Int, _ start: Int, _ end: Int) throws {
        guard bytes <= end - start else { throw ParquetFault("a page's values run past its end (\(bytes) bytes needed, \(end - start) there)") }
    }

    private func plain(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ count: Int) throws -> ParquetValues {
        let raw = UnsafeRawPointer(p + start)
        switch physical {
        case .int32:
            try need(count * 4, start, end)
            return .ints((0..<count).map { Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) })
        case .int64:
            try need(count * 8, start, end)
            return .ints([Int64](unsafeUninitializedCapacity: count) { b, n in
                if let base = b.baseAddress { UnsafeMutableRawPointer(base).copyMemory(from: raw, byteCount: count * 8) }
                n = count   // Parquet is little-endian, as are the machines Swift runs Petal on
            })
        case .int96:
            try need(count * 12, start, end)
            return .ints((0..<count).map { i in
                let nanos = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
                let julian = Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 12 + 8, as: Int32.self)))
                return (julian &- 2_440_588) &* 86_400_000_000 &+ nanos / 1000
            })
        case .float:
            try need(count * 4, start, end)
            return .doubles((0..<count).map { Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))) })
        case .double:
            try need(count * 8, start, end)
            return .doubles([Double](unsafeUninitializedCapacity: count) { b, n in
                if let base = b.baseAddress { UnsafeMutableRawPointer(base).copyMemory(from: raw, byteCount: count * 8) }
                n = count
            })
        case .boolean:
            try need((count + 7) / 8, start, end)
            return .bools((0..<count).map { (p[start + $0 >> 3] >> UInt8($0 & 7)) & 1 == 1 })
        case .byteArray:
            guard let dictionary else { break }
            var codes = [Int32]()
            codes.reserveCapacity(count)
            var position = start
            for _ in 0..<count {
                guard end - position >= 4 else { throw ParquetFault("a page's strings run past its end") }
                let length = Int(le32(p, position))
                position += 4
                guard length >= 0, length <= end - position else { throw ParquetFault("a string's length (\(length)) runs past the page's end") }
                codes.append(dictionary.code(p, position, position + length, offset: position))
                position += length
            }
            return .codes(codes)
        case .fixedLenByteArray: break
        }
        throw ParquetFault("PLAIN values of type \(physical.name) are not supported")
    }

    private func le32(_ p: UnsafePointer<UInt8>, _ at: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(p + at).loadUnaligned(as: UInt32.self))
    }
    private func le32(_ b: [UInt8]) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[$1]) << UInt32(8 * $1) } }
    private func le64(_ b: [UInt8]) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[$1]) << UInt64(8 * $1) } }
}
