import Foundation

/// What a delimited file's first lines say: the delimiter, the column names, the types the user forced, and
/// where the data starts. Shared by the in-memory reader and the file reader, which reads it from its first window.
struct CSVLayout {
    var delimiter: UInt8
    var names: [String]
    var kinds: [ColumnType?]
    var dataStart: Int
    var warnings: [DataWarning]

    /// Which columns to parse and keep under `options.onlyColumns` (nil: all), for `CSVChunkParser.only`.
    func selected(_ options: CSVOptions) -> [Bool]? {
        options.onlyColumns.map { only in names.map { only.contains($0) } }
    }

    /// The delimiter is guessed from the first 20 lines within this many bytes of the first line.
    static let sniffBytes = 64 << 10

    /// Reads the layout from `p[start..<end]`. When `complete` is false (more of the file follows), returns nil
    /// if the header, or the bytes the delimiter is guessed from, may run past `end`: read more and call again.
    static func read(_ p: UnsafePointer<UInt8>, start: Int, end: Int, complete: Bool, file: String,
                     options: CSVOptions, fileExtension: String, lines: LineIndex) throws -> CSVLayout? {
        var first = start
        while first < end && (p[first] == 0x0A || p[first] == 0x0D || p[first] == 0x20 || p[first] == 0x09) { first += 1 }
        guard first < end else {
            if !complete { return nil }
            throw PetalError("the file is empty", at: SourceLocation(file: file),
                            hint: "a CSV file needs a header line naming the columns, then one line per row")
        }
        let ext = fileExtension.lowercased()
        let delimiter: UInt8
        if let d = options.delimiter {
            delimiter = d
        } else if TSVLoader.fileExtensions.contains(ext) {
            delimiter = 0x09
        } else {
            if !complete && end - first < sniffBytes { return nil }
            delimiter = CSVReader.sniffDelimiter(p, first, min(end, first + sniffBytes))
        }
        var warnings: [DataWarning] = []

        // Header.
        let headerFields: [[UInt8]]
        let afterHeader: Int
        do {
            (headerFields, afterHeader) = try CSVReader.splitRecord(p, first, end, delimiter: delimiter, file: file, lines: lines)
        } catch where !complete {
            return nil  // a quoted header field that goes on past what has been read
        }
        if !complete && afterHeader == end { return nil }  // the line (or its CRLF) may go on
        var names: [String]
        let dataStart: Int
        if options.hasHeader {
            names = []
            for (k, field) in headerFields.enumerated() {
                guard let name = String(validating: field, as: UTF8.self) else {
                    throw PetalError("the header's field \(k + 1) is not valid UTF-8",
                                    at: SourceLocation(file: file, line: lines.position(of: first).line, column: k + 1),
                                    hint: "re-save the file as UTF-8, or open it with encoding=latin1")
                }
                names.append(name.trimmingCharacters(in: .whitespaces))
            }
            dataStart = afterHeader
        } else {
            names = (1...max(1, headerFields.count)).map { "column_\($0)" }
            dataStart = first
        }
        names = ColumnNames.deduplicated(names, file: file, warnings: &warnings)

        // Types forced by the user.
        var kinds = [ColumnType?](repeating: nil, count: names.count)
        for (name, type) in options.types {
            guard let i = names.firstIndex(of: name) else {
                throw PetalError("types= names a column \"\(name)\" that the file does not have",
                                at: SourceLocation(file: file), hint: "columns are: " + names.joined(separator: ", "))
            }
            kinds[i] = type
        }
        return CSVLayout(delimiter: delimiter, names: names, kinds: kinds, dataStart: dataStart, warnings: warnings)
    }
}

extension CSVReader {
    /// A column whose chunks disagree (an int in one, text in another) or that met a value of another type is
    /// text. Parses just those columns again, as text, in the chunks that read them as something else, instead
    /// of the whole file: a file that turns a column to text in its last row costs one more pass over that
    /// column, not a second load. `bytes` gives the file's bytes for a range of offsets (a pointer and the offset
    /// of its first byte); `batch` chunks are parsed at once, in parallel. Returns the final column types.
    static func widen(_ results: inout [ChunkResult], forced: [ColumnType?], parser: CSVChunkParser, batch: Int,
                      bytes: (Range<Int>) throws -> (UnsafePointer<UInt8>, Int)) throws -> [ColumnType?] {
        var kinds = forced
        var redo = [Bool](repeating: false, count: forced.count)
        for c in forced.indices where forced[c] == nil {
            var unified: AccumulatorKind? = .unknown
            for r in results {
                let acc = r.accumulators[c]
                if acc.needsText { unified = nil; break }
                unified = unified?.unified(with: acc.kind)
            }
            if unified == nil { kinds[c] = .text; redo[c] = true }
        }
        guard redo.contains(true) else { return kinds }
        var jobs: [(chunk: Int, only: [Bool])] = []
        for (k, r) in results.enumerated() {
            let only = forced.indices.map { c -> Bool in
                let acc = r.accumulators[c]
                return redo[c] && (acc.needsText || (acc.kind != .text && acc.kind != .unknown))
            }
            if only.contains(true) { jobs.append((k, only)) }
        }
        var options = parser.options
        options.control = nil  // progress was reported by the first pass
        let base = CSVChunkParser(delimiter: parser.delimiter, columnCount: parser.columnCount, kinds: kinds,
                                  options: options, missing: parser.missing)
        var next = 0
        while next < jobs.count {
            let group = Array(jobs[next..<min(jobs.count, next + max(1, batch))])
            next += group.count
            guard let firstJob = group.first, let lastJob = group.last else { break }
            let union = results[firstJob.chunk].range.lowerBound..<results[lastJob.chunk].range.upperBound
            let (p, offset) = try bytes(union)
            let ranges = group.map { results[$0.chunk].range }
            let rows = group.map { results[$0.chunk].rows }
            let box = ConcurrentSlots<ChunkResult>(group.count)
            let ptr = UncheckedSendable(p)
            DispatchQueue.concurrentPerform(iterations: group.count) { k in
                var parser = base
                parser.only = group[k].only
                box.set(k, parser.parse(ptr.value, from: ranges[k].lowerBound - offset, to: ranges[k].upperBound - offset,
                                        base: offset, expectedRows: rows[k]))
            }
            for (k, job) in group.enumerated() {
                guard let fresh = box.slots[k] else { throw PetalError("internal: a chunk was not parsed again") }
                for c in forced.indices where job.only[c] { results[job.chunk].accumulators[c] = fresh.accumulators[c] }
            }
        }
        return kinds
    }

    /// The frame from parsed chunks: warnings for skipped lines, the columns joined, hints about number formats.
    static func assemble(_ results: [ChunkResult], layout: CSVLayout, kinds: [ColumnType?], file: String,
                         options: CSVOptions, lines: LineIndex, text: [TextColumnBuilder?] = []) throws -> (Frame, [DataWarning]) {
        var warnings = layout.warnings
        let names = layout.names
        let bad = results.flatMap(\.badLines)
        if !bad.isEmpty && options.onBadLines == .warn {
            for b in bad.prefix(10) {
                warnings.append(DataWarning("skipped a line with \(b.fields) fields (expected \(names.count))",
                                            at: SourceLocation(file: file, line: lines.position(of: b.offset).line)))
            }
            if bad.count > 10 { warnings.append(DataWarning("skipped \(bad.count - 10) more lines with the wrong number of fields", at: SourceLocation(file: file))) }
        }
        let keep = layout.selected(options) ?? names.map { _ in true }
        let columns = try mergeColumns(results, names: names, kinds: kinds, keep: keep, file: file, lines: lines, text: text)
        let frame = try Frame(columns: columns)
        if frame.rowCount == 0 {
            warnings.append(DataWarning("the file has a header but no data rows", at: SourceLocation(file: file)))
        }
        warnings += ColumnNames.thousandsHints(frame, file: file, options: options)
        return (frame, warnings)
    }

    /// The error for a NUL byte at `offset`.
    static func nulError(at offset: Int, file: String, lines: LineIndex) -> PetalError {
        let (line, col) = lines.position(of: offset)
        return PetalError("found a NUL byte: this looks like a binary file, not text",
                         at: SourceLocation(file: file, line: line, column: col),
                         hint: "check that the file is really CSV; if it is UTF-16, re-save it as UTF-8")
    }
}
