/// The one quoting rule for every CSV/TSV writer in Petal (`save`, `petal predict`, the demo's flags.csv).
///
/// A field is quoted (RFC 4180, quotes doubled) when it holds the separator, a quote or a line break, starts or
/// ends with a space, or is a missing-value marker (`NA`, `null`, `NaN`, …): Petal's reader keeps a quoted
/// marker as text, so a text value "NA" survives the round trip instead of coming back missing. The empty
/// string is left as it is: an empty field is missing to every reader, quoted or not (as pandas).
public enum CSVField {
    public static func quoted(_ s: String, separator: String) -> String {
        guard needsQuotes(s, separator: separator.utf8.first ?? UInt8(ascii: ",")) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func quoted(_ s: String, separator: Character) -> String {
        quoted(s, separator: String(separator))
    }

    static func needsQuotes(_ s: String, separator: UInt8) -> Bool {
        if s.utf8.contains(where: { $0 == separator || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            return true
        }
        return s.first == " " || s.last == " " || MissingMarkers.defaultSet.contains(s)
    }
}
