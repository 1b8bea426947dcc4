/// One parsed JSON value. Records are parsed one at a time into these and flattened into columns at once,
/// so a whole file never lives as a tree (except an object that wraps the record list, e.g. `{"data": [...]}`).
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// What kind of value this is, in words for messages ("an object", "a number", ...).
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .float: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Compact JSON text for this value (used for arrays kept as text columns).
    var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Appends compact JSON text for this value to `out`.
    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let v): out += String(v)
        case .float(let v): out += JSONValue.numberText(v)
        case .string(let s): JSONValue.writeQuoted(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeQuoted(m.key, to: &out)
                out += ":"
                m.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// A JSON number as text: `307.0` stays `307.0`; NaN and infinities (which JSON lacks) become `null`.
    static func numberText(_ v: Double) -> String {
        v.isFinite ? "\(v)" : "null"
    }

    /// Appends `s` as a JSON string literal, escaping quotes, backslashes and control characters.
    static func writeQuoted(_ s: String, to out: inout String) {
        out += JSONText.string(s)
    }
}

/// One `"key": value` member of a JSON object, in source order.
struct JSONMember: Sendable {
    var key: String
    var value: JSONValue
}
