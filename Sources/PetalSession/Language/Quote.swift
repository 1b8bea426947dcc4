/// Quoting for the command language.
public enum Quote {
    /// Quotes a path for the command language when it has spaces, quotes or `;`.
    public static func argument(_ s: String) -> String {
        guard s.contains(where: { $0 == " " || $0 == "\"" || $0 == "'" || $0 == ";" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
