/// Encodes one column's rows `range` as a Parquet column chunk: an optional dictionary page (text) and one
/// v1 data page with definition levels (every column is OPTIONAL, as pandas writes them) and PLAIN values or
/// dictionary indices.
struct ParquetColumnEncoder {
    let column: Column
    let codec: ParquetCodec

    /// The physical type and annotation Petal writes for its column types (what pyarrow writes for pandas').
    var physical: ParquetPhysicalType {
        switch column.storage {
        case .int: .int64
        case .float: .double
        case .bool: .boolean
        case .datetime(_, let dateOnly): dateOnly ? .int32 : .int64
        case .text: .byteArray
        }
    }

    struct Encoded {
        var bytes: [UInt8] = []
        var dictionaryPageOffset: Int?
        var dataPageOffset = 0
        var uncompressedSize = 0
        var values = 0
        var usesDictionary = false
    }

    /// The chunk's pages; offsets are relative to the chunk's start.
    func encode(_ range: Range<Int>) throws -> Encoded {
        var out = Encoded()
        out.values = range.count
        var levels = [Int32](repeating: 1, count: range.count)
        var valid: [Int] = []
        valid.reserveCapacity(range.count)
        for (k, row) in range.enumerated() {
            if column.isValid(row) { valid.append(row) } else { levels[k] = 0 }
        }
        var values: [UInt8] = []
        var encoding = ParquetEncoding.plain
        switch column.storage {
        case .int(let v):
            values.reserveCapacity(valid.count * 8)
            for row in valid { appendLE(v[row], to: &values) }
        case .float(let v):
            values.reserveCapacity(valid.count * 8)
            for row in valid { appendLE(Int64(bitPattern: v[row].bitPattern), to: &values) }
        case .bool(let v):
            values = [UInt8](repeating: 0, count: (valid.count + 7) / 8)
            for (k, row) in valid.enumerated() where v[row] { values[k >> 3] |= 1 << UInt8(k & 7) }
        case .datetime(let v, let dateOnly):
            if dateOnly {
                for row in valid {
                    let days = v[row] >= 0 ? v[row] / 86_400_000_000 : (v[row] - 86_399_999_999) / 86_400_000_000
                    appendLE32(Int32(clamping: days), to: &values)
                }
            } else {
                for row in valid { appendLE(v[row], to: &values) }
            }
        case .text(let codes, let dictionary):
            var page: [UInt8] = []
            for i in dictionary.indices {
                dictionary.withUTF8(i) { b in
                    appendLE32(Int32(clamping: b.count), to: &page)
                    page.append(contentsOf: b)
                }
            }
            out.dictionaryPageOffset = 0
            try appendPage(&out, kind: .dictionary, payload: page, count: dictionary.count, encoding: ParquetEncoding.plain)
            let width = max(1, RLEHybridEncoder.bitWidth(for: dictionary.count - 1))
            values = [UInt8(width)] + RLEHybridEncoder.encode(valid.map { codes[$0] }, bitWidth: width)
            encoding = ParquetEncoding.rleDictionary
            out.usesDictionary = true
        }
        let defined = RLEHybridEncoder.encode(levels, bitWidth: 1)
        var payload: [UInt8] = []
        payload.reserveCapacity(4 + defined.count + values.count)
        appendLE32(Int32(clamping: defined.count), to: &payload)
        payload += defined
        payload += values
        out.dataPageOffset = out.bytes.count
        try appendPage(&out, kind: .data, payload: payload, count: range.count, encoding: encoding)
        return out
    }

    private func appendPage(_ out: inout Encoded, kind: ParquetPageHeader.Kind, payload: [UInt8], count: Int, encoding: Int32) throws {
        let compressed = try codec.compress(payload)
        guard payload.count <= Int(Int32.max), compressed.count <= Int(Int32.max), count <= Int(Int32.max) else {
            throw ParquetFault("a page of column \"\(column.name)\" would be larger than Parquet allows (2 GiB)")
        }
        var h = ThriftCompactWriter()
        h.structBody { w in
            w.i32(1, kind.rawValue)
            w.i32(2, Int32(payload.count))
            w.i32(3, Int32(compressed.count))
            if kind == .dictionary {
                w.structure(7) { d in
                    d.i32(1, Int32(count))
                    d.i32(2, encoding)
                }
            } else {
                w.structure(5) { d in
                    d.i32(1, Int32(count))
                    d.i32(2, encoding)
                    d.i32(3, ParquetEncoding.rle)
                    d.i32(4, ParquetEncoding.rle)
                }
            }
        }
        out.bytes += h.bytes
        out.bytes += compressed
        out.uncompressedSize += h.bytes.count + payload.count
    }
}

@inline(__always) func appendLE(_ v: Int64, to out: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
}

@inline(__always) func appendLE32(_ v: Int32, to out: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
}
