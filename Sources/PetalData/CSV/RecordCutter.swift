import Foundation

/// Finds record starts in a buffer that begins at a record start, by the same quoting rule `CSVChunkParser`
/// reads with, so a cut is always where the parser would end a record:
/// - a quote opens a quoted field only at the start of a field (the buffer's start, or just after the
///   delimiter, LF or CR); anywhere else (`5"`, `ab"c`, after a closing quote) it is an ordinary byte;
/// - inside a quoted field a doubled quote is an escaped quote and a single quote closes the field;
/// - outside quoted fields every LF ends a record.
/// It hops from quote to quote and from LF to LF with `memchr`, so a file without quotes costs one `memchr`
/// per cut, and both the in-memory reader (`CSVReader.chunkBoundaries`) and the windowed file reader cut with it.
struct RecordCutter {
    let p: UnsafePointer<UInt8>
    /// A record start: the first byte of the buffer's region.
    let start: Int
    let end: Int
    let delimiter: UInt8
    private var scanned: Int
    private var inQuotes = false

    // Literals, not UInt8(ascii:) (see CSVChunkParser: a static initialised by a call costs a swift_once a use).
    private static let quote: UInt8 = 0x22  // "
    private static let lf: UInt8 = 0x0A  // \n
    private static let cr: UInt8 = 0x0D  // \r

    init(p: UnsafePointer<UInt8>, start: Int = 0, end: Int, delimiter: UInt8) {
        self.p = p
        self.start = start
        self.end = end
        self.delimiter = delimiter
        scanned = start
    }

    private func find(_ byte: UInt8, _ from: Int, _ to: Int) -> Int? {
        guard from < to, let hit = memchr(p + from, Int32(byte), to - from) else { return nil }
        return UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p
    }

    /// True when the quote at `q` (outside a quoted field) opens one: it is the first byte of a field.
    private func opens(_ q: Int) -> Bool {
        guard q > start else { return true }
        let before = p[q - 1]
        return before == delimiter || before == RecordCutter.lf || before == RecordCutter.cr
    }

    /// Inside a quoted field: moves past its closing quote. False when the buffer ends first (or ends right
    /// after a quote, which may be the first half of an escaped pair).
    private mutating func leaveQuotes() -> Bool {
        while true {
            guard let q = find(RecordCutter.quote, scanned, end), q + 1 < end else { return false }
            if p[q + 1] == RecordCutter.quote {
                scanned = q + 2
                continue
            }
            inQuotes = false
            scanned = q + 1
            return true
        }
    }

    /// The start of the first record that begins after `target`, or nil when none begins before the end of
    /// the buffer. Calls must come with non-decreasing targets.
    mutating func cut(after target: Int) -> Int? {
        // Carry the quote state up to the target.
        while scanned < min(target, end) {
            if inQuotes {
                guard leaveQuotes() else { return nil }
                continue
            }
            guard let q = find(RecordCutter.quote, scanned, min(target, end)) else {
                scanned = min(target, end)
                break
            }
            if opens(q) { inQuotes = true }
            scanned = q + 1
        }
        // Then the first LF outside a quoted field.
        while scanned < end {
            if inQuotes {
                guard leaveQuotes() else { return nil }
                continue
            }
            guard let lf = find(RecordCutter.lf, scanned, end) else { return nil }
            var from = scanned
            var opening: Int?
            while let q = find(RecordCutter.quote, from, lf) {
                if opens(q) {
                    opening = q
                    break
                }
                from = q + 1
            }
            if let q = opening {
                inQuotes = true
                scanned = q + 1
                continue
            }
            scanned = lf + 1
            return scanned
        }
        return nil
    }
}
