/// Writes Thrift's compact protocol (Parquet's footer and page headers): fields by id with deltas, structs,
/// lists, zigzag varints. The reading side is `ThriftCompactReader`.
struct ThriftCompactWriter {
    typealias Kind = ThriftCompactReader.Kind
    private(set) var bytes: [UInt8] = []
    private var lastField: [Int16] = [0]

    private mutating func varint(_ value: UInt64) { RLEHybridEncoder.appendVarint(value, to: &bytes) }
    private mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    private mutating func field(_ id: Int16, _ kind: Kind) {
        let last = lastField[lastField.count - 1]
        let delta = id - last
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | kind.rawValue)
        } else {
            bytes.append(kind.rawValue)
            zigzag(Int64(id))
        }
        lastField[lastField.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ v: Int32) { field(id, .i32); zigzag(Int64(v)) }
    mutating func i64(_ id: Int16, _ v: Int64) { field(id, .i64); zigzag(v) }
    mutating func bool(_ id: Int16, _ v: Bool) { field(id, v ? .boolTrue : .boolFalse) }
    mutating func binary(_ id: Int16, _ v: [UInt8]) { field(id, .binary); varint(UInt64(v.count)); bytes += v }
    mutating func string(_ id: Int16, _ s: String) { binary(id, Array(s.utf8)) }

    /// A struct-valued field; `body` writes its fields.
    mutating func structure(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        field(id, .structure)
        structBody(body)
    }

    /// A struct's fields and stop byte (also a list element, or the top-level struct).
    mutating func structBody(_ body: (inout ThriftCompactWriter) -> Void) {
        lastField.append(0)
        body(&self)
        bytes.append(Kind.stop.rawValue)
        lastField.removeLast()
    }

    private mutating func listHeader(_ id: Int16, _ element: Kind, _ count: Int) {
        field(id, .list)
        if count < 15 { bytes.append(UInt8(count) << 4 | element.rawValue) } else {
            bytes.append(0xF0 | element.rawValue)
            varint(UInt64(count))
        }
    }

    mutating func list<T>(_ id: Int16, structs items: [T], _ body: (inout ThriftCompactWriter, T) -> Void) {
        listHeader(id, .structure, items.count)
        for item in items { structBody { body(&$0, item) } }
    }

    mutating func list(_ id: Int16, i32 items: [Int32]) {
        listHeader(id, .i32, items.count)
        for v in items { zigzag(Int64(v)) }
    }

    mutating func list(_ id: Int16, strings items: [String]) {
        listHeader(id, .binary, items.count)
        for s in items { let b = Array(s.utf8); varint(UInt64(b.count)); bytes += b }
    }
}
