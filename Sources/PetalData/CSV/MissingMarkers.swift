/// The strings that mean "no value" in a delimited file: pandas' default `na_values` plus any the user adds.
struct MissingMarkers: Sendable {
    static let defaults = [
        "", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "null", "NULL", "None", "#N/A", "#N/A N/A",
        "#NA", "<NA>", "-1.#IND", "-1.#QNAN", "1.#IND", "1.#QNAN",
    ]
    /// The defaults as a set, for writers that must quote text that would read back as missing.
    static let defaultSet = Set(defaults)
    private var byLength: [[[UInt8]]]
    private var firstBytes = [Bool](repeating: false, count: 256)
    private let maxLength: Int
    /// True when the user added markers that look like numbers (`na=-999`): then no fast rejection.
    let numericExtras: Bool

    init(extra: [String] = []) {
        let all = MissingMarkers.defaults + extra
        let longest = all.map { $0.utf8.count }.max() ?? 0
        maxLength = longest
        numericExtras = extra.contains { m in
            guard let f = m.utf8.first else { return false }
            return f &- 48 < 10 || f == UInt8(ascii: "-") || f == UInt8(ascii: "+") || f == UInt8(ascii: ".")
        }
        byLength = [[[UInt8]]](repeating: [], count: longest + 1)
        for s in all {
            let bytes = Array(s.utf8)
            byLength[bytes.count].append(bytes)
            if let f = bytes.first { firstBytes[Int(f)] = true }
        }
    }

    /// True when the bytes `start..<end` are exactly a missing-value marker. Not trimmed, as pandas: a field of
    /// spaces (quoted or not) is text, and so is " NA".
    @inline(__always)
    func contains(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let n = end - start
        if n == 0 { return true }
        guard n <= maxLength else { return false }
        // Numbers are never markers, except the spreadsheet ones with '#' (1.#IND, -1.#QNAN).
        let first = p[start]
        if numericExtras { return firstBytes[Int(first)] && matches(p, start, n) }
        if first &- 48 < 10 { return n >= 6 && p[start + 2] == UInt8(ascii: "#") && matches(p, start, n) }
        if first == UInt8(ascii: "-") && n > 1 && p[start + 1] &- 48 < 10 {
            return n >= 7 && p[start + 3] == UInt8(ascii: "#") && matches(p, start, n)
        }
        guard firstBytes[Int(first)] else { return false }
        return matches(p, start, n)
    }

    @inline(__always)
    private func matches(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Bool {
        for candidate in byLength[n] {
            var same = true
            for k in 0..<n where candidate[k] != p[start + k] { same = false; break }
            if same { return true }
        }
        return false
    }
}
