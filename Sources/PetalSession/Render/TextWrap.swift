extension TextWidth {
    /// `text` broken into lines of at most `width` cells at spaces, so commands, paths and curl lines stay whole
    /// words that can be copied; a single word longer than a line is split (nothing is dropped or replaced by
    /// `…`). Continuation lines start with `indent`. Newlines in `text` start new lines; tabs become spaces.
    public static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        let width = max(1, width)
        let indentWidth = of(indent) < width ? of(indent) : 0
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let clean = String(paragraph).replacingTabsAndReturns()
            var line = "", used = 0
            var first = true
            func flush() {
                out.append(line)
                line = indentWidth > 0 ? indent : ""
                used = indentWidth
                first = false
            }
            // Words keep the spaces before them, so indentation inside a line survives.
            for word in clean.wordsWithLeadingSpaces() {
                var piece = word
                var w = of(piece)
                if used + w > width, used > (first ? 0 : indentWidth) {
                    flush()
                    piece = String(piece.drop { $0 == " " })
                    w = of(piece)
                }
                // A word wider than a whole line: split it by cells.
                while used + w > width {
                    var head = "", headWidth = 0
                    for u in piece.unicodeScalars {
                        let uw = self.width(u)
                        if used + headWidth + uw > width, headWidth > 0 || used > (first ? 0 : indentWidth) { break }
                        head.unicodeScalars.append(u)
                        headWidth += uw
                    }
                    line += head
                    piece = String(piece.unicodeScalars.dropFirst(head.unicodeScalars.count))
                    w = of(piece)
                    flush()
                }
                line += piece
                used += w
            }
            out.append(line)
        }
        return out
    }
}

extension String {
    fileprivate func replacingTabsAndReturns() -> String {
        contains(where: { $0 == "\t" || $0 == "\r" }) ? String(map { $0 == "\t" || $0 == "\r" ? " " : $0 }) : self
    }

    /// Splits into runs of spaces followed by non-spaces (`"a  b"` → `["a", "  b"]`).
    fileprivate func wordsWithLeadingSpaces() -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        for ch in self {
            if ch == " " {
                if inWord { words.append(current); current = ""; inWord = false }
                current.append(ch)
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
