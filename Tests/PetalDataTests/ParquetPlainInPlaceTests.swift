import Testing
@testable import PetalData

/// PLAIN DOUBLE and INT64 pages decompressed straight into the column (`ParquetChunkReader.plainInPlace`): one
/// column chunk of many pages, built here page by page, mixing pages that take that path (a v1 page without
/// nulls after the chunk's first rows, a v2 page without nulls, a required column's every page) with pages that
/// do not (the chunk's first v1 page, pages with nulls, levels written bit-packed rather than as one run, one of
/// them with a null), read compressed and uncompressed and compared with the values written.
@Suite struct ParquetPlainInPlaceTests {
    /// A page: its rows' values (nil = null), v2 or v1, and whether its definition levels are written bit-packed
    /// (8 rows a byte) instead of as RLE runs.
    struct Page {
        var values: [Int64?]
        var v2 = false
        var bitPackedLevels = false
        /// The rows its header claims (its levels say present) when not its values' count: a damaged page.
        var claimed: Int?

        var rows: Int { claimed ?? values.count }
    }

    static func levels(_ page: Page) -> [UInt8] {
        let defined = page.values.map { $0 == nil ? Int32(0) : 1 } + [Int32](repeating: 1, count: max(0, page.rows - page.values.count))
        guard page.bitPackedLevels else { return RLEHybridEncoder.encode(defined, bitWidth: 1) }
        let groups = (defined.count + 7) / 8
        var out: [UInt8] = []
        RLEHybridEncoder.appendVarint(UInt64(groups << 1 | 1), to: &out)
        for g in 0..<groups {
            var byte: UInt8 = 0
            for k in 0..<8 where g * 8 + k < defined.count && defined[g * 8 + k] != 0 { byte |= 1 << UInt8(k) }
            out.append(byte)
        }
        return out
    }

    /// A file of one column (`physical` DOUBLE or INT64 holding each value's bits) of the pages, in one row group.
    static func file(_ pages: [Page], physical: ParquetPhysicalType, optional: Bool, codec: ParquetCodec) throws -> [UInt8] {
        var chunk: [UInt8] = []
        var uncompressed = 0
        for page in pages {
            var values: [UInt8] = []
            for v in page.values.compactMap({ $0 }) { appendLE(v, to: &values) }
            let levels = optional ? Self.levels(page) : []
            var header = ThriftCompactWriter()
            var body: [UInt8]
            var size: Int
            if page.v2 {
                let compressed = try codec.compress(values)
                body = levels + compressed
                size = levels.count + values.count
                header.structBody { w in
                    w.i32(1, ParquetPageHeader.Kind.dataV2.rawValue)
                    w.i32(2, Int32(size))
                    w.i32(3, Int32(body.count))
                    w.structure(8) { d in
                        d.i32(1, Int32(page.rows))
                        d.i32(2, Int32(page.values.filter { $0 == nil }.count))
                        d.i32(3, Int32(page.rows))
                        d.i32(4, ParquetEncoding.plain)
                        d.i32(5, Int32(levels.count))
                        d.i32(6, 0)
                        d.bool(7, codec != .uncompressed)
                    }
                }
            } else {
                var payload: [UInt8] = []
                if optional { appendLE32(Int32(levels.count), to: &payload) }
                payload += levels + values
                body = try codec.compress(payload)
                size = payload.count
                header.structBody { w in
                    w.i32(1, ParquetPageHeader.Kind.data.rawValue)
                    w.i32(2, Int32(size))
                    w.i32(3, Int32(body.count))
                    w.structure(5) { d in
                        d.i32(1, Int32(page.rows))
                        d.i32(2, ParquetEncoding.plain)
                        d.i32(3, ParquetEncoding.rle)
                        d.i32(4, ParquetEncoding.rle)
                    }
                }
            }
            chunk += header.bytes + body
            uncompressed += header.bytes.count + size
        }
        let rows = pages.reduce(0) { $0 + $1.rows }
        var footer = ThriftCompactWriter()
        footer.structBody { w in
            w.i32(1, 1)
            w.list(2, structs: [false, true]) { w, isColumn in
                if isColumn {
                    w.i32(1, physical.rawValue)
                    w.i32(3, optional ? 1 : 0)
                    w.string(4, "x")
                } else {
                    w.string(4, "schema")
                    w.i32(5, 1)
                }
            }
            w.i64(3, Int64(rows))
            w.list(4, structs: [0]) { w, _ in
                w.list(1, structs: [0]) { w, _ in
                    w.i64(2, 4)
                    w.structure(3) { m in
                        m.i32(1, physical.rawValue)
                        m.list(2, i32: [ParquetEncoding.plain, ParquetEncoding.rle])
                        m.list(3, strings: ["x"])
                        m.i32(4, codec.rawValue)
                        m.i64(5, Int64(rows))
                        m.i64(6, Int64(uncompressed))
                        m.i64(7, Int64(chunk.count))
                        m.i64(9, 4)
                    }
                }
                w.i64(2, Int64(uncompressed))
                w.i64(3, Int64(rows))
            }
        }
        var out = ParquetReader.magic + chunk + footer.bytes
        appendLE32(Int32(footer.bytes.count), to: &out)
        return out + ParquetReader.magic
    }

    /// The values of `rows` rows from `first` on, with nulls where `nulls` says.
    static func values(_ first: Int, _ rows: Int, nulls: Set<Int> = []) -> [Int64?] {
        (first..<(first + rows)).map { i in nulls.contains(i - first) ? nil : Int64(i) * 1_000_003 - 7_777 }
    }

    /// Reads the file and checks every row against the pages' values (doubles hold `Double(v) / 8`).
    static func check(_ pages: [Page], physical: ParquetPhysicalType, optional: Bool) throws {
        let expected = pages.flatMap(\.values).map { v in v.map { physical == .double ? Int64(bitPattern: (Double($0) / 8).bitPattern) : $0 } }
        let written = pages.map { p in Page(values: p.values.map { v in v.map { physical == .double ? Int64(bitPattern: (Double($0) / 8).bitPattern) : $0 } },
                                           v2: p.v2, bitPackedLevels: p.bitPackedLevels) }
        for codec in [ParquetCodec.snappy, .uncompressed] {
            let bytes = try file(written, physical: physical, optional: optional, codec: codec)
            let (frame, _) = try ParquetReader.read(bytes: bytes, file: "pages.parquet")
            let column = try #require(frame.columns.first)
            #expect(frame.rowCount == expected.count)
            for (row, value) in expected.enumerated() {
                #expect(column.isValid(row) == (value != nil), "row \(row), \(codec.name)")
                guard let value else { continue }
                switch column.storage {
                case .float(let v): #expect(v[row].bitPattern == UInt64(bitPattern: value), "row \(row), \(codec.name)")
                case .int(let v): #expect(v[row] == value, "row \(row), \(codec.name)")
                default: Issue.record("the column is \(column.type)")
                }
            }
        }
    }

    static let pages: [Page] = [
        Page(values: values(0, 100)),                                      // the chunk's first rows: decoded as usual
        Page(values: values(100, 100)),                                    // in place, over the end of the first page
        Page(values: values(200, 100, nulls: [0, 50, 99])),                // nulls: as usual
        Page(values: values(300, 64), bitPackedLevels: true),              // levels not one run: in place, then as usual
        Page(values: values(364, 64, nulls: [9]), bitPackedLevels: true),  // a null the levels' length did not give away
        Page(values: values(428, 100), v2: true),                          // v2 without nulls: in place
        Page(values: values(528, 100, nulls: [3]), v2: true),              // v2 with a null: as usual
        Page(values: values(628, 1)),                                      // one row
        Page(values: values(629, 300)),
    ]

    @Test func optionalDoublesMatchWhatWasWritten() throws {
        try Self.check(Self.pages, physical: .double, optional: true)
    }

    @Test func optionalIntegersMatchWhatWasWritten() throws {
        try Self.check(Self.pages, physical: .int64, optional: true)
    }

    @Test func requiredColumnsMatchWhatWasWritten() throws {
        let pages = [Page(values: Self.values(0, 100)), Page(values: Self.values(100, 37)), Page(values: Self.values(137, 100), v2: true)]
        try Self.check(pages, physical: .double, optional: false)
        try Self.check(pages, physical: .int64, optional: false)
    }

    @Test(arguments: [false, true])
    func aPageWithFewerValuesThanItsHeaderSaysIsAnError(v2: Bool) throws {
        // The second page claims 100 rows, all present, but holds 99 values.
        let pages = [Page(values: Self.values(0, 100)), Page(values: Self.values(100, 99), v2: v2, claimed: 100)]
        for physical in [ParquetPhysicalType.double, .int64] {
            let bytes = try Self.file(pages, physical: physical, optional: true, codec: .snappy)
            let error = try #require(throws: PetalError.self) { try ParquetReader.read(bytes: bytes, file: "short.parquet") }
            #expect(error.message.contains("run past its end"), "\(error.message)")
        }
    }
}
