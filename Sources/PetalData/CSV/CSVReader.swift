import Foundation

/// Reads delimited text (CSV, TSV, any one-byte delimiter) straight into typed columns, in parallel chunks.
public enum CSVReader {
    /// Parses `bytes` (the whole file) into a frame. `file` names the source in errors and warnings.
    /// - Throws: `PetalError` naming the file, line and field for malformed input.
    public static func read(bytes input: [UInt8], file: String, options: CSVOptions = CSVOptions(),
                            fileExtension: String = "") throws -> (Frame, [DataWarning]) {
        let bytes = options.latin1 ? Latin1.toUTF8(input) : input
        var converted = options
        converted.latin1 = false
        return try bytes.withUnsafeBufferPointer { buf in
            try read(buffer: UnsafeRawBufferPointer(buf), file: file, options: converted, fileExtension: fileExtension)
        }
    }

    /// Parses a file's bytes in place (e.g. memory-mapped) into a frame.
    public static func read(buffer: UnsafeRawBufferPointer, file: String, options: CSVOptions = CSVOptions(),
                            fileExtension: String = "") throws -> (Frame, [DataWarning]) {
        if options.latin1 {
            var o = options
            o.latin1 = false
            return try read(bytes: Latin1.toUTF8(Array(buffer.bindMemory(to: UInt8.self))), file: file, options: o, fileExtension: fileExtension)
        }
        let buf = buffer.bindMemory(to: UInt8.self)
        guard let base = buf.baseAddress, !buf.isEmpty else {
            throw PetalError("the file is empty", at: SourceLocation(file: file),
                            hint: "a CSV file needs a header line naming the columns, then one line per row")
        }
        if let (encoding, bom) = TextEncoding.detect(buf) {
            // UTF-16/32 (Excel's "Unicode text", PowerShell's default): converted, then read as UTF-8.
            let utf8 = try encoding.toUTF8(buf, bom: bom, file: file)
            var (frame, warnings) = try read(bytes: utf8, file: file, options: options, fileExtension: fileExtension)
            warnings.insert(DataWarning("the file is \(encoding.rawValue) text; it was converted to UTF-8", at: SourceLocation(file: file)), at: 0)
            return (frame, warnings)
        }
        var start = 0
        if buf.count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 } // UTF-8 BOM
        return try read(base, start: start, end: buf.count, file: file, options: options, fileExtension: fileExtension)
    }

    static func read(_ p: UnsafePointer<UInt8>, start: Int, end: Int, file: String, options: CSVOptions,
                     fileExtension: String) throws -> (Frame, [DataWarning]) {
        try options.validate()
        let lines = LineIndex(p, end: end)
        if let nul = memchr(p + start, 0, end - start) {
            throw nulError(at: UnsafePointer<UInt8>(nul.assumingMemoryBound(to: UInt8.self)) - p, file: file, lines: lines)
        }
        guard let layout = try CSVLayout.read(p, start: start, end: end, complete: true, file: file, options: options,
                                              fileExtension: fileExtension, lines: lines) else {
            throw PetalError("internal: the header could not be read", at: SourceLocation(file: file))
        }
        let missing = MissingMarkers(extra: options.extraMissing)
        let chunks = chunkBoundaries(p, layout.dataStart, end, delimiter: layout.delimiter, threads: options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        options.control?.setTotal(end - layout.dataStart)
        var parser = CSVChunkParser(delimiter: layout.delimiter, columnCount: layout.names.count, kinds: layout.kinds,
                                    options: options, missing: missing)
        parser.only = layout.selected(options)
        var results = parseChunks(parser, p, chunks)
        if let failure = results.lazy.compactMap(\.failure).first {
            throw error(for: failure, names: layout.names, file: file, lines: lines, options: options)
        }
        let kinds = try widen(&results, forced: layout.kinds, parser: parser, batch: results.count) { _ in (p, 0) }
        return try assemble(results, layout: layout, kinds: kinds, file: file, options: options, lines: lines)
    }

    // MARK: - Chunks


    /// Joins each column's chunks, columns in parallel.
    /// Only the columns `keep` marks are merged (the others were not parsed).
    /// `text[c]`, when given, holds column `c`'s first chunks already joined as text.
    static func mergeColumns(_ results: [ChunkResult], names: [String], kinds: [ColumnType?], keep: [Bool], file: String,
                             lines: LineIndex, text: [TextColumnBuilder?] = []) throws -> [Column] {
        let kept = names.indices.filter { keep[$0] }
        let box = ConcurrentSlots<Result<Column, PetalError>>(kept.count)
        let lineIndex = UncheckedSendable(lines)
        let chunks = UncheckedSendable(results)
        let joined = UncheckedSendable(text)
        DispatchQueue.concurrentPerform(iterations: kept.count) { k in
            let c = kept[k]
            do {
                let column = try ChunkMerger.merge(chunks.value.map { $0.accumulators[c] }, name: names[c], forced: kinds[c],
                                                   file: file, lines: lineIndex.value,
                                                   text: joined.value.indices.contains(c) ? joined.value[c] : nil)
                box.set(k, .success(column))
            } catch let e as PetalError {
                box.set(k, .failure(e))
            } catch {
                box.set(k, .failure(PetalError("\(error)")))
            }
        }
        return try box.slots.map { r in
            guard let r else { throw PetalError("internal: a column was not merged") }
            return try r.get()
        }
    }

    /// Splits `start..<end` into up to `threads` ranges that begin at record starts, cut by `RecordCutter` (the
    /// parser's own quoting rule, so a stray quote in an unquoted field cannot move a cut into a record).
    static func chunkBoundaries(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, delimiter: UInt8, threads: Int) -> [Range<Int>] {
        let minimumChunk = 1 << 20
        let n = max(1, min(threads, (end - start) / minimumChunk))
        guard n > 1 else { return [start..<end] }
        var cutter = RecordCutter(p: p, start: start, end: end, delimiter: delimiter)
        var bounds = [start]
        for k in 1..<n {
            guard let last = bounds.last, let cut = cutter.cut(after: max(start + (end - start) * k / n, last)), cut < end else { break }
            bounds.append(cut)
        }
        bounds.append(end)
        return (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }
    }

    private struct SendablePointer: @unchecked Sendable { let p: UnsafePointer<UInt8> }

    /// Parses `chunks` of `p` in parallel. `base` is the file offset of `p[0]`.
    static func parseChunks(_ parser: CSVChunkParser, _ p: UnsafePointer<UInt8>, _ chunks: [Range<Int>], base: Int = 0) -> [ChunkResult] {
        if chunks.count == 1, let only = chunks.first {
            return [parser.parse(p, from: only.lowerBound, to: only.upperBound, base: base,
                                 expectedRows: base == 0 ? 1024 : estimateRows(p, only))]
        }
        let box = ConcurrentSlots<ChunkResult>(chunks.count)
        let ptr = SendablePointer(p: p)
        let estimate = estimateRows(p, chunks[0])
        DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
            let r = chunks[k]
            box.set(k, parser.parse(ptr.p, from: r.lowerBound, to: r.upperBound, base: base,
                                    expectedRows: estimate * (r.count) / max(1, chunks[0].count)))
        }
        return box.values
    }

    /// Rows in a chunk, estimated from the newlines in its first 64 KiB.
    static func estimateRows(_ p: UnsafePointer<UInt8>, _ r: Range<Int>) -> Int {
        let probe = min(r.count, 1 << 16)
        var lines = 0
        for i in r.lowerBound..<(r.lowerBound + probe) where p[i] == 0x0A { lines += 1 }
        return max(16, Int(Double(lines) * Double(r.count) / Double(max(1, probe)) * 1.05))
    }

    // MARK: - Records outside the fast path

    /// Splits one record starting at `start` into raw fields (quotes removed). Returns the fields and the next record's start.
    static func splitRecord(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, delimiter: UInt8,
                            file: String, lines: LineIndex) throws -> ([[UInt8]], Int) {
        var fields: [[UInt8]] = []
        var current: [UInt8] = []
        var i = start
        var inQuotes = false
        var fieldStart = start
        while i < end {
            let b = p[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < end && p[i + 1] == 0x22 { current.append(0x22); i += 2; continue }
                    inQuotes = false
                } else { current.append(b) }
                i += 1
                continue
            }
            if b == 0x22 && i == fieldStart { inQuotes = true; i += 1; continue }
            if b == delimiter { fields.append(current); current = []; i += 1; fieldStart = i; continue }
            if b == 0x0A { i += 1; break }
            if b == 0x0D { i += (i + 1 < end && p[i + 1] == 0x0A) ? 2 : 1; break }  // CRLF or a lone CR
            current.append(b)
            i += 1
        }
        if inQuotes {
            let (line, _) = lines.position(of: fieldStart)
            throw PetalError("a quoted field is never closed (no matching \")", at: SourceLocation(file: file, line: line, column: fields.count + 1),
                            hint: "add the closing quote, or double any quote inside the field (\"\")")
        }
        fields.append(current)
        return (fields, i)
    }

    /// Picks the delimiter that splits the first lines into the same, largest number of fields.
    static func sniffDelimiter(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt8 {
        let candidates: [UInt8] = [0x2C, 0x09, 0x3B, 0x7C]
        var counts = [[Int]](repeating: [], count: candidates.count)
        var perLine = [Int](repeating: 0, count: candidates.count)
        var i = start
        var inQuotes = false
        var lines = 0
        while i < end && lines < 20 {
            let b = p[i]
            if b == 0x22 { inQuotes.toggle() }
            if !inQuotes {
                // LF, or a CR not followed by LF (classic Mac line ends).
                if b == 0x0A || (b == 0x0D && (i + 1 == end || p[i + 1] != 0x0A)) {
                    for k in candidates.indices { counts[k].append(perLine[k]); perLine[k] = 0 }
                    lines += 1
                } else if let k = candidates.firstIndex(of: b) { perLine[k] += 1 }
            }
            i += 1
        }
        if perLine.contains(where: { $0 > 0 }) { for k in candidates.indices { counts[k].append(perLine[k]) } }
        var best: UInt8 = 0x2C
        var bestScore = 0
        for k in candidates.indices {
            let c = counts[k]
            guard let firstCount = c.first, firstCount > 0 else { continue }
            let consistent = c.filter { $0 == firstCount }.count
            let score = consistent * 1000 + firstCount
            if score > bestScore { bestScore = score; best = candidates[k] }
        }
        return best
    }

    static func error(for failure: ChunkFailure, names: [String], file: String, lines: LineIndex, options: CSVOptions) -> PetalError {
        switch failure {
        case .unterminatedQuote(let offset, let field):
            let (line, _) = lines.position(of: offset)
            return PetalError("a quoted field is never closed (no matching \")",
                             at: SourceLocation(file: file, line: line, column: field + 1, field: names.indices.contains(field) ? names[field] : nil),
                             hint: "add the closing quote, or double any quote inside the field (\"\")")
        case .badLine(let offset, let fields):
            let (line, _) = lines.position(of: offset)
            return PetalError("expected \(names.count) fields but found \(fields)",
                             at: SourceLocation(file: file, line: line, column: min(fields, names.count + 1)),
                             hint: "fix the line, or open with on_bad_lines=skip (or warn) to leave such lines out")
        case .cancelled:
            return PetalError("loading was cancelled", at: SourceLocation(file: file), hint: "open it again to load it")
        case .forcedType(let offset, let field, let expected):
            let (line, _) = lines.position(of: offset)
            return PetalError("the value is not a valid \(expected.rawValue), as types= asks for this column",
                             at: SourceLocation(file: file, line: line, column: field + 1, field: names.indices.contains(field) ? names[field] : nil),
                             hint: "fix the value, or drop this column from types= to let Petal infer its type")
        }
    }
}

/// Wraps a value that is only read, never mutated, across threads.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
