import Foundation

/// Why a chunk stopped early. Offsets are byte positions in the file, turned into lines and columns later.
enum ChunkFailure: Sendable {
    case unterminatedQuote(offset: Int, field: Int)
    case badLine(offset: Int, fields: Int)
    case forcedType(offset: Int, field: Int, expected: ColumnType)
    case cancelled
}

/// The columns parsed from one byte range of a delimited file.
struct ChunkResult {
    var accumulators: [ColumnAccumulator]
    var rows = 0
    /// Lines dropped under `on_bad_lines=skip|warn`: their offset and field count.
    var badLines: [(offset: Int, fields: Int)] = []
    var failure: ChunkFailure?
}

/// Parses whole records in `start..<end` of a buffer into column accumulators.
/// RFC 4180: quoted fields may hold delimiters, doubled quotes and newlines. Outside quotes a record ends at LF,
/// CRLF or a lone CR (classic Mac files), as pandas and Python's csv module read them.
struct CSVChunkParser {
    let delimiter: UInt8
    let columnCount: Int
    let kinds: [ColumnType?]
    let options: CSVOptions
    let missing: MissingMarkers

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    func parse(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, expectedRows: Int) -> ChunkResult {
        let accs = kinds.map { ColumnAccumulator(forced: $0) }
        for a in accs { a.reserve(expectedRows) }
        var result = ChunkResult(accumulators: accs)
        // Unretained references: `result` keeps the accumulators alive, and the hot loop skips retain/release.
        let handles = accs.map { Unmanaged.passUnretained($0) }
        var scratch: [UInt8] = []
        var pos = start
        var reported = start
        defer { options.control?.advance(by: pos - reported) }
        let delim = delimiter
        let ncols = columnCount
        while pos < end {
            // Blank lines are skipped, as pandas does.
            if p[pos] == CSVChunkParser.newline || p[pos] == CSVChunkParser.cr { pos += 1; continue }
            let lineStart = pos
            var field = 0
            var recordDone = false
            while !recordDone {
                let fieldStart = pos
                var contentStart = pos
                var contentEnd = pos
                var usesScratch = false
                var quoted = false
                if pos < end && p[pos] == CSVChunkParser.quote {
                    // Quoted field.
                    quoted = true
                    pos += 1
                    contentStart = pos
                    var escaped = false
                    while true {
                        guard let q = memchr(p + pos, Int32(CSVChunkParser.quote), end - pos) else {
                            result.failure = .unterminatedQuote(offset: fieldStart, field: field)
                            return finish(result)
                        }
                        let qi = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
                        if qi + 1 < end && p[qi + 1] == CSVChunkParser.quote {
                            escaped = true
                            pos = qi + 2
                            continue
                        }
                        contentEnd = qi
                        pos = qi + 1
                        break
                    }
                    // Bytes after the closing quote (other than the delimiter) are kept, as pandas keeps them.
                    let trailingStart = pos
                    while pos < end && p[pos] != delim && p[pos] != CSVChunkParser.newline && p[pos] != CSVChunkParser.cr { pos += 1 }
                    let trailingEnd = pos
                    if escaped || trailingEnd > trailingStart {
                        scratch.removeAll(keepingCapacity: true)
                        var i = contentStart
                        while i < contentEnd {
                            scratch.append(p[i])
                            i += (p[i] == CSVChunkParser.quote) ? 2 : 1
                        }
                        scratch.append(contentsOf: UnsafeBufferPointer(start: p + trailingStart, count: trailingEnd - trailingStart))
                        usesScratch = true
                    }
                } else {
                    // Unquoted field: scan to the delimiter or the end of the line.
                    while pos < end {
                        let b = p[pos]
                        if b == delim || b == CSVChunkParser.newline || b == CSVChunkParser.cr { break }
                        pos += 1
                    }
                    contentEnd = pos
                }
                if field < ncols {
                    let failed = handles[field]._withUnsafeGuaranteedRef { acc -> Bool in
                        if usesScratch {
                            scratch.withUnsafeBufferPointer { buf in
                                deliver(acc, buf.baseAddress ?? p, 0, buf.baseAddress == nil ? 0 : buf.count, offset: fieldStart, quoted: quoted)
                            }
                        } else {
                            deliver(acc, p, contentStart, contentEnd, offset: fieldStart, quoted: quoted)
                        }
                        return acc.forcedFailure != nil
                    }
                    if failed, let failure = accs[field].forcedFailure {
                        result.failure = .forcedType(offset: failure.offset, field: field, expected: failure.expected)
                        return finish(result)
                    }
                }
                field += 1
                if pos < end && p[pos] == delim {
                    pos += 1
                    if pos == end { // a trailing delimiter at the very end of the file: one more empty field
                        if field < ncols { accs[field].appendNull() }
                        field += 1
                        recordDone = true
                    }
                } else {
                    // The line end: LF, CR or CRLF.
                    if pos < end {
                        if p[pos] == CSVChunkParser.cr && pos + 1 < end && p[pos + 1] == CSVChunkParser.newline { pos += 1 }
                        pos += 1
                    }
                    recordDone = true
                }
            }
            if field != ncols {
                // A ragged line: undo what it added, then follow the policy.
                for k in 0..<min(field, ncols) { accs[k].dropLast() }
                if options.onBadLines == .error {
                    result.failure = .badLine(offset: lineStart, fields: field)
                    return finish(result)
                }
                result.badLines.append((lineStart, field))
                continue
            }
            result.rows += 1
            if result.rows & 0x3FFF == 0, let control = options.control {
                // Every 16,384 rows: report progress and honour a cancel.
                control.advance(by: pos - reported)
                reported = pos
                if control.isCancelled {
                    result.failure = .cancelled
                    return finish(result)
                }
            }
        }
        return finish(result)
    }

    /// A quoted missing marker (`"NA"`) is text: writers quote a text value that spells a marker (CSVField) so it
    /// survives the round trip. A quoted empty field is still missing, as in pandas.
    @inline(__always)
    private func deliver(_ acc: ColumnAccumulator, _ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, offset: Int, quoted: Bool) {
        // Numbers first: a field that parses is never a missing marker, so the common case skips that check.
        if acc.kind == .float, e > s, p[s] &- 48 < 10 || p[s] == UInt8(ascii: "-"),
           let v = FieldParsers.parseDouble(p, s, e, thousands: options.thousands, decimal: options.decimal) {
            acc.appendFloat(v)
            return
        }
        if (!quoted || e == s) && missing.contains(p, s, e) { acc.appendNull() } else { acc.append(p, s, e, offset: offset, options: options) }
    }

    private func finish(_ r: ChunkResult) -> ChunkResult {
        for a in r.accumulators { a.finish() }
        return r
    }
}

extension ColumnAccumulator {
    /// Removes the last row (used when a ragged line is dropped).
    func dropLast() {
        guard count > 0 else { return }
        count -= 1
        if hasNulls {
            if !validity[count] { nullCount -= 1 }
            validity.removeLast()
        }
        if ints.count > count { ints.removeLast() }
        if floats.count > count { floats.removeLast() }
        if bools.count > count { bools.removeLast() }
        if micros.count > count { micros.removeLast() }
        if codes.count > count { codes.removeLast() }
    }
}
