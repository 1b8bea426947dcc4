import Foundation

/// One column of one row group, decoded: values in Petal's storage, with a validity bitmap once a null is seen.
final class ParquetChunkData: @unchecked Sendable {  // each is filled, then merged, by one thread at a time
    var ints: [Int64] = []
    var doubles: [Double] = []
    var bools: [Bool] = []
    var codes: [Int32] = []
    let dictionary = ByteDictionary()
    var validity: Bitmap?
    var count = 0

    /// Appends a page's values; `levels` (nil when the page has no nulls) says which rows hold one.
    func append(_ values: ParquetValues, levels: [Int32]?, rows: Int) throws {
        guard let levels else {
            guard values.count == rows else { throw ParquetFault("a page holds \(values.count) values for \(rows) rows") }
            switch values {
            case .ints(let v): ints += v
            case .doubles(let v): doubles += v
            case .bools(let v): bools += v
            case .codes(let v): codes += v
            }
            if validity != nil { validity?.append(contentsOf: Bitmap(count: rows, value: true)) }
            count += rows
            return
        }
        if validity == nil { validity = Bitmap(count: count, value: true) }
        var bits = Bitmap(count: 0, value: false)
        bits.reserveCapacity(rows)
        var k = 0
        func spread<T>(_ v: [T], _ empty: T, into out: inout [T]) throws {
            out.reserveCapacity(out.count + rows)
            for level in levels {
                if level != 0 {
                    guard k < v.count else { throw ParquetFault("a page has fewer values than its definition levels say") }
                    out.append(v[k]); k += 1; bits.append(true)
                } else {
                    out.append(empty); bits.append(false)
                }
            }
            guard k == v.count else { throw ParquetFault("a page has more values than its definition levels say") }
        }
        switch values {
        case .ints(let v): try spread(v, 0, into: &ints)
        case .doubles(let v): try spread(v, .nan, into: &doubles)
        case .bools(let v): try spread(v, false, into: &bools)
        case .codes(let v): try spread(v, 0, into: &codes)
        }
        validity?.append(contentsOf: bits)
        count += rows
    }
}

/// Reads one column chunk's pages (dictionary, data v1 and v2) from the file's bytes.
struct ParquetChunkReader {
    let file: UnsafeBufferPointer<UInt8>
    /// The end of the pages' region (the footer starts there).
    let dataEnd: Int
    let plan: ParquetColumnPlan
    let chunk: ParquetColumnChunk
    let rows: Int
    let control: LoadControl?

    func read() throws -> ParquetChunkData {
        let out = ParquetChunkData()
        guard chunk.filePath == nil else { throw ParquetFault("the column's data is in another file (\(chunk.filePath ?? ""))") }
        guard chunk.type == plan.physical.rawValue else { throw ParquetFault("the column's chunk has a different type than its schema") }
        guard let codec = ParquetCodec(rawValue: chunk.codec), codec.isSupported else {
            let name = ParquetCodec(rawValue: chunk.codec)?.name ?? "codec \(chunk.codec)"
            throw ParquetFault("it is compressed with \(name); Petal reads uncompressed, SNAPPY, GZIP and ZSTD")
        }
        guard chunk.start >= 4, chunk.start < Int64(dataEnd) else { throw ParquetFault("the column's pages start outside the file (offset \(chunk.start))") }
        let decoder = ParquetValueDecoder(physical: plan.physical, typeLength: plan.typeLength,
                                          dictionary: plan.physical == .byteArray ? out.dictionary : nil)
        var dictionary: ParquetValues?
        var position = Int(chunk.start)
        while out.count < rows {
            if control?.isCancelled == true { throw CancellationError() }
            guard position < dataEnd else { throw ParquetFault("the column's pages end after \(out.count) of \(rows) rows") }
            let pageStart = position
            var r = ThriftCompactReader(file, from: position, to: dataEnd)
            let header = try ParquetPageHeader(&r)
            let bodyStart = r.position
            guard Int(header.compressedSize) <= dataEnd - bodyStart else { throw ParquetFault("a page runs past the end of the data") }
            let body = UnsafeBufferPointer(rebasing: file[bodyStart..<(bodyStart + Int(header.compressedSize))])
            position = bodyStart + Int(header.compressedSize)
            control?.advance(by: position - pageStart)
            switch ParquetPageHeader.Kind(rawValue: header.kind) {
            case .dictionary:
                guard dictionary == nil else { throw ParquetFault("the column has two dictionary pages") }
                guard header.encoding == ParquetEncoding.plain || header.encoding == ParquetEncoding.plainDictionary else {
                    throw ParquetFault("a dictionary page is encoded with \(ParquetEncoding.name(header.encoding))")
                }
                let bytes = try codec.decompress(body, size: Int(header.uncompressedSize))
                dictionary = try bytes.withUnsafeBufferPointer { b in
                    try withBase(b) { p in plan.convert(try decoder.decode(p, from: 0, to: b.count, count: Int(header.numValues), encoding: ParquetEncoding.plain)) }
                }
            case .data, .dataV2:
                let n = Int(header.numValues)
                guard n <= rows - out.count else { throw ParquetFault("a page holds more rows than the row group") }
                try readDataPage(header, body, codec: codec, rows: n, decoder: decoder, dictionary: dictionary, into: out)
            default:
                continue   // index pages and unknown kinds carry nothing a reader needs
            }
        }
        return out
    }

    private func readDataPage(_ header: ParquetPageHeader, _ body: UnsafeBufferPointer<UInt8>, codec: ParquetCodec, rows: Int,
                              decoder: ParquetValueDecoder, dictionary: ParquetValues?, into out: ParquetChunkData) throws {
        let v2 = header.kind == ParquetPageHeader.Kind.dataV2.rawValue
        var levels: [Int32]?
        var bytes: [UInt8]
        var start = 0
        if v2 {
            guard header.repetitionLevelsLength == 0 else { throw ParquetFault("a flat column's page has repetition levels") }
            let levelBytes = Int(header.definitionLevelsLength)
            guard levelBytes <= body.count else { throw ParquetFault("a page's levels run past its end") }
            if plan.maxDefinition > 0 && (levelBytes > 0 || header.numNulls > 0) {
                levels = try withBase(body) { p in
                    var d = try RLEHybridDecoder(p, from: 0, to: levelBytes, bitWidth: 1)
                    return try d.decode(count: rows)
                }
            }
            let values = UnsafeBufferPointer(rebasing: body[levelBytes...])
            let size = Int(header.uncompressedSize) - levelBytes
            bytes = header.isCompressed ? try codec.decompress(values, size: size) : Array(values)
        } else {
            bytes = try codec.decompress(body, size: Int(header.uncompressedSize))
            if plan.maxDefinition > 0 {
                guard header.definitionLevelEncoding == ParquetEncoding.rle else {
                    throw ParquetFault("definition levels encoded with \(ParquetEncoding.name(header.definitionLevelEncoding)) are not supported")
                }
                let (l, end) = try bytes.withUnsafeBufferPointer { b in
                    try withBase(b) { p -> ([Int32], Int) in
                        guard b.count >= 4 else { throw ParquetFault("a page lacks its definition levels") }
                        let length = Int(UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)))
                        guard length <= b.count - 4 else { throw ParquetFault("a page's definition levels run past its end") }
                        var d = try RLEHybridDecoder(p, from: 4, to: 4 + length, bitWidth: 1)
                        return (try d.decode(count: rows), 4 + length)
                    }
                }
                levels = l
                start = end
            }
        }
        var nonNull = rows
        if let l = levels {
            nonNull = 0
            for level in l {
                guard level == 0 || level == 1 else { throw ParquetFault("a definition level (\(level)) is above the column's maximum (1)") }
                nonNull += Int(level)
            }
            if nonNull == rows { levels = nil }
        }
        let values: ParquetValues = try bytes.withUnsafeBufferPointer { b in
            try withBase(b) { p in
                switch header.encoding {
                case ParquetEncoding.plainDictionary, ParquetEncoding.rleDictionary:
                    guard let dictionary else { throw ParquetFault("a dictionary-encoded page comes without a dictionary page") }
                    guard start < b.count else {
                        guard nonNull == 0 else { throw ParquetFault("a dictionary-encoded page lacks its indices") }
                        return try dictionary.gather([])
                    }
                    var d = try RLEHybridDecoder(p, from: start + 1, to: b.count, bitWidth: Int(p[start]))
                    return try dictionary.gather(try d.decode(count: nonNull))
                default:
                    return plan.convert(try decoder.decode(p, from: start, to: b.count, count: nonNull, encoding: header.encoding))
                }
            }
        }
        try out.append(values, levels: levels, rows: rows)
    }

    /// Calls `body` with the buffer's base address (a valid pointer even for an empty buffer).
    private func withBase<T>(_ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>) throws -> T) throws -> T {
        if let base = b.baseAddress { return try body(base) }
        var empty: UInt8 = 0
        return try body(&empty)
    }
}
