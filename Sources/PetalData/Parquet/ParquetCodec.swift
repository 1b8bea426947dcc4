import CCompression

/// Page compression (`CompressionCodec` in parquet.thrift) through the system's snappy, zlib and zstd.
enum ParquetCodec: Int32 {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    var isSupported: Bool { self == .uncompressed || self == .snappy || self == .gzip || self == .zstd }

    /// A page larger than this (after decompression) is refused rather than allocated: no writer makes pages
    /// near it, and a damaged header must not make Petal allocate gigabytes.
    static let maxPageSize = 1 << 30

    /// Decompresses `input` into exactly `size` bytes at `dst` (room for at least `size` bytes; the reader reuses
    /// one buffer for a chunk's pages).
    /// - Throws: `ParquetFault` when the data is damaged or does not decompress to `size` bytes.
    func decompress(_ input: UnsafeBufferPointer<UInt8>, size: Int, into dst: UnsafeMutablePointer<UInt8>) throws {
        guard size >= 0, size <= Self.maxPageSize else { throw ParquetFault("a page claims \(size) bytes uncompressed, more than Petal accepts") }
        guard let src = input.baseAddress, !input.isEmpty else {
            guard size == 0 else { throw ParquetFault("a compressed page is empty but should hold \(size) bytes") }
            return
        }
        switch self {
        case .snappy:
            var expected = 0
            guard snappy_uncompressed_length(src, input.count, &expected) == SNAPPY_OK, expected == size else {
                throw ParquetFault("a snappy page is damaged (its length does not match the header)")
            }
            var n = size
            let status = src.withMemoryRebound(to: CChar.self, capacity: input.count) { s in
                dst.withMemoryRebound(to: CChar.self, capacity: max(size, 1)) { d in snappy_uncompress(s, input.count, d, &n) }
            }
            guard status == SNAPPY_OK, n == size else { throw ParquetFault("a snappy page is damaged") }
        case .zstd:
            let n = ZSTD_decompress(dst, size, src, input.count)
            guard ZSTD_isError(n) == 0, n == size else {
                throw ParquetFault("a zstd page is damaged or has a different length than its header says")
            }
        case .gzip:
            if let fault = Self.inflate(src, input.count, dst, size) { throw fault }
        case .uncompressed:
            guard input.count == size else { throw ParquetFault("an uncompressed page's sizes disagree") }
            dst.update(from: src, count: size)
        default:
            throw ParquetFault("pages compressed with \(name) are not supported")
        }
    }

    /// gzip (or zlib) data into exactly `size` bytes.
    private static func inflate(_ src: UnsafePointer<UInt8>, _ n: Int, _ dst: UnsafeMutablePointer<UInt8>, _ size: Int) -> ParquetFault? {
        var stream = z_stream()
        // 15 + 32: accept a gzip or a zlib header.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return ParquetFault("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        guard n <= Int(UInt32.max), size <= Int(UInt32.max) else { return ParquetFault("a gzip page is too large") }
        stream.next_in = UnsafeMutablePointer(mutating: src)
        stream.avail_in = UInt32(n)
        stream.next_out = dst
        stream.avail_out = UInt32(size)
        let status = zlib_inflate(&stream, Z_FINISH)
        guard status == Z_STREAM_END || (status == Z_BUF_ERROR && stream.avail_out == 0 && size == 0),
              Int(stream.total_out) == size else {
            return ParquetFault("a gzip page is damaged or has a different length than its header says")
        }
        return nil
    }

    /// Compresses a page for writing (snappy or uncompressed).
    func compress(_ input: [UInt8]) throws -> [UInt8] {
        guard self == .snappy, !input.isEmpty else { return input }
        let bound = snappy_max_compressed_length(input.count)
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: max(bound, 1)) { buffer, count in
            var n = bound
            let status = input.withUnsafeBufferPointer { src in
                src.baseAddress.map { s in
                    s.withMemoryRebound(to: CChar.self, capacity: input.count) { sp in
                        buffer.baseAddress.map { d in
                            d.withMemoryRebound(to: CChar.self, capacity: bound) { snappy_compress(sp, input.count, $0, &n) }
                        }
                    }
                } ?? nil
            }
            ok = status == SNAPPY_OK
            count = ok ? n : 0
        }
        guard ok else { throw ParquetFault("snappy could not compress a page") }
        return out
    }
}

/// zlib's `inflate` under a name that does not clash with the function above.
private func zlib_inflate(_ s: UnsafeMutablePointer<z_stream>, _ flush: Int32) -> Int32 { inflate(s, flush) }
