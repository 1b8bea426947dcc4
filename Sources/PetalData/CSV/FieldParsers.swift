import Foundation

/// Parsers that turn the bytes of one field into typed values without creating Strings.
/// The tables the number parsers read, fetched once by each parser and handed down: a static initialised by a
/// call is reached through `swift_once` at every use, which was 1–2 % of a numeric CSV load's CPU. Sendable: the
/// tables are made once and never written.
struct DecimalTables: @unchecked Sendable {
    let powersOf10: UnsafePointer<Double>
    let mantissas: UnsafePointer<(UInt64, UInt64)>

    static var shared: DecimalTables { DecimalTables(powersOf10: FieldParsers.powersOf10, mantissas: EiselLemire.powers) }
}

enum FieldParsers {
    /// Exact powers of ten 10^0 … 10^22, in memory that lives for the whole process (no retain per use).
    nonisolated(unsafe) static let powersOf10: UnsafePointer<Double> = {
        let values: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
        let p = UnsafeMutablePointer<Double>.allocate(capacity: values.count)
        p.initialize(from: values, count: values.count)
        return UnsafePointer(p)
    }()

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// Trims spaces and tabs from both ends of `start..<end`.
    @inline(__always)
    static func trim(_ p: UnsafePointer<UInt8>, _ start: inout Int, _ end: inout Int) {
        while start < end && isSpace(p[start]) { start += 1 }
        while end > start && isSpace(p[end - 1]) { end -= 1 }
    }

    /// Parses a decimal integer; nil when the bytes are not one or it overflows Int64.
    @inline(__always)
    static func parseInt(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, thousands: UInt8?) -> Int64? {
        guard let (v, stop) = intPrefix(p, start, end, thousands: thousands), stop == end else { return nil }
        return v
    }

    /// The integer at the start of `start..<end` and where it stops (the first byte that is not a digit or a
    /// thousands separator), so the CSV reader parses a field of a known int column while finding its end.
    /// nil when there is no digit or the number overflows Int64.
    @inline(__always)
    static func intPrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, thousands: UInt8?) -> (Int64, Int)? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        guard i < end else { return nil }
        var value: UInt64 = 0
        var digits = 0
        let sep = thousands ?? 0xFF  // 0xFF never occurs in UTF-8
        while i < end {
            let b = p[i]
            let d = b &- 48
            if d < 10 {
                if digits >= 18 {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(UInt64(d))
                    if o1 || o2 { return nil }
                    value = s
                } else {
                    value = value &* 10 &+ UInt64(d)
                }
                digits += 1
            } else if b == sep, digits > 0 {
                // separator between digit groups
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return (value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value), i)
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return (Int64(value), i)
    }

    /// Parses a decimal floating-point number (also `inf`, `-inf`); nil when the bytes are not one.
    /// Exact (correctly rounded) on the fast path; other inputs go through `strtod`.
    @inline(__always)
    static func parseDouble(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                            thousands: UInt8?, decimal: UInt8, tables: DecimalTables) -> Double? {
        let r = scanDouble(p, start, end, thousands: thousands, decimal: decimal, tables: tables)
        switch r.outcome {
        case .exact: return r.stop == end ? r.value : nil
        case .noDigits: return parseSpecial(p, start, end)
        case .inexact: return r.stop == end ? slowDouble(p, start, end, thousands: thousands, decimal: decimal) : nil
        case .invalid: return nil
        }
    }

    /// The number at the start of `start..<end` and where it stops, when the fast path rounds it exactly; nil
    /// otherwise (no digits, `inf`, more digits than the fast path keeps): the caller then takes the whole field
    /// to `parseDouble`. Lets the CSV reader parse a field of a known float column while finding its end.
    @inline(__always)
    static func doublePrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                             thousands: UInt8?, decimal: UInt8, tables: DecimalTables) -> (Double, Int)? {
        let r = scanDouble(p, start, end, thousands: thousands, decimal: decimal, tables: tables)
        return r.outcome == .exact ? (r.value, r.stop) : nil
    }

    enum ScanOutcome { case exact, noDigits, inexact, invalid }

    /// Reads the longest number at `start`: sign, digits (with `thousands` between them), `decimal` and
    /// fraction, exponent. `stop` is the first byte after it; `value` is set when `outcome` is `.exact`.
    @inline(__always)
    static func scanDouble(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                           thousands: UInt8?, decimal: UInt8, tables: DecimalTables) -> (value: Double, stop: Int, outcome: ScanOutcome) {
        var i = start
        guard i < end else { return (0, i, .invalid) }
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        guard i < end else { return (0, i, .invalid) }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        var truncated = false
        let sep = thousands ?? 0xFF
        // Integer part.
        while i < end {
            let b = p[i]
            let d = b &- 48
            if d < 10 {
                sawDigit = true
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                } else {
                    exponent += 1
                    if d != 0 { truncated = true }
                }
            } else if b == sep && sawDigit {
            } else { break }
            i += 1
        }
        // Fraction.
        if i < end && p[i] == decimal {
            i += 1
            // Eight digits at a time while they fit in the 19-digit mantissa.
            while significant <= 11 && end - i >= 8 {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                guard let eight = FieldParsers.eightDigits(word) else { break }
                // Leading zeros are not significant digits.
                significant += mantissa != 0 ? 8 : FieldParsers.digitCount(eight)
                mantissa = mantissa &* 100_000_000 &+ eight
                exponent -= 8
                sawDigit = true
                i += 8
            }
            while i < end {
                let d = p[i] &- 48
                guard d < 10 else { break }
                sawDigit = true
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else if d != 0 { truncated = true }
                i += 1
            }
        }
        guard sawDigit else { return (0, i, .noDigits) }
        // Exponent.
        if i < end && (p[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                expNegative = p[i] == UInt8(ascii: "-"); i += 1
            }
            var e = 0
            var expDigits = 0
            while i < end {
                let d = p[i] &- 48
                guard d < 10 else { break }
                if e < 100_000 { e = e * 10 + Int(d) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return (0, i, .invalid) }
            exponent += expNegative ? -e : e
        }
        if !truncated && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            // Fractions (309.65) by Eisel–Lemire first: its multiply is cheaper than Clinger's division, which stalled
            // the parse loop (~6 % of a numeric file's load); it is exact whenever it answers, so the value is the same.
            if exponent < 0, let v = EiselLemire.convert(mantissa, exponent, negative: negative, powers: tables.mantissas) { return (v, i, .exact) }
            // Exact: both operands are exactly representable, so one correctly rounded operation (Clinger).
            let m = Double(mantissa)
            let v = exponent < 0 ? m / tables.powersOf10[-exponent] : m * tables.powersOf10[exponent]
            return (negative ? -v : v, i, .exact)
        }
        // Eisel–Lemire avoids the slow division of Clinger's path for negative exponents.
        if mantissa == 0 && !truncated { return (negative ? -0.0 : 0.0, i, .exact) }
        if !truncated, let v = EiselLemire.convert(mantissa, exponent, negative: negative, powers: tables.mantissas) { return (v, i, .exact) }
        return (0, i, .inexact)
    }

    /// Decimal digits of a number below 10⁸ (0 for 0).
    @inline(__always)
    static func digitCount(_ v: UInt64) -> Int {
        v >= 10_000_000 ? 8 : v >= 1_000_000 ? 7 : v >= 100_000 ? 6 : v >= 10_000 ? 5 : v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : v >= 1 ? 1 : 0
    }

    /// The value of eight ASCII digits loaded little-endian, or nil when any byte is not a digit
    /// (the SWAR technique of fast_float's `parse_eight_digits_unrolled`).
    @inline(__always)
    static func eightDigits(_ word: UInt64) -> UInt64? {
        guard ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080 == 0 else { return nil }
        var v = word &- 0x3030_3030_3030_3030
        v = (v &* 10) &+ (v >> 8)
        v = (((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064) &+ (((v >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001)) >> 32
        return v & 0xFFFF_FFFF
    }

    /// Falls back to the C library for inputs the fast path cannot round exactly.
    static func slowDouble(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, thousands: UInt8?, decimal: UInt8) -> Double? {
        var bytes: [CChar] = []
        bytes.reserveCapacity(end - start + 1)
        for i in start..<end {
            let b = p[i]
            if let t = thousands, b == t { continue }
            bytes.append(CChar(bitPattern: b == decimal ? UInt8(ascii: ".") : b))
        }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buf -> Double? in
            guard let base = buf.baseAddress else { return nil }
            var endPtr: UnsafeMutablePointer<CChar>?
            let v = strtod(base, &endPtr)
            guard let endPtr, endPtr == UnsafeMutablePointer(mutating: base) + (buf.count - 1) else { return nil }
            return v
        }
    }

    /// `inf`, `+inf`, `-inf`, `infinity` in any case.
    static func parseSpecial(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { negative = p[i] == UInt8(ascii: "-"); i += 1 }
        let word = lowerASCII(p, i, end)
        if word == "inf" || word == "infinity" { return negative ? -.infinity : .infinity }
        return nil
    }

    /// `true`/`false` in the spellings pandas accepts (`True`, `TRUE`, `true`, ...).
    @inline(__always)
    static func parseBool(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool? {
        // Compared byte by byte (ASCII-lowercased), so a bool column allocates nothing per cell.
        @inline(__always) func matches(_ word: StaticString) -> Bool {
            guard end - start == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for k in 0..<word.utf8CodeUnitCount where p[start + k] | 0x20 != w[k] { return false }
            return true
        }
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    static func lowerASCII(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        guard end - start <= 16 else { return "" }
        var s = ""
        for i in start..<end { s.unicodeScalars.append(UnicodeScalar(p[i] | (p[i] >= 65 && p[i] <= 90 ? 0x20 : 0))) }
        return s
    }

    /// A parsed date or date-time: microseconds since the epoch (UTC) and whether a time was present.
    struct ParsedDateTime { var micros: Int64; var hasTime: Bool }

    /// Parses `YYYY-MM-DD` or `YYYY/MM/DD`, optionally followed by `T` or a space and `HH:MM[:SS[.ffffff]]`,
    /// and an optional `Z` or `±HH[:MM]` offset.
    @inline(__always)
    static func parseDateTime(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> ParsedDateTime? {
        guard end - start >= 10 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int64? {
            let d = p[i] &- 48
            return d < 10 ? Int64(d) : nil
        }
        @inline(__always) func number(_ i: Int, _ n: Int) -> Int64? {
            var v: Int64 = 0
            for k in 0..<n { guard let d = digit(i + k) else { return nil }; v = v * 10 + d }
            return v
        }
        let sep = p[start + 4]
        guard sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/"), p[start + 7] == sep,
              let year = number(start, 4), let month = number(start + 5, 2), let day = number(start + 8, 2),
              month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        var micros = CivilDate.days(year: year, month: month, day: day) * 86_400_000_000
        var i = start + 10
        if i == end { return ParsedDateTime(micros: micros, hasTime: false) }
        guard p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: " "), end - i >= 6 else { return nil }
        i += 1
        guard let hour = number(i, 2), p[i + 2] == UInt8(ascii: ":"), let minute = number(i + 3, 2),
              hour < 24, minute < 60 else { return nil }
        i += 5
        var second: Int64 = 0
        var fraction: Int64 = 0
        if i < end && p[i] == UInt8(ascii: ":") {
            guard end - i >= 3, let s = number(i + 1, 2), s < 61 else { return nil }
            second = s
            i += 3
            if i < end && (p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",")) {
                i += 1
                var scale: Int64 = 100_000
                var any = false
                while i < end, let d = digit(i) {
                    fraction += d * scale
                    scale /= 10
                    any = true
                    i += 1
                }
                guard any else { return nil }
            }
        }
        micros += ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
        if i < end {
            if p[i] == UInt8(ascii: "Z") && i + 1 == end { return ParsedDateTime(micros: micros, hasTime: true) }
            guard p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") else { return nil }
            let sign: Int64 = p[i] == UInt8(ascii: "+") ? 1 : -1
            i += 1
            guard end - i >= 2, let oh = number(i, 2) else { return nil }
            i += 2
            var om: Int64 = 0
            if i < end && p[i] == UInt8(ascii: ":") { i += 1 }
            if end - i == 2, let m = number(i, 2) { om = m; i += 2 }
            guard i == end else { return nil }
            micros -= sign * (oh * 60 + om) * 60_000_000
        }
        return ParsedDateTime(micros: micros, hasTime: true)
    }
}

/// Public access to the date parser used by the sources.
public enum DateParsing {
    /// Parses an ISO date or date-time (`2024-03-01`, `2024/03/01 12:30`, `2024-03-01T12:30:00Z`).
    public static func parse(_ text: String) -> (micros: Int64, hasTime: Bool)? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b -> (Int64, Bool)? in
            guard let base = b.baseAddress, let r = FieldParsers.parseDateTime(base, 0, b.count) else { return nil }
            return (r.micros, r.hasTime)
        }
    }
}
