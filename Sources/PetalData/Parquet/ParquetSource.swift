import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a Parquet file's bytes come from: an open file read with `pread`, or bytes already in memory (a
/// download, tests). A file is never read whole into fresh memory nor memory-mapped: each column chunk is read
/// by the thread that decodes it, a page at a time, into a `ParquetWindow` that threads reuse, so reading
/// overlaps decoding on both cores and the file's bytes cost no page faults beyond the windows. A file that
/// shrinks meanwhile gives a `ParquetFault` (the reader names the file), never a SIGBUS.
final class ParquetSource: @unchecked Sendable {  // immutable after init; pread is safe from several threads
    /// The file's size in bytes (when it was opened).
    let count: Int
    private let fd: Int32
    private let memory: UnsafeBufferPointer<UInt8>?

    /// Bytes in memory, which must outlive the source.
    init(memory: UnsafeBufferPointer<UInt8>) {
        self.memory = memory
        self.fd = -1
        self.count = memory.count
    }

    /// An open file descriptor (the caller closes it after the source is done) of `count` bytes.
    init(descriptor: Int32, count: Int) {
        self.memory = nil
        self.fd = descriptor
        self.count = count
    }

    /// The bytes at `offset..<offset + n` when they are in memory (no copy), else nil.
    func inMemory(_ offset: Int, _ n: Int) -> UnsafeBufferPointer<UInt8>? {
        guard let memory else { return nil }
        return UnsafeBufferPointer(rebasing: memory[offset..<(offset + n)])
    }

    /// Copies exactly `n` bytes at `offset` to `dst`.
    /// - Throws: `ParquetFault` when the file ends sooner (it was truncated while it was read) or cannot be read.
    func read(_ offset: Int, _ n: Int, into dst: UnsafeMutableRawPointer) throws {
        guard offset >= 0, n >= 0, offset <= count - n else { throw ParquetFault("bytes \(offset)..<\(offset + n) are outside the file (\(count) bytes)") }
        if let memory {
            if n > 0, let base = memory.baseAddress { dst.copyMemory(from: base + offset, byteCount: n) }
            return
        }
        var got = 0
        while got < n {
            let r = pread(fd, dst + got, n - got, off_t(offset + got))
            if r < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ParquetFault("the file could not be read at byte \(offset + got): \(String(cString: strerror(errno)))")
            }
            guard r > 0 else {
                throw ParquetFault("the file ended at byte \(offset + got) but was \(count) bytes when opened: it changed while it was read")
            }
            got += r
        }
    }

    /// `n` bytes at `offset` as a new array (the footer).
    func bytes(_ offset: Int, _ n: Int) throws -> [UInt8] {
        var failure: Error?
        let out = [UInt8](unsafeUninitializedCapacity: max(n, 1)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            do { try read(offset, n, into: base); initialized = n } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }

    /// Windows for the threads that read column chunks: each takes one, and gives it back for the next chunk,
    /// so the memory pages read into are touched once per thread, not once per chunk.
    private let lock = NSLock()
    private var spare: [ParquetWindow] = []

    func takeWindow(limit: Int) -> ParquetWindow {
        let reused = lock.withLock { spare.popLast() }
        guard let reused else { return ParquetWindow(source: self, limit: limit) }
        reused.reset(limit: limit)
        return reused
    }

    func giveBack(_ window: ParquetWindow) { lock.withLock { spare.append(window) } }
}

/// A movable view of a source's bytes below `limit`: `bytes(at:count:)` returns them from memory directly, or
/// reads them (and a little more, so small pages' headers and bodies come in one read) into a buffer reused for
/// the whole chunk. What it returns stays valid until the next call. It also holds the `PageScratch` that its
/// thread's chunks reuse.
final class ParquetWindow {
    let source: ParquetSource
    private(set) var limit: Int
    private var buffer = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    /// The file offset of `buffer`'s first byte, and how many bytes there are valid.
    private var start = 0
    private var filled = 0
    let scratch = PageScratch()
    /// What a read asks for beyond the bytes wanted: the next page's header comes with this page's body.
    static let readAhead = 64 << 10

    init(source: ParquetSource, limit: Int) {
        self.source = source
        self.limit = min(limit, source.count)
    }

    deinit { buffer.deallocate() }

    func reset(limit: Int) {
        self.limit = min(limit, source.count)
        filled = 0
    }

    /// `count` bytes at file offset `offset` (all below `limit`).
    /// - Throws: `ParquetFault` when they pass `limit` or the file cannot be read.
    func bytes(at offset: Int, count: Int) throws -> UnsafeBufferPointer<UInt8> {
        guard offset >= 0, count >= 0, offset <= limit - count else {
            throw ParquetFault("bytes \(offset)..<\(offset + count) run past the end of the pages (\(limit))")
        }
        if let direct = source.inMemory(offset, count) { return direct }
        if offset < start || offset + count > start + filled {
            let want = min(count + Self.readAhead, limit - offset)
            if buffer.count < want {
                buffer.deallocate()
                buffer = .allocate(capacity: max(want, buffer.count * 3 / 2))
            }
            guard let base = buffer.baseAddress else { throw ParquetFault("out of memory") }
            filled = 0
            try source.read(offset, want, into: base)
            start = offset
            filled = want
        }
        guard let base = buffer.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + (offset - start), count: count)
    }
}
