import Foundation

/// Reads a delimited file from disk in bounded windows: each window is read with `pread` into one reused buffer,
/// checked for NUL bytes while it is fresh in cache, cut at record boundaries (quote-aware) and parsed in
/// parallel chunks. Nothing is memory-mapped — a file truncated or rewritten meanwhile is an error ("the file
/// changed while it was read"), never a SIGBUS — and peak memory is the frame plus one window, not the frame
/// plus the whole file. Small files, Latin-1 and UTF-16/32 files are read whole, as `CSVReader` reads bytes.
public enum CSVFileReader {
    /// Bytes parsed per thread in each window.
    public static let defaultWindow = 8 << 20

    /// - Parameter window: bytes per thread per window (tests make it tiny so that records straddle windows).
    /// - Throws: `PetalError` naming the file, line and field for malformed input, or saying the file changed.
    public static func read(path: String, options: CSVOptions = CSVOptions(), fileExtension: String = "",
                            window: Int = defaultWindow) throws -> (Frame, [DataWarning]) {
        try options.validate()
        _ = LargeAllocations.returnedWhenFreed
        let threads = max(1, options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let perThread = max(1, window)
        guard !options.latin1, let size = FileCheck.regularFileSize(path), size > perThread * threads else {
            return try whole(path: path, options: options, fileExtension: fileExtension)
        }
        // UTF-16/32 (before the NUL check, which their zero bytes would fail).
        let head = FileCheck.head(path, bytes: 4096)
        if head.withUnsafeBufferPointer({ TextEncoding.detect($0) }) != nil {
            return try whole(path: path, options: options, fileExtension: fileExtension)
        }
        let lines = LineIndex(path: path)
        let input = try WindowedFile(path: path, capacity: max(perThread * threads, 4096), lines: lines, threads: threads)
        try input.fill()
        var start = 0
        if input.count >= 3 && input.buffer[0] == 0xEF && input.buffer[1] == 0xBB && input.buffer[2] == 0xBF { start = 3 }

        // The header (the window grows until it holds the header line and the lines the delimiter is guessed from).
        var found: CSVLayout?
        while found == nil {
            found = try CSVLayout.read(UnsafePointer(input.buffer), start: start, end: input.count, complete: input.atEnd, file: path,
                                       options: options, fileExtension: fileExtension, lines: lines)
            if found == nil { try input.grow() }
        }
        guard let layout = found else { throw PetalError("internal: the header could not be read", at: SourceLocation(file: path)) }
        input.consume(layout.dataStart)
        options.control?.setTotal(input.size - layout.dataStart)
        let dataStart = input.start
        var rowsRead = 0

        // Windows. A column found to hold text is parsed as text in the windows after that.
        let missing = MissingMarkers(extra: options.extraMissing)
        var kinds = layout.kinds
        var seen = [AccumulatorKind?](repeating: .unknown, count: kinds.count)
        var results: [ChunkResult] = []
        var hints = [TextHint?](repeating: nil, count: kinds.count)
        // Text columns are joined window by window on one more thread, while the next window is parsed.
        let keep = layout.selected(options) ?? layout.names.map { _ in true }
        let joiner = TextJoiner(keep: keep, names: layout.names, file: path, lines: lines)
        defer { joiner.wait() }  // an error leaves no thread working on the chunks
        while true {
            try input.fill()
            if input.count == 0 { break }
            // One chunk per thread. Smaller chunks taken by whichever thread is free would not wait for a slow core
            // (a profile showed one core alone for 20–30 ms of a 45 ms window while the VM held the other), but their
            // column buffers fall under glibc's mmap threshold into the worker threads' heaps, which keep freed memory:
            // with four chunks a thread, opening a 1M-row file peaked at 211 MB instead of 131 MB.
            var bounds = cuts(input, delimiter: layout.delimiter, threads: threads, perThread: perThread)
            if bounds.count == 1 {
                if input.atEnd {
                    bounds.append(input.count)  // the last record, without a line end
                } else {
                    try input.grow()  // not one whole record yet (a long quoted field, or lines ended by CR alone)
                    continue
                }
            }
            guard let last = bounds.last else { break }
            var parser = CSVChunkParser(delimiter: layout.delimiter, columnCount: kinds.count, kinds: kinds,
                                        options: options, missing: missing)
            parser.only = layout.selected(options)
            parser.textHints = hints
            let chunks = (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }
            let batch = CSVReader.parseChunks(parser, UnsafePointer(input.buffer), chunks, base: input.start)
            if let failure = batch.lazy.compactMap(\.failure).first {
                try input.checkUnchanged()  // a file rewritten meanwhile is that error, not the damage it did
                throw CSVReader.error(for: failure, names: layout.names, file: path, lines: lines, options: options)
            }
            for c in kinds.indices where kinds[c] == nil {
                for r in batch {
                    let acc = r.accumulators[c]
                    seen[c] = acc.needsText ? nil : seen[c]?.unified(with: acc.kind)
                }
                if seen[c] == nil { kinds[c] = .text }
            }
            // Read before the joiner takes the chunks' interners over.
            for c in hints.indices {
                let text = batch.lazy.filter { c < $0.accumulators.count && $0.accumulators[c].kind == .text }.map { $0.accumulators[c].dictionary }
                guard !text.isEmpty else { continue }
                hints[c] = TextHint(distinct: text.map { $0.keepsEveryValue ? 0 : $0.count }.max() ?? 0,
                                    keptEveryValue: text.allSatisfy(\.keepsEveryValue))
            }
            results += batch
            // The last window's chunks are joined with the other columns, in parallel, at the end.
            // The rows the file will have, from the bytes a row took so far (a little over, so that a text column's
            // codes are allocated once); the joiner's builders reserve for as many.
            rowsRead += batch.reduce(0) { $0 + $1.rows }
            let bytesRead = input.start + last - dataStart
            let expected = bytesRead > 0 ? Int(Double(rowsRead) * Double(input.size - dataStart) / Double(bytesRead) * 1.02) + 1024 : 0
            if !(input.atEnd && last == input.count) { joiner.add(batch, expectedRows: expected) }
            input.consume(last)
        }
        try input.checkUnchanged()
        joiner.wait()

        let parser = CSVChunkParser(delimiter: layout.delimiter, columnCount: kinds.count, kinds: layout.kinds,
                                    options: options, missing: missing)
        let final = try CSVReader.widen(&results, forced: layout.kinds, parser: parser, batch: threads) { range in
            try input.load(range)
            return (UnsafePointer(input.buffer), range.lowerBound)
        }
        return try CSVReader.assemble(results, layout: layout, kinds: final, file: path, options: options, lines: lines,
                                      text: joiner.builders)
    }

    /// The whole file read into memory and parsed there.
    static func whole(path: String, options: CSVOptions, fileExtension: String) throws -> (Frame, [DataWarning]) {
        try CSVReader.read(bytes: FileCheck.readAll(path), file: path, options: options, fileExtension: fileExtension)
    }

    /// Where to cut the buffer into one chunk per thread: record starts near equal shares of one window
    /// (`perThread` bytes a thread), the last a little before the window's end so the next window starts at a
    /// record. When the buffer holds the rest of the file, the last chunk ends at the end. `[0]` alone: no
    /// whole record in the buffer.
    static func cuts(_ input: WindowedFile, delimiter: UInt8, threads: Int, perThread: Int) -> [Int] {
        var cutter = RecordCutter(p: UnsafePointer(input.buffer), end: input.count, delimiter: delimiter)
        var bounds = [0]
        let n = input.count
        let span = min(n, perThread * threads)
        let rest = input.atEnd && span == n
        let slack = rest ? 0 : span / (16 * threads)
        for k in 1...threads {
            let target = max(1, k * span / threads - slack)
            guard let last = bounds.last, target < n, let cut = cutter.cut(after: max(target, last)) else { break }
            bounds.append(cut)
        }
        if rest, let last = bounds.last, last < n { bounds.append(n) }
        return bounds
    }
}

/// Joins each text column's chunks into its `TextColumnBuilder` as the windows are parsed, on a serial queue (one
/// thread beside the parsers), so each chunk's interner and codes are freed a window later rather than at the end.
/// Only a prefix of a column's chunks is joined — those read as text (or with every value missing, once text was
/// seen) — so the dictionary's order (first appearance) stays the file's: the first chunk of a column read as
/// another kind stops the joining of that column, and the merge at the end joins the rest after `widen` parsed
/// them again as text. A joined chunk keeps its kind and counts (what `widen` reads), only its storage is freed.
final class TextJoiner: @unchecked Sendable {
    /// Column `c`'s joined chunks; nil for a column not loaded.
    let builders: [TextColumnBuilder?]
    private var stopped: [Bool]
    private let names: [String]
    private let file: String
    private let lines: LineIndex
    private let queue = DispatchQueue(label: "petal.csv.text-joiner")

    init(keep: [Bool], names: [String], file: String, lines: LineIndex) {
        builders = keep.map { $0 ? TextColumnBuilder() : nil }
        stopped = [Bool](repeating: false, count: keep.count)
        self.names = names
        self.file = file
        self.lines = lines
    }

    /// Joins `batch` (the next chunks, in file order) after the batches before it. The caller does not touch
    /// their accumulators again until `wait` returns.
    /// `expectedRows`: the reader's estimate of the file's rows (`TextColumnBuilder.expect`).
    func add(_ batch: [ChunkResult], expectedRows: Int = 0) {
        let chunks = UncheckedSendable(batch)
        queue.async {
            for b in self.builders { b?.expect(rows: expectedRows) }
            self.join(chunks.value)
        }
    }

    /// Returns when every batch given is joined.
    func wait() { queue.sync {} }

    private func join(_ batch: [ChunkResult]) {
        for c in builders.indices {
            guard let builder = builders[c], !stopped[c] else { continue }
            for r in batch where c < r.accumulators.count {
                let a = r.accumulators[c]
                let joinable = !a.needsText && (a.kind == .text || (a.kind == .unknown && builder.isText))
                guard joinable else { stopped[c] = true; break }
                do {
                    try builder.add(a, name: names[c], file: file, lines: lines)
                } catch {
                    stopped[c] = true  // the builder keeps the error; the merge at the end throws it
                    break
                }
            }
        }
    }
}

/// A regular file read through one buffer: `buffer[0..<count]` holds the file's bytes from offset `start`.
/// Read with `pread`, never mapped; the file's size and modification time are checked at the end.
final class WindowedFile {
    let path: String
    let size: Int
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var start = 0
    private(set) var count = 0
    private let fd: Int32
    private let before: stat
    private let lines: LineIndex
    /// Threads a large read is split between (`fill`).
    private let threads: Int

    init(path: String, capacity: Int, lines: LineIndex, threads: Int = 1) throws {
        self.threads = max(1, threads)
        fd = try FileCheck.openForReading(path)
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw FileCheck.readError(path, errno: e)
        }
        do { try FileCheck.requireRegular(st, path: path) } catch { close(fd); throw error }
        before = st
        self.path = path
        self.lines = lines
        size = Int(st.st_size)
        self.capacity = capacity
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    /// True when the buffer reaches the end of the file.
    var atEnd: Bool { start + count >= size }

    /// Reads until the buffer is full or the file ends; the new bytes are checked for NUL. A large read is split
    /// into one piece per thread, each read and checked on its own core: between two windows the parsers wait for
    /// this, and on one core it was a tenth of opening a 100 MB file (16 MB copied and scanned per window).
    func fill() throws {
        let wanted = min(capacity - count, size - start - count)
        guard wanted > 0 else { return }
        let pieces = wanted >= WindowedFile.pieceMinimum * 2 ? max(1, min(threads, wanted / WindowedFile.pieceMinimum)) : 1
        let from = count
        let bounds = (0...pieces).map { from + $0 * wanted / pieces }
        let problems = ConcurrentSlots<ReadProblem>(pieces)
        let file = UncheckedSendable(self)  // each piece writes its own bytes of the buffer
        DispatchQueue.concurrentPerform(iterations: pieces) { k in
            if let problem = file.value.read(bounds[k]..<bounds[k + 1]) { problems.set(k, problem) }
        }
        // The first problem in the file's order is the one reported (a NUL: the file's first).
        switch problems.values.first {
        case nil: count += wanted
        case .error(let e): throw FileCheck.readError(path, errno: e)
        case .shorter: throw FileCheck.changed(path, from: size, to: currentSize())
        case .nul(let at):
            try checkUnchanged()
            throw CSVReader.nulError(at: start + at, file: path, lines: lines)
        }
    }

    /// Bytes below which a read is not split between threads.
    static let pieceMinimum = 1 << 20

    enum ReadProblem { case error(Int32), shorter, nul(Int) }

    /// Reads the file's bytes for `buffer[range]` and checks them for NUL; nil when all went well.
    private func read(_ range: Range<Int>) -> ReadProblem? {
        var at = range.lowerBound
        while at < range.upperBound {
            let n = pread(fd, buffer + at, range.upperBound - at, off_t(start + at))
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .error(errno)
            }
            if n == 0 { return .shorter }  // it got shorter
            if let nul = memchr(buffer + at, 0, n) { return .nul(nul.assumingMemoryBound(to: UInt8.self) - buffer) }
            at += n
        }
        return nil
    }

    /// Drops the first `n` bytes (parsed), moving the rest to the front.
    func consume(_ n: Int) {
        let k = min(n, count)
        if k < count { memmove(buffer, buffer + k, count - k) }
        start += k
        count -= k
    }

    /// Doubles the buffer and reads more.
    func grow() throws {
        try reserve(capacity * 2)
        try fill()
    }

    private func reserve(_ n: Int) throws {
        guard n > capacity else { return }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        fresh.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = fresh
        capacity = n
    }

    /// Holds exactly the bytes of `range` (offsets in the file), to parse them again.
    func load(_ range: Range<Int>) throws {
        try reserve(range.count)
        start = range.lowerBound
        count = 0
        while count < range.count {
            let n = pread(fd, buffer + count, range.count - count, off_t(start + count))
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw FileCheck.readError(path, errno: errno)
            }
            if n == 0 { throw FileCheck.changed(path, from: size, to: currentSize()) }
            count += n
        }
    }

    /// Throws when the file grew, shrank or was rewritten since it was opened (what `FileCheck.readAll` checks).
    func checkUnchanged() throws {
        var extra: UInt8 = 0
        var n = pread(fd, &extra, 1, off_t(size))
        while n < 0 && errno == EINTR { n = pread(fd, &extra, 1, off_t(size)) }
        var after = stat()
        guard fstat(fd, &after) == 0 else { throw FileCheck.readError(path, errno: errno) }
        if n > 0 || Int(after.st_size) != size || FileCheck.modified(after) != FileCheck.modified(before) {
            throw FileCheck.changed(path, from: size, to: Int(after.st_size))
        }
    }

    private func currentSize() -> Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }
}
