/// Public entry to the byte-level number parsers the CSV reader uses, for other modules that read numbers
/// straight from bytes (the server's request decoder) without making Strings.
public enum NumberParsing {
    /// The decimal number in `p[start..<end]` (exact, correctly rounded; `1e-5`, `-3.5`, `inf`), or nil.
    @inline(__always)
    public static func double(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        FieldParsers.parseDouble(p, start, end, thousands: nil, decimal: UInt8(ascii: "."), tables: .shared)
    }
}
