import Foundation

/// One cell's value, for display, sorting and comparisons. Storage never holds these; columns do.
public enum Value: Sendable, Hashable {
    case null
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case datetime(Int64, dateOnly: Bool)
    case text(String)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as a double when it is a number or a boolean.
    public var doubleValue: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .float(let v): return v
        case .bool(let v): return v ? 1 : 0
        case .datetime(let v, _): return Double(v)
        default: return nil
        }
    }

    /// A plain textual form: shortest round-trip numbers, ISO dates, raw text; empty for null.
    public var plainText: String {
        switch self {
        case .null: return ""
        case .int(let v): return String(v)
        case .float(let v): return NumberText.shortest(v)
        case .bool(let v): return v ? "true" : "false"
        case .datetime(let v, let dateOnly): return DateTimeText.format(micros: v, dateOnly: dateOnly)
        case .text(let s): return s
        }
    }
}

/// Number formatting shared by writers and renderers.
public enum NumberText {
    /// The shortest text that reads back as the same double (`5.1`, `150`, `1e-07`); `NaN`/`inf` spelled out.
    public static func shortest(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

/// ISO 8601 formatting of microsecond timestamps, in UTC.
public enum DateTimeText {
    public static func format(micros: Int64, dateOnly: Bool) -> String {
        let (days, dayMicros) = divFloor(micros, 86_400_000_000)
        let (y, m, d) = CivilDate.civil(fromDays: days)
        let date = String(format: "%04d-%02d-%02d", y, m, d)
        if dateOnly && dayMicros == 0 { return date }
        let seconds = dayMicros / 1_000_000
        let fraction = dayMicros % 1_000_000
        var text = date + String(format: " %02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60)
        if fraction != 0 {
            var f = String(format: "%06d", fraction)
            while f.hasSuffix("0") { f.removeLast() }
            text += "." + f
        }
        return text
    }

    static func divFloor(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }
}

/// Conversions between civil dates and days since 1970-01-01 (Howard Hinnant's algorithms).
public enum CivilDate {
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        default: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        }
    }
}

extension Array {
    /// The element at `index`, or nil when out of range (for indices that come from users or files).
    public subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
