/// Quoting for the command language.
public enum Quote {
    /// Quotes a path for the command language when it has spaces, quotes or `;`.
    public static func argument(_ s: String) -> String {
        guard s.contains(where: { $0 == " " || $0 == "\"" || $0 == "'" || $0 == ";" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `s` with control characters written as escapes (`\n`, `\t`, `\u{1B}`), for messages that must stay on one line.
    public static func escapedForMessage(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F { out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
