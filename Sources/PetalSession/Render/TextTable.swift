/// A table of text cells laid out to a width: aligned columns, middle columns elided with `…` when too wide,
/// and long tables cut with a "… N more rows" line.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }
    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]
    /// Rows not included in `rows` (shown as "… N more rows").
    public var hiddenRows = 0
    /// The first `stickyColumns` columns (an index or a label column) are never elided.
    public var stickyColumns = 0
    /// An optional second header line (column types).
    public var subheaders: [String]?

    public init(headers: [String], alignments: [Alignment], rows: [[String]]) {
        self.headers = headers; self.alignments = alignments; self.rows = rows
    }

    /// The table as lines no wider than `width` (as far as the sticky columns allow).
    public func render(width: Int) -> String {
        let n = headers.count
        guard n > 0 else { return "" }
        var widths = (0..<n).map { c in
            max(TextWidth.of(headers[c]), TextWidth.of(subheaders?[c] ?? ""), rows.map { TextWidth.of($0[safe: c] ?? "") }.max() ?? 0)
        }
        widths = widths.map { min($0, 40) }
        // Choose columns: keep the sticky ones, then as many from the left and right as fit.
        var shown = Array(0..<n)
        func total(_ cols: [Int]) -> Int { cols.reduce(0) { $0 + widths[$1] } + 2 * max(0, cols.count - 1) }
        if total(shown) > width && n > stickyColumns + 1 {
            var left = Array(0..<stickyColumns)
            var right: [Int] = []
            var lo = stickyColumns, hi = n - 1
            var takeLeft = true
            while lo <= hi {
                let candidate = takeLeft ? lo : hi
                let trial = left + (takeLeft ? [candidate] : []) + [-1] + (takeLeft ? [] : [candidate]) + right
                let w = trial.reduce(0) { $0 + ($1 < 0 ? 1 : widths[$1]) } + 2 * (trial.count - 1)
                if w > width { break }
                if takeLeft { left.append(lo); lo += 1 } else { right.insert(hi, at: 0); hi -= 1 }
                takeLeft.toggle()
            }
            shown = left + [-1] + right
            if left.count == stickyColumns && right.isEmpty && lo <= hi { shown = left + [lo, -1] }
        }
        func cell(_ text: String, _ c: Int) -> String {
            if c < 0 { return "…" }
            let t = TextWidth.truncate(text, to: widths[c])
            let pad = String(repeating: " ", count: max(0, widths[c] - TextWidth.of(t)))
            return alignments[safe: c] == .left ? t + pad : pad + t
        }
        func line(_ cells: (Int) -> String) -> String {
            var s = shown.map { $0 < 0 ? "…" : cell(cells($0), $0) }.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        var out: [String] = [line { headers[safe: $0] ?? "" }]
        if let subheaders { out.append(line { subheaders[safe: $0] ?? "" }) }
        for r in rows { out.append(line { r[safe: $0] ?? "" }) }
        if hiddenRows > 0 { out.append("… \(NumberFormat.count(hiddenRows)) more row\(hiddenRows == 1 ? "" : "s")") }
        return out.joined(separator: "\n")
    }
}

/// Display width of text in terminal cells (East Asian wide characters count two).
public enum TextWidth {
    public static func of(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + width($1) } }

    static func width(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v == 0 || (v >= 0x300 && v <= 0x36F) || v == 0x200B { return 0 }
        if (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0xA4CF) || (v >= 0xAC00 && v <= 0xD7A3)
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F) || (v >= 0xFF00 && v <= 0xFF60)
            || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x1F300 && v <= 0x1FAFF) || (v >= 0x20000 && v <= 0x3FFFD) {
            return 2
        }
        return 1
    }

    /// `s` cut to `width` cells, ending in `…` when cut; newlines and tabs shown as spaces.
    public static func truncate(_ s: String, to width: Int) -> String {
        let clean = s.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r" })
            ? String(s.map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : $0 }) : s
        guard of(clean) > width else { return clean }
        var out = ""
        var used = 0
        for u in clean.unicodeScalars {
            let w = self.width(u)
            if used + w > width - 1 { break }
            out.unicodeScalars.append(u)
            used += w
        }
        return out + "…"
    }
}

