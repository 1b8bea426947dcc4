/// A page's header (`PageHeader` with `DataPageHeader`, `DataPageHeaderV2` or `DictionaryPageHeader`).
struct ParquetPageHeader {
    enum Kind: Int32 { case data = 0, index = 1, dictionary = 2, dataV2 = 3 }

    var kind: Int32 = -1
    var uncompressedSize: Int32 = -1
    var compressedSize: Int32 = -1
    /// Values in the page (nulls included), or entries in a dictionary page.
    var numValues: Int32 = -1
    var encoding: Int32 = 0
    /// v1: the encoding of definition levels (RLE; BIT_PACKED is deprecated and refused).
    var definitionLevelEncoding: Int32 = 3
    /// v2: the levels' byte lengths (stored uncompressed before the values), and whether the values are compressed.
    var definitionLevelsLength: Int32 = 0
    var repetitionLevelsLength: Int32 = 0
    var numNulls: Int32 = 0
    var isCompressed = true

    init(_ r: inout ThriftCompactReader) throws {
        var sawSub = false
        try r.structure(0) { r, id, kind in
            switch id {
            case 1: self.kind = try r.int32(kind: kind)
            case 2: uncompressedSize = try r.int32(kind: kind)
            case 3: compressedSize = try r.int32(kind: kind)
            case 5 where kind == ThriftCompactReader.Kind.structure.rawValue:
                sawSub = true
                try r.structure(1) { r, id, kind in
                    switch id {
                    case 1: numValues = try r.int32(kind: kind)
                    case 2: encoding = try r.int32(kind: kind)
                    case 3: definitionLevelEncoding = try r.int32(kind: kind)
                    default: try r.skip(kind: kind, depth: 2)
                    }
                }
            case 7 where kind == ThriftCompactReader.Kind.structure.rawValue:
                sawSub = true
                try r.structure(1) { r, id, kind in
                    switch id {
                    case 1: numValues = try r.int32(kind: kind)
                    case 2: encoding = try r.int32(kind: kind)
                    default: try r.skip(kind: kind, depth: 2)
                    }
                }
            case 8 where kind == ThriftCompactReader.Kind.structure.rawValue:
                sawSub = true
                try r.structure(1) { r, id, kind in
                    switch id {
                    case 1: numValues = try r.int32(kind: kind)
                    case 2: numNulls = try r.int32(kind: kind)
                    case 4: encoding = try r.int32(kind: kind)
                    case 5: definitionLevelsLength = try r.int32(kind: kind)
                    case 6: repetitionLevelsLength = try r.int32(kind: kind)
                    case 7: isCompressed = try r.bool(kind: kind)
                    default: try r.skip(kind: kind, depth: 2)
                    }
                }
            default: try r.skip(kind: kind, depth: 1)
            }
        }
        guard uncompressedSize >= 0, compressedSize >= 0 else { throw ParquetFault("a page header has no (or a negative) size") }
        let k = Kind(rawValue: kind)
        if k == .data || k == .dataV2 || k == .dictionary {
            guard sawSub, numValues >= 0 else { throw ParquetFault("a page header lacks its value count") }
        }
        guard definitionLevelsLength >= 0, repetitionLevelsLength >= 0, numNulls >= 0 else {
            throw ParquetFault("a page header has a negative level length")
        }
    }
}

/// Value encodings (`Encoding` in parquet.thrift).
enum ParquetEncoding {
    static let plain: Int32 = 0, plainDictionary: Int32 = 2, rle: Int32 = 3, bitPacked: Int32 = 4
    static let deltaBinaryPacked: Int32 = 5, deltaLengthByteArray: Int32 = 6, deltaByteArray: Int32 = 7
    static let rleDictionary: Int32 = 8, byteStreamSplit: Int32 = 9

    static func name(_ e: Int32) -> String {
        switch e {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "encoding \(e)"
        }
    }
}
