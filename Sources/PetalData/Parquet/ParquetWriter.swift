import Foundation

/// Writes frames as Parquet that pandas, pyarrow and polars read back with equal values and types: ints as
/// INT64, floats as DOUBLE, booleans, dates as DATE (INT32), datetimes as TIMESTAMP(MICROS, not UTC-adjusted),
/// text as UTF-8 strings with a dictionary; nulls as definition levels; snappy pages; row groups of
/// `rowGroupSize` rows, encoded in parallel.
public enum ParquetWriter {
    public static let defaultRowGroupSize = 1 << 20

    /// The file's bytes.
    /// - Throws: `PetalError` when a page would exceed Parquet's 2 GiB limit.
    public static func encode(_ frame: Frame, rowGroupSize: Int = defaultRowGroupSize, compressed: Bool = true) throws -> [UInt8] {
        let codec: ParquetCodec = compressed ? .snappy : .uncompressed
        let size = max(1, rowGroupSize)
        let groups = stride(from: 0, to: max(frame.rowCount, 1), by: size).map { $0..<min($0 + size, frame.rowCount) }
        let encoders = frame.columns.map { ParquetColumnEncoder(column: $0, codec: codec) }
        let jobs = groups.indices.flatMap { g in encoders.indices.map { (g, $0) } }
        let box = ConcurrentSlots<Result<ParquetColumnEncoder.Encoded, Error>>(jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { k in
            let (g, c) = jobs[k]
            box.set(k, Result { try encoders[c].encode(groups[g]) })
        }
        var out = ParquetReader.magic
        var rowGroups: [(rows: Int, chunks: [(ParquetColumnEncoder.Encoded, Int)])] = []
        for (k, slot) in box.slots.enumerated() {
            let (g, c) = jobs[k]
            guard let slot else { throw PetalError("a column could not be encoded", hint: nil) }
            let chunk: ParquetColumnEncoder.Encoded
            do { chunk = try slot.get() } catch let fault as ParquetFault {
                throw PetalError("cannot write column \"\(frame.columns[c].name)\" as Parquet: \(fault)")
            }
            if c == 0 { rowGroups.append((groups[g].count, [])) }
            rowGroups[rowGroups.count - 1].chunks.append((chunk, out.count))
            out += chunk.bytes
        }
        var footer = ThriftCompactWriter()
        footer.structBody { w in
            w.i32(1, 1)
            w.list(2, structs: [nil] + encoders.map(Optional.some)) { w, e in schemaElement(&w, e, count: encoders.count) }
            w.i64(3, Int64(frame.rowCount))
            w.list(4, structs: rowGroups) { w, group in
                w.list(1, structs: Array(zip(encoders, group.chunks))) { w, item in
                    let (encoder, (chunk, start)) = item
                    w.i64(2, Int64(start + chunk.dataPageOffset))
                    w.structure(3) { m in
                        m.i32(1, encoder.physical.rawValue)
                        m.list(2, i32: chunk.usesDictionary ? [ParquetEncoding.plain, ParquetEncoding.rle, ParquetEncoding.rleDictionary]
                                                              : [ParquetEncoding.plain, ParquetEncoding.rle])
                        m.list(3, strings: [encoder.column.name])
                        m.i32(4, encoder.codec.rawValue)
                        m.i64(5, Int64(chunk.values))
                        m.i64(6, Int64(chunk.uncompressedSize))
                        m.i64(7, Int64(chunk.bytes.count))
                        m.i64(9, Int64(start + chunk.dataPageOffset))
                        if let d = chunk.dictionaryPageOffset { m.i64(11, Int64(start + d)) }
                    }
                }
                w.i64(2, Int64(group.chunks.reduce(0) { $0 + $1.0.uncompressedSize }))
                w.i64(3, Int64(group.rows))
            }
            w.string(6, "Petal")
        }
        out += footer.bytes
        appendLE32(Int32(clamping: footer.bytes.count), to: &out)
        out += ParquetReader.magic
        return out
    }

    /// The root (nil) or a column's `SchemaElement`.
    static func schemaElement(_ w: inout ThriftCompactWriter, _ encoder: ParquetColumnEncoder?, count: Int) {
        guard let encoder else {
            w.string(4, "schema")
            w.i32(5, Int32(count))
            return
        }
        w.i32(1, encoder.physical.rawValue)
        w.i32(3, 1)   // OPTIONAL
        w.string(4, encoder.column.name)
        switch encoder.column.storage {
        case .text:
            w.i32(6, 0)   // UTF8
            w.structure(10) { l in l.structure(1) { _ in } }
        case .datetime(_, true):
            w.i32(6, 6)   // DATE
            w.structure(10) { l in l.structure(6) { _ in } }
        case .datetime(_, false):
            // TIMESTAMP(isAdjustedToUTC=false, MICROS): a naive datetime, as pandas writes datetime64 without a zone.
            w.structure(10) { l in l.structure(8) { t in t.bool(1, false); t.structure(2) { u in u.structure(2) { _ in } } } }
        default: break
        }
    }

    /// Writes `frame` to `path` atomically.
    public static func write(_ frame: Frame, to path: String) throws {
        try FrameWriter.writeAtomically(try encode(frame), to: path)
    }
}
