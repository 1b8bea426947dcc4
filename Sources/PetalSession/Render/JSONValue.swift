import PetalData

/// A JSON document with object keys kept in insertion order, so `--json` output is stable and diffable.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Compact JSON text on one line.
    public func serialized() -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .number(let d): return JSONText.number(d)
        case .string(let s): return JSONText.string(s)
        case .array(let items): return "[" + items.map { $0.serialized() }.joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.map { JSONText.string($0.0) + ": " + $0.1.serialized() }.joined(separator: ", ") + "}"
        }
    }

    /// A value from a cell: numbers as numbers, dates as ISO strings, null as null.
    public static func from(_ v: Value) -> JSONValue {
        switch v {
        case .null: return .null
        case .int(let x): return .int(Int(x))
        case .float(let x): return x.isFinite ? .number(x) : .null
        case .bool(let x): return .bool(x)
        case .datetime, .text: return .string(v.plainText)
        }
    }

    /// A number, or null when absent or not finite.
    public static func number(_ d: Double?) -> JSONValue {
        guard let d, d.isFinite else { return .null }
        return .number(d)
    }
}
