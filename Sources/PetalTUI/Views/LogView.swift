import PetalSession

/// The whole log of the session (commands, results, warnings, errors) on a page of its own: wrapped at spaces so
/// nothing is cut, scrolled back to the start, searched with `/` and `n`/`N`. Opened with F2 or the `log`
/// command; the workbench keeps it current while it is on top.
public struct LogView: WorkbenchView {
    public var title: String { "log (\(entries.count) lines)" }
    var entries: [(text: String, style: CellStyle)]
    /// The first wrapped row shown; nil follows the end (new lines come into view).
    public private(set) var top: Int?
    public private(set) var lastSearch = ""
    /// The wrapped row of the last match, highlighted.
    public private(set) var match: Int?

    public init(entries: [(text: String, style: CellStyle)]) { self.entries = entries }

    public var hints: [KeyHint] {
        [KeyHint("↑↓ PgUp PgDn", "scroll"), KeyHint("g/G", "start/end"), KeyHint("/", "search"), KeyHint("n/N", "next/previous")]
    }

    /// The log's lines wrapped to `width` cells, each with its style and the entry it came from.
    func rows(width: Int) -> [(text: String, style: CellStyle)] {
        entries.flatMap { entry in TextWidth.wrap(entry.text, width: width, indent: "  ").map { ($0, entry.style) } }
    }

    mutating func update(_ entries: [(text: String, style: CellStyle)]) { self.entries = entries }

    private func firstRow(of rows: Int, height: Int) -> Int {
        let last = max(0, rows - height)
        return min(top ?? last, last)
    }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let all = rows(width: max(1, rect.width - 1))
        if all.isEmpty {
            grid.put("Nothing logged yet: the commands you run and what they answer collect here.", x: rect.x, y: rect.y, style: .muted, maxX: rect.maxX)
            return
        }
        let start = firstRow(of: all.count, height: rect.height)
        for row in 0..<rect.height {
            guard let line = all[safe: start + row] else { break }
            var style = line.style
            if start + row == match { style.reverse = true }
            grid.put(line.text, x: rect.x, y: rect.y + row, style: style, maxX: rect.maxX)
        }
        if all.count > rect.height {
            let shown = "\(min(all.count, start + rect.height))/\(all.count)"
            grid.put(shown, x: rect.maxX - TextWidth.of(shown), y: rect.maxY - 1, style: .muted, maxX: rect.maxX)
        }
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        let count = rows(width: max(1, rect.width - 1)).count
        let lastTop = max(0, count - rect.height)
        let current = firstRow(of: count, height: rect.height)
        let page = max(1, rect.height - 1)
        func go(_ row: Int) { let r = max(0, min(lastTop, row)); top = r == lastTop ? nil : r }
        switch key {
        case .down, .character("j"), .scrollDown: go(current + 1)
        case .up, .character("k"), .scrollUp: go(current - 1)
        case .pageDown, .character(" "): go(current + page)
        case .pageUp: go(current - page)
        case .home, .character("g"): go(0)
        case .end, .character("G"): go(lastTop)
        case .character("/"): return .ask(prompt: "search the log: ", purpose: "search")
        case .character("n"): return search(lastSearch, forward: true, rect: rect)
        case .character("N"): return search(lastSearch, forward: false, rect: rect)
        default: return .ignored
        }
        return .handled
    }

    public mutating func answer(_ text: String, to purpose: String, rect: Rect) -> ViewResponse {
        guard purpose == "search" else { return .ignored }
        lastSearch = text
        match = nil
        return search(text, forward: true, rect: rect)
    }

    /// Moves to the next (or previous) wrapped row containing `text`, ignoring case, wrapping around the log.
    mutating func search(_ text: String, forward: Bool, rect: Rect) -> ViewResponse {
        guard !text.isEmpty else { return .message("type / and the text to find") }
        let all = rows(width: max(1, rect.width - 1))
        guard !all.isEmpty else { return .message("the log is empty") }
        let from = match ?? (forward ? -1 : all.count)
        for step in 1...all.count {
            let row = ((from + (forward ? step : -step)) % all.count + all.count) % all.count
            if all[row].text.localizedCaseInsensitiveContains(text) {
                match = row
                let lastTop = max(0, all.count - rect.height)
                let wanted = max(0, min(lastTop, row - rect.height / 2))
                top = wanted == lastTop ? nil : wanted
                return .message("\"\(text)\" on line \(row + 1) of \(all.count)")
            }
        }
        return .message("\"\(text)\" is not in the log")
    }
}
