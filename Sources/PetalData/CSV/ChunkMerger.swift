import Foundation

/// Joins one column's accumulators from every chunk into a single typed column.
enum ChunkMerger {
    /// - Parameter text: the column's chunks already joined as text, a prefix of `accs` (`TextColumnBuilder`).
    static func merge(_ accs: [ColumnAccumulator], name: String, forced: ColumnType?, file: String,
                      lines: LineIndex, text: TextColumnBuilder? = nil) throws -> Column {
        var kind: AccumulatorKind = forced.map(AccumulatorKind.init) ?? .unknown
        if forced == nil { for a in accs { kind = kind.unified(with: a.kind) ?? .text } }
        if let text, text.chunks > 0, kind != .text {
            throw PetalError("internal: column \(name) was joined as text but is \(kind)", at: SourceLocation(file: file))
        }
        let total = accs.reduce(0) { $0 + $1.count }
        func validity() -> Bitmap? {
            guard accs.contains(where: \.hasNulls) else { return nil }
            var v = Bitmap(count: 0, value: false)
            v.reserveCapacity(total)
            for a in accs { v.append(contentsOf: a.validityBitmap) }
            return v
        }
        // Each chunk's storage is freed as soon as it is copied, so the chunks and the column are not both held.
        defer { for a in accs { a.releaseStorage() } }
        switch kind {
        case .unknown:
            // Every value is missing: a float column of nulls, as pandas makes.
            return Column(name: name, storage: .float([Double](repeating: .nan, count: total)), validity: Bitmap(count: total, value: false))
        case .int:
            let validity = validity()
            var out: [Int64] = []
            out.reserveCapacity(total)
            for a in accs {
                if a.kind == .int { out.append(contentsOf: a.ints.buffer) } else { out += repeatElement(0, count: a.count) }
                a.releaseStorage()
            }
            return Column(name: name, storage: .int(out), validity: validity)
        case .float:
            let validity = validity()
            var out: [Double] = []
            out.reserveCapacity(total)
            for a in accs {
                switch a.kind {
                case .float: out.append(contentsOf: a.floats.buffer)
                case .int: out += a.ints.buffer.map(Double.init)
                default: out += repeatElement(.nan, count: a.count)
                }
                a.releaseStorage()
            }
            return Column(name: name, storage: .float(out), validity: validity)
        case .bool:
            var out: [Bool] = []
            for a in accs { if a.kind == .bool { out.append(contentsOf: a.bools.buffer) } else { out += repeatElement(false, count: a.count) } }
            return Column(name: name, storage: .bool(out), validity: validity())
        case .datetime:
            var out: [Int64] = []
            var sawTime = forced == .datetime
            for a in accs {
                if a.kind == .datetime { out.append(contentsOf: a.micros.buffer); sawTime = sawTime || a.sawTime } else { out += repeatElement(0, count: a.count) }
            }
            return Column(name: name, storage: .datetime(out, dateOnly: !sawTime), validity: validity())
        case .text:
            // The chunks not joined yet, in order, after those that were (while the file was read).
            let builder = text ?? TextColumnBuilder()
            try builder.rethrow()
            builder.expect(rows: total)
            for a in accs.dropFirst(builder.chunks) { try builder.add(a, name: name, file: file, lines: lines) }
            return builder.column(name: name)
        }
    }

    /// Throws naming the first value (line and column) that is not valid UTF-8.
    static func checkUTF8(_ values: TextInterner, name: String, file: String, lines: LineIndex) throws {
        guard let i = values.firstInvalidUTF8() else { return }
        let (line, col) = lines.position(of: values.firstOffsets.buffer[i])
        throw PetalError("the text is not valid UTF-8",
                        at: SourceLocation(file: file, line: line, column: col, field: name),
                        hint: "re-save the file as UTF-8, or open it with encoding=latin1 if it is Latin-1 / Windows-1252")
    }
}

/// One text column joined chunk by chunk, in file order: the first text chunk's `TextInterner` is taken over as
/// is (its codes stand), and each later chunk adds one insert per distinct value, not per row, its rows' codes
/// mapped through the result. The CSV file reader joins each window's chunks while it parses the next window, so
/// a chunk's interner and codes are freed a window after they were made instead of all living until the end.
///
/// Each chunk's values are checked for UTF-8 before they are joined (with the chunk's own first offsets): the
/// chunks before it held no invalid value, so its first invalid value is the column's first one, and the
/// column's interner keeps no offsets.
final class TextColumnBuilder {
    private var values: TextInterner?
    /// The column's codes, in the array the column will hold (not copied out at the end): reserved for
    /// `expectedRows` when known, so that it is allocated once and its pages touched once.
    private var codes: [Int32] = []
    /// A block of a chunk's codes mapped into the column's, before they are appended to `codes` (reused; a
    /// block, not a chunk, so that it stays in cache and adds nothing to the peak).
    private var mapped = GrowableBuffer<Int32>()
    private static let block = 4_096
    /// The rows the column is expected to have in all (0: not known); see `expect`.
    private var expectedRows = 0
    private var validity: Bitmap?
    private(set) var count = 0
    /// How many chunks were joined (always the column's first ones).
    private(set) var chunks = 0
    /// The error a chunk's values met (invalid UTF-8); nothing is joined after it.
    private(set) var failure: PetalError?

    deinit { mapped.free() }

    /// The rows the whole column is expected to have (the file reader's estimate from the bytes read so far, or
    /// the exact count at the end): `codes` is reserved for as many when it next needs room. Only address space
    /// beyond the rows written is ever left unused, never memory.
    func expect(rows: Int) { expectedRows = max(0, rows) }

    /// Room in `codes` for `n` more rows: the expected count when that is enough (but at most 8 times what is
    /// needed now, in case the rows read so far were much shorter than the rest), else twice the capacity.
    private func reserve(_ n: Int) {
        let needed = codes.count + n
        guard needed > codes.capacity else { return }
        let room = expectedRows >= needed ? min(expectedRows, needed * 8) : max(needed, codes.capacity * 2)
        codes.reserveCapacity(room)
    }

    /// True once a text chunk was joined (the column is text whatever its other chunks hold).
    var isText: Bool { values != nil }

    func rethrow() throws { if let failure { throw failure } }

    /// Joins the column's next chunk: one read as text, or one whose rows read as code 0 (every value missing, or
    /// values of another kind in a column that is text). Frees the chunk's storage.
    func add(_ a: ColumnAccumulator, name: String, file: String, lines: LineIndex) throws {
        try rethrow()
        defer { a.releaseStorage() }
        let text = a.kind == .text
        if text {
            do {
                try ChunkMerger.checkUTF8(a.dictionary, name: name, file: file, lines: lines)
            } catch let e as PetalError {
                failure = e
                throw e
            }
        }
        if a.hasNulls || validity != nil {
            if validity == nil { validity = Bitmap(count: count, value: true) }
            validity?.append(contentsOf: a.validityBitmap)
        }
        reserve(count + a.count - codes.count)
        let rows = a.codes.buffer
        // `finish` padded the codes to the rows; were it not so, the rest read as code 0.
        let n = text ? min(a.count, rows.count) : 0
        // A chunk that kept every value (a value may repeat) is merged into a fresh interner, never taken over.
        if text && values == nil && a.dictionary.keepsEveryValue {
            let fresh = TextInterner()
            fresh.adoptAsColumn()
            values = fresh
        }
        if n > 0, let m = values {
            let map = m.merge(a.dictionary)
            // A missing value's code is 0 even in a chunk whose dictionary is empty (every value in it missing);
            // such a code is never read, so it maps to 0.
            map.withUnsafeBufferPointer { map in
                var first = 0
                while first < n {
                    let k = min(TextColumnBuilder.block, n - first)
                    mapped.removeAll()
                    mapped.append(count: k) { out in
                        for i in 0..<k {
                            let c = Int(rows[first + i])
                            out[i] = c >= 0 && c < map.count ? map[c] : 0
                        }
                    }
                    codes.append(contentsOf: mapped.buffer)
                    first += k
                }
            }
        } else if n > 0 || (text && values == nil) {
            if values == nil {
                // Not one that keeps every value (a fresh interner was made for that above).
                values = a.dictionary
                a.dictionary = TextInterner()
                values?.adoptAsColumn()
            }
            if n > 0 { codes.append(contentsOf: UnsafeBufferPointer(rebasing: rows[0..<n])) }
        }
        if codes.count < count + a.count { codes.append(contentsOf: repeatElement(0, count: count + a.count - codes.count)) }
        count += a.count
        chunks += 1
    }

    /// The column: the interner's bytes and bounds become the dictionary as they are (no String per value), its
    /// table freed, and the codes array handed over as it is.
    func column(name: String) -> Column {
        let values = self.values ?? TextInterner()
        self.values = nil
        let dictionary = values.count == 0 ? [""] : TextDictionary(packed: values.packed())
        var out = codes
        codes = []
        mapped.free()
        // `add` keeps one code per row; were it not so, the rest read as code 0.
        if out.count > count { out.removeLast(out.count - count) }
        if out.count < count { out.append(contentsOf: repeatElement(0, count: count - out.count)) }
        let column = Column(name: name, storage: .text(codes: out, dictionary: dictionary), validity: validity)
        validity = nil
        return column
    }
}

/// Turns byte offsets into 1-based line and column numbers (columns count characters, not bytes). Over bytes in
/// memory, or over a file that is read again only when a position is asked for (an error or a warning): the file
/// reader keeps one window of the file in memory, not all of it.
final class LineIndex: @unchecked Sendable {
    private let p: UnsafePointer<UInt8>?
    private let end: Int
    private let path: String?
    private let lock = NSLock()
    private var loaded: [UInt8]?

    /// Over `p[0..<end]`, which must outlive this index.
    init(_ p: UnsafePointer<UInt8>, end: Int) { self.p = p; self.end = end; path = nil }

    /// Over the file at `path`, read when first needed.
    init(path: String) { p = nil; end = 0; self.path = path }

    func position(of offset: Int) -> (line: Int, column: Int) {
        if let p { return LineIndex.position(p, end, offset) }
        lock.lock()
        defer { lock.unlock() }
        if loaded == nil { loaded = path.flatMap { try? FileCheck.readAll($0) } ?? [] }
        return (loaded ?? []).withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return (1, 1) }
            return LineIndex.position(base, b.count, offset)
        }
    }

    private static func position(_ p: UnsafePointer<UInt8>, _ end: Int, _ offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let stop = min(offset, end)
        var i = 0
        while i < stop {
            // LF, CRLF and a lone CR each end a line.
            if p[i] == 0x0A || (p[i] == 0x0D && (i + 1 == end || p[i + 1] != 0x0A)) { line += 1; lineStart = i + 1 }
            i += 1
        }
        var column = 1
        var j = lineStart
        while j < stop { if p[j] & 0xC0 != 0x80 { column += 1 }; j += 1 }
        return (line, column)
    }
}

/// Column-name hygiene shared by the sources.
public enum ColumnNames {
    /// Names empty headers `unnamed_N` and suffixes repeats (`a`, `a_2`), warning about each change.
    public static func deduplicated(_ names: [String], file: String, warnings: inout [DataWarning]) -> [String] {
        var out: [String] = []
        var used = Set<String>()
        for (i, raw) in names.enumerated() {
            var name = raw
            if name.isEmpty {
                name = "unnamed_\(i + 1)"
                warnings.append(DataWarning("column \(i + 1) has no name; calling it \(name)", at: SourceLocation(file: file, line: 1, column: i + 1)))
            }
            if used.contains(name) {
                var k = 2
                while used.contains("\(name)_\(k)") { k += 1 }
                warnings.append(DataWarning("column name \"\(name)\" repeats; calling column \(i + 1) \(name)_\(k)",
                                            at: SourceLocation(file: file, line: 1, column: i + 1)))
                name = "\(name)_\(k)"
            }
            used.insert(name)
            out.append(name)
        }
        return out
    }

    /// Warns about text columns whose values look like numbers written with a comma: decimal commas (`1,5`,
    /// `-0,25`: `decimal=","`) or thousands separators (`1,500,000`: `thousands=","`). A comma followed by other
    /// than three digits can only be a decimal comma; the hint is written so it works as typed (a bare `,` or `;`
    /// would be read as part of the command line).
    static func thousandsHints(_ frame: Frame, file: String, options: CSVOptions) -> [DataWarning] {
        guard options.thousands == nil, options.decimal == UInt8(ascii: ".") else { return [] }
        var out: [DataWarning] = []
        for c in frame.columns {
            guard case .text(_, let dictionary) = c.storage, !dictionary.isEmpty else { continue }
            let sample = dictionary.prefix(200)
            var numeric = 0, decimalOnly = 0, thousandsOnly = 0
            for s in sample {
                let t = s.trimmingCharacters(in: .whitespaces)
                guard t.contains(","), let first = t.first, first.isNumber || first == "-",
                      t.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." || $0 == "-" }) else { continue }
                numeric += 1
                let groups = t.split(separator: ".", maxSplits: 1)[0].split(separator: ",", omittingEmptySubsequences: false)
                let grouped = groups.count > 1 && groups.dropFirst().allSatisfy { $0.count == 3 }
                if !grouped && groups.count == 2 && !t.contains(".") { decimalOnly += 1 }
                if grouped && (groups.count > 2 || t.contains(".")) { thousandsOnly += 1 }
            }
            guard numeric * 10 >= sample.count * 9 else { continue }
            let example = sample.first ?? ""
            if decimalOnly > 0 && thousandsOnly == 0 {
                out.append(DataWarning("column \"\(c.name)\" looks like numbers with a decimal comma (e.g. \(example)) and was read as text; "
                                       + "open with decimal=\",\" to read them as numbers", at: SourceLocation(file: file, field: c.name)))
            } else {
                out.append(DataWarning("column \"\(c.name)\" looks like numbers with thousands separators (e.g. \(example)) and was read as text; "
                                       + "open with thousands=\",\" to read them as numbers", at: SourceLocation(file: file, field: c.name)))
            }
        }
        return out
    }
}

/// Latin-1 (ISO 8859-1) to UTF-8.
enum Latin1 {
    static func toUTF8(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            if b < 0x80 { out.append(b) } else { out.append(0xC0 | (b >> 6)); out.append(0x80 | (b & 0x3F)) }
        }
        return out
    }
}
