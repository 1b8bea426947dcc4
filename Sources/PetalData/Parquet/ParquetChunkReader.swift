import Foundation

/// One column of one row group, decoded: values in Petal's storage (the array for the plan's type), with a
/// validity bitmap once a null is seen.
final class ParquetChunkData: @unchecked Sendable {  // each is filled, then merged, by one thread at a time
    var ints: [Int64] = []
    var doubles: [Double] = []
    var bools: [Bool] = []
    var codes: [Int32] = []
    let dictionary = TextInterner()
    var validity: Bitmap?
    var count = 0
}

/// Reads one column chunk's pages (dictionary, data v1 and v2) from the file straight into the column's storage:
/// each page is read into the thread's window (`ParquetWindow`), decompressed into one scratch buffer the thread
/// reuses, and its values written at their rows of the chunk's array, allocated once (`ParquetPageDecoder`).
struct ParquetChunkReader {
    /// The file's bytes up to the end of the pages' region (the footer starts there).
    let window: ParquetWindow
    var dataEnd: Int { window.limit }
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
        switch plan.type {
        case .int, .date, .datetime: out.ints = try pages(Int64.self, codec: codec, into: out)
        case .float: out.doubles = try pages(Double.self, codec: codec, into: out)
        case .bool: out.bools = try pages(Bool.self, codec: codec, into: out)
        case .text: out.codes = try pages(Int32.self, codec: codec, into: out)
        }
        return out
    }

    /// Every page of the chunk, decoded into one array of `rows` values.
    private func pages<T: ParquetStorable>(_ type: T.Type, codec: ParquetCodec, into out: ParquetChunkData) throws -> [T] {
        let scratch = window.scratch
        var page = ParquetPageDecoder<T>(plan: plan, decoder: ParquetValueDecoder(physical: plan.physical, typeLength: plan.typeLength,
                                                                                 dictionary: plan.physical == .byteArray ? out.dictionary : nil),
                                         dictionary: nil)
        var sawDictionary = false
        return try [T](unsafeUninitializedCapacity: HugePages.capacity(rows, of: T.self)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            HugePages.advise(base, count: buffer.count)
            var position = Int(chunk.start)
            while out.count < rows {
                if control?.isCancelled == true { throw CancellationError() }
                guard position < dataEnd else { throw ParquetFault("the column's pages end after \(out.count) of \(rows) rows") }
                let pageStart = position
                let (header, bodyStart) = try pageHeader(at: position)
                guard header.compressedSize >= 0, Int(header.compressedSize) <= dataEnd - bodyStart else {
                    throw ParquetFault("a page runs past the end of the data")
                }
                let body = try window.bytes(at: bodyStart, count: Int(header.compressedSize))
                position = bodyStart + Int(header.compressedSize)
                control?.advance(by: position - pageStart)
                switch ParquetPageHeader.Kind(rawValue: header.kind) {
                case .dictionary:
                    guard !sawDictionary else { throw ParquetFault("the column has two dictionary pages") }
                    sawDictionary = true
                    guard header.encoding == ParquetEncoding.plain || header.encoding == ParquetEncoding.plainDictionary else {
                        throw ParquetFault("a dictionary page is encoded with \(ParquetEncoding.name(header.encoding))")
                    }
                    // Into the scratch bytes the data pages reuse (the values are copied out of them at once).
                    let bytes = try scratch.decompress(body, size: Int(header.uncompressedSize), codec: codec)
                    let values = try withBase(bytes) { p in
                        plan.convert(try page.decoder.decode(p, from: 0, to: bytes.count, count: Int(header.numValues), encoding: ParquetEncoding.plain))
                    }
                    guard let typed = T.values(values) else { throw ParquetFault("the dictionary page's values are not of the column's type") }
                    page.dictionary = typed
                case .data, .dataV2:
                    let n = Int(header.numValues)
                    guard n >= 0, n <= rows - out.count else { throw ParquetFault("a page holds more rows than the row group") }
                    try readDataPage(header, body, codec: codec, rows: n, page: page, scratch: scratch, into: base + out.count, out: out)
                    out.count += n
                    initialized = out.count
                default:
                    continue   // index pages and unknown kinds carry nothing a reader needs
                }
            }
        }
    }

    /// The page header at `position` and where the page's body starts. Headers are small (statistics can make
    /// them a few kilobytes): a few kilobytes are read first, more only when the header does not end there.
    private func pageHeader(at position: Int) throws -> (ParquetPageHeader, Int) {
        let room = dataEnd - position
        var length = min(8 << 10, room)
        while true {
            var r = ThriftCompactReader(try window.bytes(at: position, count: length))
            do {
                let header = try ParquetPageHeader(&r)
                return (header, position + r.position)
            } catch let fault as ParquetFault {
                guard length < room else { throw fault }
                length = min(length * 8, room)
            }
        }
    }

    /// Decodes one data page's `rows` rows to `dst`.
    private func readDataPage<T: ParquetStorable>(_ header: ParquetPageHeader, _ body: UnsafeBufferPointer<UInt8>, codec: ParquetCodec,
                                                  rows: Int, page: ParquetPageDecoder<T>, scratch: PageScratch,
                                                  into dst: UnsafeMutablePointer<T>, out: ParquetChunkData) throws {
        let v2 = header.kind == ParquetPageHeader.Kind.dataV2.rawValue
        var hasLevels = false
        // The values' bytes: the page body itself when it is not compressed, else the scratch buffer.
        var values: UnsafeBufferPointer<UInt8>
        var start = 0
        if v2 {
            guard header.repetitionLevelsLength == 0 else { throw ParquetFault("a flat column's page has repetition levels") }
            let levelBytes = Int(header.definitionLevelsLength)
            guard levelBytes >= 0, levelBytes <= body.count else { throw ParquetFault("a page's levels run past its end") }
            if plan.maxDefinition > 0 && (levelBytes > 0 || header.numNulls > 0) {
                hasLevels = try withBase(body) { p in
                    var d = try RLEHybridDecoder(p, from: 0, to: levelBytes, bitWidth: 1)
                    // A page without nulls (one run of ones, as writers put it) needs no level per row.
                    if d.startsWithOnes(count: rows) { return false }
                    try d.decode(count: rows, into: try scratch.levels(rows))
                    return true
                }
            }
            let rest = UnsafeBufferPointer(rebasing: body[levelBytes...])
            values = header.isCompressed ? try scratch.decompress(rest, size: Int(header.uncompressedSize) - levelBytes, codec: codec) : rest
        } else {
            values = try scratch.decompress(body, size: Int(header.uncompressedSize), codec: codec)
            if plan.maxDefinition > 0 {
                guard header.definitionLevelEncoding == ParquetEncoding.rle else {
                    throw ParquetFault("definition levels encoded with \(ParquetEncoding.name(header.definitionLevelEncoding)) are not supported")
                }
                (start, hasLevels) = try withBase(values) { p in
                    guard values.count >= 4 else { throw ParquetFault("a page lacks its definition levels") }
                    let length = Int(UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)))
                    guard length <= values.count - 4 else { throw ParquetFault("a page's definition levels run past its end") }
                    var d = try RLEHybridDecoder(p, from: 4, to: 4 + length, bitWidth: 1)
                    // A page without nulls (one run of ones, as writers put it) needs no level per row.
                    if d.startsWithOnes(count: rows) { return (4 + length, false) }
                    try d.decode(count: rows, into: try scratch.levels(rows))
                    return (4 + length, true)
                }
            }
        }
        var nonNull = rows
        if hasLevels {
            let levels = try scratch.levels(rows)
            nonNull = 0
            for i in 0..<rows {
                let level = levels[i]
                guard level == 0 || level == 1 else { throw ParquetFault("a definition level (\(level)) is above the column's maximum (1)") }
                nonNull += Int(level)
            }
            if nonNull == rows { hasLevels = false }
        }
        try withBase(values) { p in
            try page.decode(p, from: start, to: values.count, count: nonNull, encoding: header.encoding, into: dst)
        }
        if hasLevels {
            var validity = out.validity ?? Bitmap(count: out.count, value: true)
            out.validity = nil  // the bitmap is extended in place, not copied
            ParquetPageDecoder<T>.spread(nonNull, levels: try scratch.levels(rows), rows: rows, in: dst, validity: &validity)
            out.validity = validity
        } else if out.validity != nil {
            out.validity?.append(contentsOf: Bitmap(count: rows, value: true))
        }
    }
}

/// Calls `body` with the buffer's base address (a valid pointer even for an empty buffer).
func withBase<T>(_ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>) throws -> T) throws -> T {
    if let base = b.baseAddress { return try body(base) }
    var empty: UInt8 = 0
    return try body(&empty)
}

/// The buffers one chunk's pages reuse: decompressed bytes and definition levels. They grow
/// to the largest page and are freed with the chunk (fresh memory for every page costs more than decoding it).
final class PageScratch {
    private var bytes = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var levelRoom = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)

    deinit {
        bytes.deallocate()
        levelRoom.deallocate()
    }

    /// Room for `count` definition levels (the same room each call, so levels stay until the next page).
    func levels(_ count: Int) throws -> UnsafeMutablePointer<Int32> { try Self.room(&levelRoom, count) }

    private static func room(_ buffer: inout UnsafeMutableBufferPointer<Int32>, _ count: Int) throws -> UnsafeMutablePointer<Int32> {
        if buffer.count < max(count, 1) {
            buffer.deallocate()
            buffer = .allocate(capacity: max(count, 1, buffer.count * 2))
        }
        guard let base = buffer.baseAddress else { throw ParquetFault("out of memory") }
        return base
    }

    /// The page's values uncompressed: `input` itself when the codec is none, else decompressed into the scratch
    /// bytes. Either way exactly `size` bytes, or a `ParquetFault`.
    func decompress(_ input: UnsafeBufferPointer<UInt8>, size: Int, codec: ParquetCodec) throws -> UnsafeBufferPointer<UInt8> {
        guard size >= 0, size <= ParquetCodec.maxPageSize else { throw ParquetFault("a page claims \(size) bytes uncompressed, more than Petal accepts") }
        if codec == .uncompressed {
            guard input.count == size else { throw ParquetFault("an uncompressed page's sizes disagree") }
            return input
        }
        if bytes.count < max(size, 1) {
            bytes.deallocate()
            bytes = .allocate(byteCount: max(size, 1, bytes.count * 2), alignment: 16)
        }
        guard let dst = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw ParquetFault("out of memory") }
        try codec.decompress(input, size: size, into: dst)
        return UnsafeBufferPointer(start: dst, count: size)
    }
}
