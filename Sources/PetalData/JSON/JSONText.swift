/// The one JSON writer of scalars: how Petal spells strings, numbers and cells in JSON, wherever it writes JSON
/// (`save` as JSON/NDJSON, `--json` output through `JSONValue`, the server's answers and errors through
/// PetalServe's `JSONOut`, a bundle's MLmodel signature). One escaping rule: `"` and `\` are escaped, line feed,
/// carriage return and tab as `\n` `\r` `\t`, other control characters as `\u00XX`; everything else (including
/// non-ASCII) is written as UTF-8.
public enum JSONText {
    /// A cell as JSON: numbers as numbers, dates as ISO strings, missing values as null.
    public static func value(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .int(let x): return String(x)
        case .float(let x): return number(x)
        case .bool(let x): return x ? "true" : "false"
        case .datetime: return string(v.plainText)
        case .text(let s): return string(s)
        }
    }

    /// A JSON number; NaN and infinities (not valid JSON) become null.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        return "\(x)"  // shortest round-trip form that keeps floats recognisable: 1.0, 5.1, 1e-07
    }

    /// `s` as a JSON string literal, quotes included.
    public static func string(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal (quotes included) to UTF-8 bytes.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
