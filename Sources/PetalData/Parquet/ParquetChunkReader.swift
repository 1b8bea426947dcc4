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
        return try [T](unsafeUninitializedCapacity: rows) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
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
                    let n = Int(header.numValues), size = Int(header.uncompressedSize)
                    let (plainBytes, overflow) = max(n, 0).multipliedReportingOverflow(by: MemoryLayout<T>.stride)
                    let room: UnsafeMutablePointer<T>
                    if page.plainIsStorage && n >= 0 && !overflow && plainBytes == size && size <= ParquetCodec.maxPageSize {
                        // PLAIN DOUBLE or INT64 values are the dictionary's bytes as they are: decompressed straight
                        // into the thread's dictionary room, which stays until the chunk's last page.
                        room = try scratch.dictionary(n, of: T.self)
                        try codec.decompress(body, size: size, into: UnsafeMutableRawPointer(room).assumingMemoryBound(to: UInt8.self))
                    } else {
                        // Into the scratch bytes the data pages reuse, and decoded from there into the dictionary room.
                        let bytes = try scratch.decompress(body, size: size, codec: codec)
                        // Every PLAIN value takes a byte or more (a boolean a bit): a larger count is damage, refused
                        // before room is made for it.
                        guard n >= 0, n <= (plan.physical == .boolean ? bytes.count * 8 : bytes.count) else {
                            throw ParquetFault("the dictionary page claims \(n) values in \(bytes.count) bytes")
                        }
                        room = try scratch.dictionary(n, of: T.self)
                        try withBase(bytes) { p in
                            try page.decode(p, from: 0, to: bytes.count, count: n, encoding: ParquetEncoding.plain, into: room)
                        }
                    }
                    page.dictionary = UnsafeBufferPointer(start: room, count: n)
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
        var decompressed: UnsafeBufferPointer<UInt8>?
        switch try plainInPlace(header, body, codec: codec, rows: rows, page: page, scratch: scratch, into: dst, after: out.count) {
        case .done:
            out.validity?.append(contentsOf: Bitmap(count: rows, value: true))
            return
        case .decompressed(let bytes): decompressed = bytes
        case .no: break
        }
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
            values = try decompressed ?? scratch.decompress(body, size: Int(header.uncompressedSize), codec: codec)
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
            var validity: Bitmap
            if let v = out.validity { validity = v } else {
                // Room for the chunk's every row at once: reserving page by page copied the bitmap for each page.
                validity = Bitmap(count: out.count, value: true)
                validity.reserveCapacity(self.rows)
            }
            out.validity = nil  // the bitmap is extended in place, not copied
            ParquetPageDecoder<T>.spread(nonNull, levels: try scratch.levels(rows), rows: rows, in: dst, validity: &validity)
            out.validity = validity
        } else if out.validity != nil {
            out.validity?.append(contentsOf: Bitmap(count: rows, value: true))
        }
    }
}

/// What `ParquetChunkReader.plainInPlace` did with a page.
enum ParquetInPlace {
    /// The page's values are in the column and it has no nulls.
    case done
    /// Not such a page: nothing was done.
    case no
    /// The page was decompressed but holds nulls after all: its bytes, in the scratch buffer, to decode as usual.
    case decompressed(UnsafeBufferPointer<UInt8>)
}

extension ParquetChunkReader {
    /// The longest definition levels before a v1 page's values that `plainInPlace` puts in the column's
    /// decoded rows for a moment: a page without nulls has one run (a 4-byte length, a varint, a byte).
    static let maxBorrowedBytes = 32

    /// A compressed PLAIN page of DOUBLE or INT64 values (`ParquetPageDecoder.plainIsStorage`) without nulls is
    /// decompressed straight into the column at `dst`: its bytes are the values, so they are not copied out of
    /// the scratch buffer. A v2 page's levels are outside its compressed bytes (read from the page itself); a v1
    /// page's levels are compressed with its values and come before them, so it is decompressed `prefix` bytes
    /// early, over the end of the `decoded` rows before `dst`, which are saved first and put back afterwards
    /// (a v1 page of a chunk's first rows is decoded as usual). A page whose levels turn out to mark nulls is
    /// copied into the scratch buffer and given back to be decoded as usual.
    private func plainInPlace<T: ParquetStorable>(_ header: ParquetPageHeader, _ body: UnsafeBufferPointer<UInt8>, codec: ParquetCodec,
                                                  rows: Int, page: ParquetPageDecoder<T>, scratch: PageScratch,
                                                  into dst: UnsafeMutablePointer<T>, after decoded: Int) throws -> ParquetInPlace {
        guard codec != .uncompressed, header.encoding == ParquetEncoding.plain, page.plainIsStorage, rows > 0 else { return .no }
        let stride = MemoryLayout<T>.stride
        let valueBytes = rows * stride   // the chunk's array has room for them (rows <= the rows left)
        let target = UnsafeMutableRawPointer(dst)
        if header.kind == ParquetPageHeader.Kind.dataV2.rawValue {
            let levelBytes = Int(header.definitionLevelsLength)
            guard header.isCompressed, header.repetitionLevelsLength == 0, header.numNulls == 0,
                  levelBytes >= 0, levelBytes <= body.count, Int(header.uncompressedSize) - levelBytes == valueBytes else { return .no }
            if plan.maxDefinition > 0 && levelBytes > 0 {
                let withoutNulls = try withBase(body) { p in try RLEHybridDecoder(p, from: 0, to: levelBytes, bitWidth: 1).startsWithOnes(count: rows) }
                guard withoutNulls else { return .no }
            }
            try codec.decompress(UnsafeBufferPointer(rebasing: body[levelBytes...]), size: valueBytes, into: target.assumingMemoryBound(to: UInt8.self))
            return .done
        }
        guard header.kind == ParquetPageHeader.Kind.data.rawValue else { return .no }
        let size = Int(header.uncompressedSize)
        guard size >= valueBytes else { return .no }
        let prefix = size - valueBytes
        if plan.maxDefinition == 0 {
            guard prefix == 0 else { return .no }
            try codec.decompress(body, size: size, into: target.assumingMemoryBound(to: UInt8.self))
            return .done
        }
        guard header.definitionLevelEncoding == ParquetEncoding.rle, prefix >= 5, prefix <= Self.maxBorrowedBytes,
              prefix <= decoded * stride else { return .no }
        let start = target - prefix
        return try withUnsafeTemporaryAllocation(byteCount: prefix, alignment: 1) { saved in
            guard let keep = saved.baseAddress else { return .no }
            keep.copyMemory(from: start, byteCount: prefix)
            defer { start.copyMemory(from: keep, byteCount: prefix) }
            let bytes = start.assumingMemoryBound(to: UInt8.self)
            try codec.decompress(body, size: size, into: bytes)
            let length = Int(UInt32(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt32.self)))
            if length == prefix - 4, try RLEHybridDecoder(bytes, from: 4, to: prefix, bitWidth: 1).startsWithOnes(count: rows) {
                return .done
            }
            let room = try scratch.room(size)
            room.update(from: bytes, count: size)
            return .decompressed(UnsafeBufferPointer(start: room, count: size))
        }
    }
}

/// Calls `body` with the buffer's base address (a valid pointer even for an empty buffer).
func withBase<T>(_ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>) throws -> T) throws -> T {
    if let base = b.baseAddress { return try body(base) }
    var empty: UInt8 = 0
    return try body(&empty)
}

/// The buffers a thread's chunks reuse (it is held by the thread's `ParquetWindow`): decompressed bytes,
/// definition levels and the chunk's typed dictionary. They grow to the largest page (dictionary) and stay for the
/// thread's next chunk, so fresh memory is touched once per thread, not once per page or chunk (fresh memory
/// costs the kernel's zeroing and a fault per 4 KiB, more than decoding it).
final class PageScratch {
    private var bytes = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var levelRoom = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    private var dictionaryRoom = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    deinit {
        bytes.deallocate()
        levelRoom.deallocate()
        dictionaryRoom.deallocate()
    }

    /// Room for a dictionary of `count` values of `T` (the same room each call: it holds one chunk's dictionary).
    func dictionary<T: BitwiseCopyable>(_ count: Int, of type: T.Type) throws -> UnsafeMutablePointer<T> {
        let (size, overflow) = max(count, 1).multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, size <= ParquetCodec.maxPageSize * 8 else { throw ParquetFault("a dictionary of \(count) values is larger than Petal accepts") }
        if dictionaryRoom.count < size {
            dictionaryRoom.deallocate()
            dictionaryRoom = .allocate(byteCount: max(size, dictionaryRoom.count * 2), alignment: 16)
        }
        guard let base = dictionaryRoom.baseAddress else { throw ParquetFault("out of memory") }
        return base.bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// Room for `size` bytes (the same room each call: a page's decompressed bytes).
    func room(_ size: Int) throws -> UnsafeMutablePointer<UInt8> {
        if bytes.count < max(size, 1) {
            bytes.deallocate()
            bytes = .allocate(byteCount: max(size, 1, bytes.count * 2), alignment: 16)
        }
        guard let dst = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw ParquetFault("out of memory") }
        return dst
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
        let dst = try room(size)
        try codec.decompress(input, size: size, into: dst)
        return UnsafeBufferPointer(start: dst, count: size)
    }
}
