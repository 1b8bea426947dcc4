import Foundation
import PetalData

/// How a PostgreSQL column type becomes a Petal column: by the type's OID (the built-in OIDs are fixed).
enum PostgresKind: Sendable {
    case int, float, bool, date, timestamp, text

    /// smallint/integer/bigint/oid → int; real/double/numeric → float; boolean → bool; date → date;
    /// timestamp and timestamptz → datetime (in UTC); everything else (text, varchar, char, uuid, json, …) → text.
    /// `numeric` (`decimal`): read as a float, with a warning for values it rounds.
    static let numericOID: UInt32 = 1700

    init(oid: UInt32) {
        switch oid {
        case 20, 21, 23, 26: self = .int
        case 700, 701, Self.numericOID: self = .float
        case 16: self = .bool
        case 1082: self = .date
        case 1114, 1184: self = .timestamp
        default: self = .text
        }
    }
}

/// Accumulates one result column from libpq's text values.
struct PostgresColumnBuilder {
    let name: String
    let kind: PostgresKind
    private var ints: [Int64] = []
    private var floats: [Double] = []
    private var bools: [Bool] = []
    private var codes: [Int32] = []
    private var encoder = DictionaryEncoder()
    private var valid: [Bool] = []
    private var nulls = 0
    /// The first value that could not be read as the column's type (kept as null), for one warning.
    private(set) var unreadable: (row: Int, text: String, count: Int)?
    /// A `numeric` column: its values are decimals of any precision, read as the nearest float.
    private let decimal: Bool
    /// The first `numeric` value with more digits than a float keeps (it was rounded), for one warning.
    private(set) var rounded: (row: Int, text: String, count: Int)?

    init(name: String, oid: UInt32) {
        self.name = name
        self.kind = PostgresKind(oid: oid)
        decimal = oid == PostgresKind.numericOID
    }

    /// Appends one value (nil: SQL NULL).
    mutating func append(_ value: UnsafePointer<CChar>?, length: Int) {
        let row = valid.count
        guard let value else { appendNull(); return }
        let text = String(decoding: UnsafeRawBufferPointer(start: value, count: length), as: UTF8.self)
        switch kind {
        case .int:
            guard let v = Int64(text) else { return unreadableValue(text, row: row) }
            ints.append(v)
        case .float:
            guard let v = Double(text) else { return unreadableValue(text, row: row) }
            if decimal && !PostgresDecimal.isExact(text, v) {
                if let r = rounded { rounded = (r.row, r.text, r.count + 1) } else { rounded = (row + 1, text, 1) }
            }
            floats.append(v)
        case .bool:
            guard text == "t" || text == "f" else { return unreadableValue(text, row: row) }
            bools.append(text == "t")
        case .date, .timestamp:
            guard let v = PostgresTime.microseconds(text) else { return unreadableValue(text, row: row) }
            ints.append(v)
        case .text:
            codes.append(encoder.code(for: text))
        }
        valid.append(true)
    }

    private mutating func appendNull() {
        nulls += 1
        valid.append(false)
        switch kind {
        case .int, .date, .timestamp: ints.append(0)
        case .float: floats.append(.nan)
        case .bool: bools.append(false)
        case .text: codes.append(0)
        }
    }

    private mutating func unreadableValue(_ text: String, row: Int) {
        if let u = unreadable { unreadable = (u.row, u.text, u.count + 1) } else { unreadable = (row + 1, text, 1) }
        appendNull()
    }

    /// The column, with a warning when values had to be read as missing.
    func build(location: SourceLocation, warnings: inout [DataWarning]) -> Column {
        if let u = unreadable {
            warnings.append(DataWarning("column \"\(name)\": \(u.count) value\(u.count == 1 ? "" : "s") could not be read as \(kind) and "
                                        + "are missing (first at row \(u.row): \"\(u.text.prefix(40))\")", at: location))
        }
        if let r = rounded {
            warnings.append(DataWarning("column \"\(name)\" (numeric): \(r.count) value\(r.count == 1 ? " has" : "s have") more digits than a float "
                                        + "keeps and \(r.count == 1 ? "was" : "were") rounded (first at row \(r.row): \(r.text.prefix(60))); "
                                        + "to keep every digit, read it as text: query=\"select \(name)::text as \(name), … from …\"",
                                        at: location))
        }
        let validity = nulls > 0 ? Bitmap(valid) : nil
        switch kind {
        case .int: return Column(name: name, storage: .int(ints), validity: validity)
        case .float: return Column(name: name, storage: .float(floats), validity: validity)
        case .bool: return Column(name: name, storage: .bool(bools), validity: validity)
        case .date: return Column(name: name, storage: .datetime(ints, dateOnly: true), validity: validity)
        case .timestamp: return Column(name: name, storage: .datetime(ints, dateOnly: false), validity: validity)
        case .text: return Column(name: name, storage: .text(codes: codes, dictionary: TextDictionary(encoder.dictionary)), validity: validity)
        }
    }

    /// Roughly the bytes a row's cell takes in the frame.
    var bytesPerCell: Int { kind == .bool ? 1 : kind == .text ? 4 : 8 }
}

/// Whether a `numeric` value's text is exactly the float read from it.
enum PostgresDecimal {
    /// True when `text` (PostgreSQL's numeric output: `-123.4500`, `NaN`, `Infinity`; never an exponent) has the
    /// same significant digits as `value`'s shortest round-trip form. Fifteen digits or fewer always do.
    static func isExact(_ text: String, _ value: Double) -> Bool {
        // Fifteen characters hold fifteen digits at most: the common case needs no look at the digits.
        guard value.isFinite, text.utf8.count > 15 else { return true }
        let digits = significantDigits(Substring(text))
        if digits.count <= 15 { return true }
        let shortest = "\(value.magnitude)"
        let mantissa = shortest.split(separator: "e", maxSplits: 1).first ?? Substring(shortest)
        return significantDigits(mantissa) == digits
    }

    /// The digits from the first non-zero one to the last non-zero one (sign and point left out).
    static func significantDigits(_ text: Substring) -> [UInt8] {
        var out = text.utf8.filter { $0 >= 48 && $0 <= 57 }[...]
        while out.first == 48 { out.removeFirst() }
        while out.last == 48 { out.removeLast() }
        return Array(out)
    }
}

/// PostgreSQL's ISO date and time text (DateStyle ISO, TimeZone UTC) as microseconds since 1970-01-01 UTC.
enum PostgresTime {
    /// `2024-01-15`, `2024-01-15 10:20:30.123456`, `2024-01-15 10:20:30+00` (the offset is applied); nil for
    /// `infinity`, BC dates and anything else.
    static func microseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= b.count, !range.isEmpty else { return nil }
            var v: Int64 = 0
            for i in range {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        // Years may have more than 4 digits (up to 294276).
        var i = 0
        while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
        guard i >= 4, i + 6 <= b.count, b[i] == 45, b[i + 3] == 45, let year = number(0..<i),
              let month = number(i + 1..<i + 3), let day = number(i + 4..<i + 6), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var micros = CivilDate.days(year: year, month: month, day: day) * 86_400_000_000
        var p = i + 6
        guard p < b.count else { return micros }
        guard b[p] == 32 || b[p] == 84, let h = number(p + 1..<p + 3), p + 9 <= b.count, b[p + 3] == 58, b[p + 6] == 58,
              let m = number(p + 4..<p + 6), let s = number(p + 7..<p + 9) else { return nil }
        micros += ((h * 60 + m) * 60 + s) * 1_000_000
        p += 9
        if p < b.count && b[p] == 46 {
            var digits = 0
            var fraction: Int64 = 0
            p += 1
            while p < b.count && b[p] >= 48 && b[p] <= 57 {
                if digits < 6 { fraction = fraction * 10 + Int64(b[p] - 48); digits += 1 }
                p += 1
            }
            for _ in digits..<6 { fraction *= 10 }
            micros += fraction
        }
        guard p < b.count else { return micros }
        // An offset: +HH, +HH:MM or +HH:MM:SS (UTC is asked for, so normally +00).
        guard b[p] == 43 || b[p] == 45, let oh = number(p + 1..<p + 3) else { return nil }
        var offset = oh * 3600
        var q = p + 3
        while q < b.count {
            guard b[q] == 58, let part = number(q + 1..<q + 3) else { return nil }
            offset += q == p + 3 ? part * 60 : part
            q += 3
        }
        return micros - (b[p] == 43 ? offset : -offset) * 1_000_000
    }
}
