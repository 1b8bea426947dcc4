/// The type an accumulator has settled on so far.
enum AccumulatorKind: Sendable, Equatable {
    case unknown, bool, int, float, datetime, text

    /// The kind that holds both, or nil when only text would (which needs a re-parse).
    func unified(with other: AccumulatorKind) -> AccumulatorKind? {
        if self == other { return self }
        switch (self, other) {
        case (.unknown, _): return other
        case (_, .unknown): return self
        case (.int, .float), (.float, .int): return .float
        default: return nil
        }
    }

    init(_ type: ColumnType) {
        switch type {
        case .int: self = .int
        case .float: self = .float
        case .bool: self = .bool
        case .date, .datetime: self = .datetime
        case .text: self = .text
        }
    }
}

/// What a text column's chunks of one window tell the next window's (`CSVFileReader`), so that its chunk
/// interners start the right size instead of growing to it.
struct TextHint: Sendable {
    /// The most distinct values one chunk held: the next chunk's table is made for as many.
    var distinct: Int
    /// Every chunk kept every value (ids): the next ones decide whether to after a short probe.
    var keptEveryValue: Bool
}

/// Collects one column's values for one chunk of a delimited file, straight from bytes.
/// It settles on a type from the first value and widens int → float in place; any other change of
/// type marks the column as needing text, and the reader parses again with that column as text.
final class ColumnAccumulator {
    var kind: AccumulatorKind
    let forced: Bool
    var needsText = false
    var count = 0
    /// Validity, kept only once a null has been seen (until then every row is valid).
    var validity = Bitmap(count: 0, value: false)
    var hasNulls = false
    var nullCount = 0
    var ints = GrowableBuffer<Int64>()
    var floats = GrowableBuffer<Double>()
    var bools = GrowableBuffer<Bool>()
    var micros = GrowableBuffer<Int64>()
    var sawTime = false
    var codes = GrowableBuffer<Int32>()
    /// The distinct text values (a text column); the merger takes it over or frees it.
    var dictionary = TextInterner(mayKeepEveryValue: true) { didSet { interner = .passUnretained(dictionary) } }
    /// `dictionary` unretained, for the per-cell call: through the property itself each cell paid a retain and a
    /// release of the interner (~18% of loading a text-heavy file). `dictionary` keeps it alive.
    private var interner: Unmanaged<TextInterner>
    /// A value that did not fit a forced type: its file offset and what was expected.
    var forcedFailure: (offset: Int, expected: ColumnType)?
    let forcedType: ColumnType?
    /// The number parsers' tables, fetched once (see `DecimalTables`).
    private let tables = DecimalTables.shared

    /// - Parameter hint: the column's chunks of the window before, when they were text.
    init(forced type: ColumnType?, hint: TextHint? = nil) {
        forcedType = type
        forced = type != nil
        kind = type.map(AccumulatorKind.init) ?? .unknown
        if let hint {
            dictionary = TextInterner(capacity: hint.keptEveryValue ? 32 : min(hint.distinct, 1 << 20), mayKeepEveryValue: true,
                                      wasKeepingEveryValue: hint.keptEveryValue)
        }
        interner = .passUnretained(dictionary)
    }

    /// The code of the text `p[start..<end]` in this chunk's dictionary.
    @inline(__always)
    private func textCode(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, offset: Int) -> Int32 {
        interner._withUnsafeGuaranteedRef { $0.code(p, start, end, offset: offset) }
    }

    deinit { releaseStorage() }

    func reserve(_ n: Int) {
        switch kind {
        case .int: ints.reserve(n)
        case .float: floats.reserve(n)
        case .text: codes.reserve(n)
        default: break
        }
    }

    @inline(__always)
    func appendNull() {
        if !hasNulls {
            hasNulls = true
            validity = Bitmap(count: count, value: true)
        }
        validity.append(false)
        nullCount += 1
        count += 1
    }

    /// Appends a parsed value to a float column.
    @inline(__always)
    func appendFloat(_ v: Double) {
        if floats.count < count { floats.pad(to: count, with: 0) }
        floats.append(v)
        if hasNulls { validity.append(true) }
        count += 1
    }

    /// Appends a parsed value to an int column.
    @inline(__always)
    func appendInt(_ v: Int64) {
        if ints.count < count { ints.pad(to: count, with: 0) }
        ints.append(v)
        if hasNulls { validity.append(true) }
        count += 1
    }

    /// Frees the typed storage once the merger has copied it, so the chunks and the frame are not held twice.
    func releaseStorage() {
        ints.free(); floats.free(); bools.free(); micros.free(); codes.free()
        dictionary.free()
        validity = Bitmap(count: 0, value: false)
    }

    /// Appends the field `start..<end` (unquoted bytes, already unescaped). `offset` locates it in the file.
    @inline(__always)
    func append(_ p: UnsafePointer<UInt8>, _ s0: Int, _ e0: Int, offset: Int, options: CSVOptions) {
        var start = s0, end = e0
        if kind == .text {
            codes.pad(to: count, with: 0)
            codes.append(textCode(p, start, end, offset: offset))
            if hasNulls { validity.append(true) }; count += 1
            return
        }
        FieldParsers.trim(p, &start, &end)
        switch kind {
        case .float:
            if let v = FieldParsers.parseDouble(p, start, end, thousands: options.thousands, decimal: options.decimal, tables: tables) {
                floats.pad(to: count, with: 0); floats.append(v); if hasNulls { validity.append(true) }; count += 1; return
            }
        case .int:
            if let v = FieldParsers.parseInt(p, start, end, thousands: options.thousands) {
                ints.pad(to: count, with: 0); ints.append(v); if hasNulls { validity.append(true) }; count += 1; return
            }
            if !forced, let v = FieldParsers.parseDouble(p, start, end, thousands: options.thousands, decimal: options.decimal, tables: tables) {
                floats.reserve(count + 1)
                for i in 0..<ints.count { floats.append(Double(ints.buffer[i])) }
                ints.free(); kind = .float
                floats.pad(to: count, with: 0); floats.append(v); if hasNulls { validity.append(true) }; count += 1; return
            }
        case .bool:
            if let v = FieldParsers.parseBool(p, start, end) {
                bools.pad(to: count, with: false); bools.append(v); if hasNulls { validity.append(true) }; count += 1; return
            }
        case .datetime:
            if let v = FieldParsers.parseDateTime(p, start, end) {
                micros.pad(to: count, with: 0); micros.append(v.micros); if v.hasTime { sawTime = true }
                if hasNulls { validity.append(true) }; count += 1; return
            }
        case .unknown:
            if let v = FieldParsers.parseInt(p, start, end, thousands: options.thousands) {
                kind = .int; ints.pad(to: count, with: 0); ints.append(v)
            } else if let v = FieldParsers.parseDouble(p, start, end, thousands: options.thousands, decimal: options.decimal, tables: tables) {
                kind = .float; floats.pad(to: count, with: 0); floats.append(v)
            } else if let v = FieldParsers.parseBool(p, start, end) {
                kind = .bool; bools.pad(to: count, with: false); bools.append(v)
            } else if let v = FieldParsers.parseDateTime(p, start, end) {
                kind = .datetime; micros.pad(to: count, with: 0); micros.append(v.micros); if v.hasTime { sawTime = true }
            } else {
                kind = .text; codes.pad(to: count, with: 0); codes.append(textCode(p, s0, e0, offset: offset))
            }
            if hasNulls { validity.append(true) }; count += 1
            return
        case .text:
            break
        }
        // The value does not fit the column's type.
        if forced {
            if forcedFailure == nil, let t = forcedType { forcedFailure = (offset, t) }
        } else {
            needsText = true
        }
        appendNull()
        nullCount -= 1
    }

    /// Pads the typed storage to `count` rows.
    func finish() {
        switch kind {
        case .unknown, .float: floats.pad(to: count, with: .nan)
        case .int: ints.pad(to: count, with: 0)
        case .bool: bools.pad(to: count, with: false)
        case .datetime: micros.pad(to: count, with: 0)
        case .text: codes.pad(to: count, with: 0)
        }
    }
}

extension ColumnAccumulator {
    /// The full validity bitmap of the rows so far.
    var validityBitmap: Bitmap { hasNulls ? validity : Bitmap(count: count, value: true) }
}
