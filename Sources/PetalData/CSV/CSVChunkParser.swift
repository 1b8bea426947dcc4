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
    /// The bytes it was parsed from, as offsets in the file (to parse a column again when it turns out to be text).
    var range: Range<Int> = 0..<0
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
    /// The number parsers' tables, fetched once (see `DecimalTables`).
    let tables = DecimalTables.shared
    let missing: MissingMarkers
    /// Columns to fill; the others are skipped (nil: all). Used to parse a widened column again on its own.
    var only: [Bool]? = nil
    /// Per column, what its text chunks of the window before held (`TextHint`); empty: nothing known.
    var textHints: [TextHint?] = []

    // Literals, not UInt8(ascii:): a static initialised by a call is reached through swift_once at every use, and
    // these are read for every field (it was 1–2 % of a load's CPU).
    private static let quote: UInt8 = 0x22  // "
    private static let newline: UInt8 = 0x0A  // \n
    private static let cr: UInt8 = 0x0D  // \r

    /// Parses `p[start..<end]`, whose first byte is at offset `base` of the file (offsets in errors are the file's).
    func parse(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, base: Int = 0, expectedRows: Int) -> ChunkResult {
        let wanted = only ?? [Bool](repeating: true, count: columnCount)
        let accs = kinds.enumerated().map { c, kind in
            ColumnAccumulator(forced: wanted[c] ? kind : .text, hint: c < textHints.count ? textHints[c] : nil)
        }
        for (c, a) in accs.enumerated() where wanted[c] { a.reserve(expectedRows) }
        var result = ChunkResult(accumulators: accs, range: (start + base)..<(end + base))
        let masked = only != nil
        // A field of a column already known to hold numbers is parsed while its end is found (one pass), unless
        // user markers that look like numbers (`na=-999`) must be checked first.
        let fastNumbers = !missing.numericExtras
        let thousands = options.thousands
        let decimal = options.decimal
        // Unretained references: `result` keeps the accumulators alive, and the hot loop skips retain/release.
        let handles = accs.map { Unmanaged.passUnretained($0) }
        var scratch: [UInt8] = []
        var pos = start
        var reported = start
        defer { options.control?.advance(by: pos - reported) }
        let delim = delimiter
        let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
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
                            result.failure = .unterminatedQuote(offset: fieldStart + base, field: field)
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
                } else if fastNumbers && field < ncols && (!masked || wanted[field]),
                          let stop = handles[field]._withUnsafeGuaranteedRef({ acc -> Int? in
                              parseNumber(acc, p, pos, end, thousands: thousands, decimal: decimal)
                          }) {
                    pos = stop
                    field += 1
                    let next = CSVChunkParser.afterField(p, &pos, end, delimiter: delim)
                    recordDone = next != .nextField
                    if next == .trailingEmptyField { if field < ncols && (!masked || wanted[field]) { accs[field].appendNull() }; field += 1 }
                    continue
                } else {
                    // Unquoted field: scan to the delimiter or the end of the line, eight bytes at a time.
                    pos = CSVChunkParser.fieldEnd(p, pos, end, delimiterWord: delimiterWord)
                    contentEnd = pos
                }
                if field < ncols && (!masked || wanted[field]) {
                    let failed = handles[field]._withUnsafeGuaranteedRef { acc -> Bool in
                        if usesScratch {
                            scratch.withUnsafeBufferPointer { buf in
                                deliver(acc, buf.baseAddress ?? p, 0, buf.baseAddress == nil ? 0 : buf.count, offset: fieldStart + base, quoted: quoted)
                            }
                        } else {
                            deliver(acc, p, contentStart, contentEnd, offset: fieldStart + base, quoted: quoted)
                        }
                        return acc.forcedFailure != nil
                    }
                    if failed, let failure = accs[field].forcedFailure {
                        result.failure = .forcedType(offset: failure.offset, field: field, expected: failure.expected)
                        return finish(result)
                    }
                }
                field += 1
                let next = CSVChunkParser.afterField(p, &pos, end, delimiter: delim)
                recordDone = next != .nextField
                if next == .trailingEmptyField { if field < ncols && (!masked || wanted[field]) { accs[field].appendNull() }; field += 1 }
            }
            if field != ncols {
                // A ragged line: undo what it added, then follow the policy.
                for k in 0..<min(field, ncols) where !masked || wanted[k] { accs[k].dropLast() }
                if options.onBadLines == .error {
                    result.failure = .badLine(offset: lineStart + base, fields: field)
                    return finish(result)
                }
                result.badLines.append((lineStart + base, field))
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
        if acc.kind == .float, e > s, !missing.numericExtras, p[s] &- 48 < 10 || p[s] == UInt8(ascii: "-"),
           let v = FieldParsers.parseDouble(p, s, e, thousands: options.thousands, decimal: options.decimal, tables: tables) {
            acc.appendFloat(v)
            return
        }
        if (!quoted || e == s) && missing.contains(p, s, e) { acc.appendNull() } else { acc.append(p, s, e, offset: offset, options: options) }
    }

    /// What follows a field.
    enum FieldEnd { case nextField, lineEnd, trailingEmptyField }

    /// Moves `pos` past what ends the field at `pos`: its delimiter (`.nextField`; `.trailingEmptyField` when the
    /// delimiter is the file's last byte, which leaves one more empty field), or the line end — LF, CR or CRLF — or
    /// the end of the data (`.lineEnd`). The one place the quoted, number and plain field paths share.
    @inline(__always)
    static func afterField(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int, delimiter: UInt8) -> FieldEnd {
        if pos < end && p[pos] == delimiter {
            pos += 1
            return pos == end ? .trailingEmptyField : .nextField
        }
        if pos < end {
            if p[pos] == cr && pos + 1 < end && p[pos + 1] == newline { pos += 1 }
            pos += 1
        }
        return .lineEnd
    }

    /// The first delimiter, LF or CR at or after `pos` (or `end`). Eight bytes per step (SWAR): a byte equal to
    /// `x` is a zero byte of `word ^ x`, and the lowest flagged byte of `(v - 0x01…) & ~v & 0x80…` is the first
    /// zero byte exactly (a borrow only runs upward from a zero byte).
    @inline(__always)
    static func fieldEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, delimiterWord: UInt64) -> Int {
        var pos = start
        #if _endian(little)
        @inline(__always) func zeroBytes(_ v: UInt64) -> UInt64 {
            (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
        }
        while end - pos >= 8 {
            let w = UnsafeRawPointer(p + pos).loadUnaligned(as: UInt64.self)
            let hit = zeroBytes(w ^ delimiterWord) | zeroBytes(w ^ 0x0A0A_0A0A_0A0A_0A0A) | zeroBytes(w ^ 0x0D0D_0D0D_0D0D_0D0D)
            if hit != 0 { return pos + (hit.trailingZeroBitCount >> 3) }
            pos += 8
        }
        #endif
        let delim = UInt8(truncatingIfNeeded: delimiterWord)
        while pos < end {
            let b = p[pos]
            if b == delim || b == CSVChunkParser.newline || b == CSVChunkParser.cr { break }
            pos += 1
        }
        return pos
    }

    /// Parses an unquoted field of an int or float column straight from `p[s...]`, stopping at the first byte
    /// that is not part of the number. Returns where the field ends when the number is all of it (the next
    /// byte is the delimiter, a line end or the chunk's end); nil leaves the field to the general path (which
    /// also sees missing markers, spaces, and values that widen the column).
    @inline(__always)
    private func parseNumber(_ acc: ColumnAccumulator, _ p: UnsafePointer<UInt8>, _ s: Int, _ end: Int,
                             thousands: UInt8?, decimal: UInt8) -> Int? {
        guard s < end else { return nil }
        let first = p[s]
        guard first &- 48 < 10 || first == UInt8(ascii: "-") else { return nil }
        @inline(__always) func ends(_ i: Int) -> Bool {
            i == end || p[i] == delimiter || p[i] == CSVChunkParser.newline || p[i] == CSVChunkParser.cr
        }
        switch acc.kind {
        case .float:
            guard let (v, stop) = FieldParsers.doublePrefix(p, s, end, thousands: thousands, decimal: decimal, tables: tables), ends(stop) else { return nil }
            acc.appendFloat(v)
            return stop
        case .int:
            guard let (v, stop) = FieldParsers.intPrefix(p, s, end, thousands: thousands), ends(stop) else { return nil }
            acc.appendInt(v)
            return stop
        default:
            return nil
        }
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
