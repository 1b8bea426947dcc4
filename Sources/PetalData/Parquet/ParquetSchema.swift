import Foundation

/// How one top-level Parquet column becomes a Petal column: which leaf it is, its physical type, and the
/// conversion from stored integers to Petal's (dates and timestamps become microseconds since 1970).
struct ParquetColumnPlan {
    enum Conversion: Equatable {
        case none, unsigned32
        case multiply(Int64), divide(Int64)
        case decimal(scale: Int32)
    }

    var name: String
    /// The column's position among the schema's leaves (and so in each row group's chunks).
    var leaf: Int
    var physical: ParquetPhysicalType
    var typeLength: Int
    /// 1 for an OPTIONAL column (definition levels say which rows are null), 0 for REQUIRED.
    var maxDefinition: Int
    var type: ColumnType
    var conversion: Conversion

    /// Applies the conversion to decoded values.
    func convert(_ values: ParquetValues) -> ParquetValues {
        guard case .ints(let v) = values else { return values }
        switch conversion {
        case .none: return values
        case .unsigned32: return .ints(v.map { $0 & 0xFFFF_FFFF })
        case .multiply(let k): return .ints(v.map { $0 &* k })
        case .divide(let k): return .ints(v.map { x in let q = x / k; return x % k < 0 ? q - 1 : q })
        case .decimal(let scale):
            let divisor = pow(10, Double(scale))
            return .doubles(v.map { Double($0) / divisor })
        }
    }
}

/// The schema of a file as plans for the columns Petal reads, and the reasons for the ones it cannot.
struct ParquetSchemaPlan {
    var columns: [ParquetColumnPlan] = []
    /// Columns that cannot be read, with why (nested, repeated, or an unsupported type).
    var skipped: [(name: String, reason: String)] = []
    var leafCount = 0

    init(_ elements: [ParquetSchemaElement]) throws {
        guard let root = elements.first else { throw ParquetFault("the schema is empty") }
        var index = 1
        for _ in 0..<Int(root.numChildren) {
            guard let element = elements[safe: index] else { throw ParquetFault("the schema has fewer elements than its root says") }
            index += 1
            if element.numChildren > 0 {
                let what = element.logical == .list ? "a list" : element.logical == .map ? "a map" : "a nested group (struct)"
                skipped.append((element.name, "it is \(what)"))
                index = try Self.skipChildren(elements, from: index, count: Int(element.numChildren), leaves: &leafCount, depth: 1)
                continue
            }
            defer { leafCount += 1 }
            if element.repetition == 2 { skipped.append((element.name, "it is repeated (a list)")); continue }
            guard let physical = element.type else {
                skipped.append((element.name, "its physical type (\(element.rawType.map(String.init) ?? "none")) is unknown")); continue
            }
            switch Self.mapping(physical, element.logical) {
            case .success(let (type, conversion)):
                columns.append(ParquetColumnPlan(name: element.name, leaf: leafCount, physical: physical,
                                                 typeLength: Int(element.typeLength ?? 0),
                                                 maxDefinition: element.repetition == 1 ? 1 : 0, type: type, conversion: conversion))
            case .failure(let reason):
                skipped.append((element.name, reason.description))
            }
        }
        guard index == elements.count else { throw ParquetFault("the schema has \(elements.count - index) elements its root does not reach") }
    }

    /// Counts the leaves under a group (so the columns after it line up with their chunks).
    static func skipChildren(_ elements: [ParquetSchemaElement], from start: Int, count: Int, leaves: inout Int, depth: Int) throws -> Int {
        guard depth < 64 else { throw ParquetFault("the schema nests deeper than 64 levels") }
        var index = start
        for _ in 0..<count {
            guard let element = elements[safe: index] else { throw ParquetFault("the schema has fewer elements than its groups say") }
            index += 1
            if element.numChildren > 0 {
                index = try skipChildren(elements, from: index, count: Int(element.numChildren), leaves: &leaves, depth: depth + 1)
            } else {
                leaves += 1
            }
        }
        return index
    }

    /// Petal's type for a physical type and its annotation, or why there is none.
    static func mapping(_ physical: ParquetPhysicalType, _ logical: ParquetLogicalType)
        -> Result<(ColumnType, ParquetColumnPlan.Conversion), ParquetFault> {
        switch (physical, logical) {
        case (.boolean, .none): return .success((.bool, .none))
        case (.int32, .none), (.int64, .none), (.int64, .integer), (.int32, .integer(_, true)), (.int32, .time), (.int64, .time):
            return .success((.int, .none))
        case (.int32, .integer(_, false)): return .success((.int, .unsigned32))
        case (.int32, .date): return .success((.date, .multiply(86_400_000_000)))
        case (.int64, .timestamp(let unit)):
            if unit == 1_000 { return .success((.datetime, .multiply(1_000))) }
            if unit == 1_000_000_000 { return .success((.datetime, .divide(1_000))) }
            return .success((.datetime, .none))
        case (.int32, .decimal(let s)), (.int64, .decimal(let s)): return .success((.float, .decimal(scale: s)))
        case (.int96, _): return .success((.datetime, .none))
        case (.float, .none), (.double, .none): return .success((.float, .none))
        case (.byteArray, .none), (.byteArray, .string), (.byteArray, .enumeration), (.byteArray, .json): return .success((.text, .none))
        case (.fixedLenByteArray, _): return .failure(ParquetFault("FIXED_LEN_BYTE_ARRAY columns (decimals, UUIDs, float16) are not supported"))
        default: return .failure(ParquetFault("\(physical.name) columns annotated \(logical) are not supported"))
        }
    }
}
