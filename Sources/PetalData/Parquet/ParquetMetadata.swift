/// The parts of Parquet's footer (`FileMetaData` in parquet.thrift) that reading needs; field numbers are
/// parquet.thrift's. Unknown and unneeded fields are skipped, so files from newer writers still read.
struct ParquetFileMetadata {
    var numRows: Int64 = 0
    var schema: [ParquetSchemaElement] = []
    var rowGroups: [ParquetRowGroup] = []
    var createdBy: String?

    init(_ r: inout ThriftCompactReader) throws {
        var sawSchema = false
        try r.structure(0) { r, id, kind in
            switch (id, kind) {
            case (2, ThriftCompactReader.Kind.list.rawValue):
                schema = try r.list(1) { r, _ in try ParquetSchemaElement(&r) }
                sawSchema = true
            case (3, _): numRows = try r.int(kind: kind)
            case (4, ThriftCompactReader.Kind.list.rawValue): rowGroups = try r.list(1) { r, _ in try ParquetRowGroup(&r) }
            case (6, ThriftCompactReader.Kind.binary.rawValue): createdBy = try? r.string()
            case (8, _), (9, _): throw ParquetFault("the file is encrypted, which Petal cannot read")
            default: try r.skip(kind: kind, depth: 1)
            }
        }
        guard sawSchema, !schema.isEmpty else { throw ParquetFault("the footer has no schema") }
    }
}

/// Physical types (`Type` in parquet.thrift).
enum ParquetPhysicalType: Int32 {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7

    var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

/// The logical (annotated) type of a column, from `LogicalType` or the older `ConvertedType`.
enum ParquetLogicalType: Equatable {
    case none, string, enumeration, json, date, decimal(scale: Int32)
    case timestamp(unit: Int64)   // units per second: 1_000, 1_000_000 or 1_000_000_000
    case integer(bits: Int8, signed: Bool)
    case time, uuid, map, list, interval, bson, float16, other(String)
}

/// One node of the flattened schema tree (`SchemaElement`).
struct ParquetSchemaElement {
    var name = ""
    var type: ParquetPhysicalType?
    var rawType: Int32?
    var typeLength: Int32?
    /// 0 required, 1 optional, 2 repeated.
    var repetition: Int32 = 0
    var numChildren: Int32 = 0
    var logical: ParquetLogicalType = .none

    init(name: String, type: ParquetPhysicalType?, repetition: Int32, numChildren: Int32 = 0, logical: ParquetLogicalType = .none) {
        self.name = name; self.type = type; self.rawType = type?.rawValue; self.repetition = repetition
        self.numChildren = numChildren; self.logical = logical
    }

    init(_ r: inout ThriftCompactReader) throws {
        var converted: Int32?
        var scale: Int32 = 0
        var logicalType: ParquetLogicalType?
        try r.structure(2) { r, id, kind in
            switch id {
            case 1: rawType = try r.int32(kind: kind); type = rawType.flatMap(ParquetPhysicalType.init(rawValue:))
            case 2: typeLength = try r.int32(kind: kind)
            case 3: repetition = try r.int32(kind: kind)
            case 4: name = try r.string()
            case 5: numChildren = try r.int32(kind: kind)
            case 6: converted = try r.int32(kind: kind)
            case 7: scale = try r.int32(kind: kind)
            case 10 where kind == ThriftCompactReader.Kind.structure.rawValue: logicalType = try Self.logicalType(&r)
            default: try r.skip(kind: kind, depth: 3)
            }
        }
        guard numChildren >= 0 else { throw ParquetFault("the schema element \"\(name)\" has a negative number of children") }
        logical = logicalType ?? Self.fromConverted(converted, scale: scale)
        if case .decimal = logical { logical = .decimal(scale: scale) }
    }

    /// The older `ConvertedType` annotation.
    static func fromConverted(_ c: Int32?, scale: Int32) -> ParquetLogicalType {
        switch c {
        case nil: return .none
        case 0: return .string
        case 1, 2: return .map
        case 3: return .list
        case 4: return .enumeration
        case 5: return .decimal(scale: scale)
        case 6: return .date
        case 7, 8: return .time
        case 9: return .timestamp(unit: 1_000)
        case 10: return .timestamp(unit: 1_000_000)
        case 11: return .integer(bits: 8, signed: false)
        case 12: return .integer(bits: 16, signed: false)
        case 13: return .integer(bits: 32, signed: false)
        case 14: return .integer(bits: 64, signed: false)
        case 15: return .integer(bits: 8, signed: true)
        case 16: return .integer(bits: 16, signed: true)
        case 17: return .integer(bits: 32, signed: true)
        case 18: return .integer(bits: 64, signed: true)
        case 19: return .json
        case 20: return .bson
        case 21: return .interval
        case let .some(v): return .other("converted type \(v)")
        }
    }

    /// The `LogicalType` union.
    static func logicalType(_ r: inout ThriftCompactReader) throws -> ParquetLogicalType {
        var out: ParquetLogicalType = .none
        try r.structure(3) { r, id, kind in
            switch id {
            case 1: out = .string; try r.skip(kind: kind, depth: 4)
            case 2: out = .map; try r.skip(kind: kind, depth: 4)
            case 3: out = .list; try r.skip(kind: kind, depth: 4)
            case 4: out = .enumeration; try r.skip(kind: kind, depth: 4)
            case 5: out = .decimal(scale: 0); try r.skip(kind: kind, depth: 4)
            case 6: out = .date; try r.skip(kind: kind, depth: 4)
            case 7: out = .time; try r.skip(kind: kind, depth: 4)
            case 8:
                var unit: Int64 = 1_000_000
                try r.structure(4) { r, id, kind in
                    if id == 2 {
                        try r.structure(5) { r, id, kind in
                            unit = id == 1 ? 1_000 : id == 3 ? 1_000_000_000 : 1_000_000
                            try r.skip(kind: kind, depth: 6)
                        }
                    } else { try r.skip(kind: kind, depth: 5) }
                }
                out = .timestamp(unit: unit)
            case 10:
                var bits: Int8 = 64
                var signed = true
                try r.structure(4) { r, id, kind in
                    switch id {
                    case 1: bits = Int8(truncatingIfNeeded: try r.int(kind: kind))
                    case 2: signed = try r.bool(kind: kind)
                    default: try r.skip(kind: kind, depth: 5)
                    }
                }
                out = .integer(bits: bits, signed: signed)
            case 12: out = .json; try r.skip(kind: kind, depth: 4)
            case 13: out = .bson; try r.skip(kind: kind, depth: 4)
            case 14: out = .uuid; try r.skip(kind: kind, depth: 4)
            case 15: out = .float16; try r.skip(kind: kind, depth: 4)
            default: out = .other("logical type \(id)"); try r.skip(kind: kind, depth: 4)
            }
        }
        return out
    }
}

/// A row group: its row count and one chunk per leaf column.
struct ParquetRowGroup {
    var columns: [ParquetColumnChunk] = []
    var numRows: Int64 = 0

    init(_ r: inout ThriftCompactReader) throws {
        try r.structure(2) { r, id, kind in
            switch id {
            case 1 where kind == ThriftCompactReader.Kind.list.rawValue: columns = try r.list(3) { r, _ in try ParquetColumnChunk(&r) }
            case 3: numRows = try r.int(kind: kind)
            default: try r.skip(kind: kind, depth: 3)
            }
        }
        guard numRows >= 0 else { throw ParquetFault("a row group has a negative number of rows") }
    }
}

/// Where one column's pages are in the file, and how they are compressed (`ColumnChunk` + `ColumnMetaData`).
struct ParquetColumnChunk {
    var filePath: String?
    var type: Int32 = -1
    var path: [String] = []
    var codec: Int32 = 0
    var numValues: Int64 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = -1
    var dictionaryPageOffset: Int64?
    var hasMetadata = false

    init(_ r: inout ThriftCompactReader) throws {
        try r.structure(4) { r, id, kind in
            switch id {
            case 1 where kind == ThriftCompactReader.Kind.binary.rawValue: filePath = try r.string()
            case 3 where kind == ThriftCompactReader.Kind.structure.rawValue:
                hasMetadata = true
                try r.structure(5) { r, id, kind in
                    switch id {
                    case 1: type = try r.int32(kind: kind)
                    case 3 where kind == ThriftCompactReader.Kind.list.rawValue: path = try r.list(6) { r, _ in try r.string() }
                    case 4: codec = try r.int32(kind: kind)
                    case 5: numValues = try r.int(kind: kind)
                    case 7: totalCompressedSize = try r.int(kind: kind)
                    case 9: dataPageOffset = try r.int(kind: kind)
                    case 11: dictionaryPageOffset = try r.int(kind: kind)
                    default: try r.skip(kind: kind, depth: 6)
                    }
                }
            case 9: throw ParquetFault("the column's metadata is encrypted, which Petal cannot read")
            default: try r.skip(kind: kind, depth: 5)
            }
        }
    }

    /// Where the chunk's first page starts: the dictionary page when there is one.
    var start: Int64 {
        if let d = dictionaryPageOffset, d > 0, d < dataPageOffset { return d }
        return dataPageOffset
    }
}
