/// One JSON value, the project's only one: what the loader parses records into (one record at a time, flattened
/// into columns at once, so a whole file never lives as a tree) and what `--json` output and tracking payloads are
/// built from. Object members keep their order, so written JSON is stable and diffable.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in source (or insertion) order; a key may repeat, as in the text it came from.
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// JSON text on one line, with a space after each `,` and `:` (the `--json` output's style).
    public func serialized() -> String {
        var out = ""
        write(to: &out, spaced: true)
        return out
    }

    /// Compact JSON text with no spaces (arrays kept as text cells, as `json.dumps(separators=(",", ":"))`).
    public var compactText: String {
        var out = ""
        write(to: &out, spaced: false)
        return out
    }

    /// Appends this value as JSON text; strings and numbers go through `JSONText`, the one writer of both.
    public func write(to out: inout String, spaced: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d): out += JSONText.number(d)
        case .string(let s): out += JSONText.string(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += spaced ? ", " : "," }
                item.write(to: &out, spaced: spaced)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += spaced ? ", " : "," }
                out += JSONText.string(key)
                out += spaced ? ": " : ":"
                value.write(to: &out, spaced: spaced)
            }
            out += "}"
        }
    }

    /// What kind of value this is, in words for messages ("an object", "a number", ...).
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// True for arrays.
    public var isArray: Bool { if case .array = self { return true }; return false }

    /// A value from a cell: numbers as numbers, dates as ISO strings, null (and NaN, infinities) as null.
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
