import PetalData
import PetalSession

/// The experiment log as a table: a row per run with its headline metrics and the params that vary; sort by
/// the cursor's column, filter with `runs where …`, mark several runs and compare them, open one. The columns and
/// cells come from the session as plain values (`RunTable`); this view only lays them out and moves the cursor.
public struct RunsView: WorkbenchView {
    public let output: RunsOutput
    public private(set) var rows: [RunTable.Row]
    public private(set) var row = 0
    public private(set) var column = 0
    public private(set) var marked: Set<Int> = []
    private var top = 0
    /// The first column drawn after the sticky `run` column (←/→ scroll sideways to keep the cursor's in view).
    public private(set) var left = 1
    let columns: [(title: String, value: @Sendable (RunTable.Row) -> String, number: @Sendable (RunTable.Row) -> Double?)]

    public init(output: RunsOutput) {
        self.output = output
        let table = RunTable(output)
        rows = table.rows
        columns = table.columns.enumerated().map { k, c in
            (c.title, { $0.cells[safe: k] ?? "" }, { $0.numbers[safe: k] ?? nil })
        }
    }

    public var title: String {
        "runs: \(rows.count) in \(output.scope)" + (output.condition.map { " where \($0)" } ?? "") + (marked.isEmpty ? "" : ", \(marked.count) marked")
    }

    public var hints: [KeyHint] {
        [KeyHint("↑↓←→", "move, scroll"), KeyHint("Enter", "open"), KeyHint("Space", "mark"), KeyHint("c", "compare marked"),
         KeyHint("[ ]", "sort"), KeyHint("/", "filter")]
    }

    /// Each column's width: its title and its widest value among the first 200 rows (at most 24; the `best`
    /// column, which says the winning parameters, up to 60 so they are whole).
    var widths: [Int] { columns.map { c in min(c.title == RunTable.bestTitle ? 60 : 24, max(TextWidth.of(c.title), rows.prefix(200).map { TextWidth.of(c.value($0)) }.max() ?? 0)) } }

    /// The columns drawn at `width`: `run`, then from `left` as many as fit whole.
    func shownColumns(width: Int, widths: [Int]) -> [Int] {
        var out = [0]
        var x = 2 + (widths.first ?? 3) + 2
        for k in max(1, left)..<columns.count {
            if x + widths[k] > width && out.count > 1 { break }
            out.append(k)
            x += widths[k] + 2
        }
        return out
    }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        guard rect.height >= 2 else { return }
        let widths = self.widths
        let shown = shownColumns(width: rect.width, widths: widths)
        var x = rect.x + 2
        if left > 1 { grid.put(context.unicode ? "◀" : "<", x: rect.x, y: rect.y, style: .muted) }
        if let last = shown.last, last < columns.count - 1 {
            grid.put(context.unicode ? "▶" : ">", x: rect.maxX - 1, y: rect.y, style: .muted)
        }
        for k in shown where x < rect.maxX {
            let c = columns[k]
            let style = k == column ? CellStyle(.accent, bold: true, underline: true) : CellStyle.header
            grid.put(TextWidth.truncate(c.title, to: widths[k]), x: x, y: rect.y, style: style, maxX: rect.maxX)
            x += widths[k] + 2
        }
        if rows.isEmpty {
            grid.put("no runs yet: fit, cv and search record them", x: rect.x + 2, y: rect.y + 1, style: .muted, maxX: rect.maxX)
            return
        }
        for line in 0..<(rect.height - 1) {
            let r = top + line
            guard let run = rows[safe: r] else { break }
            let y = rect.y + 1 + line
            grid.put(marked.contains(run.id) ? (context.unicode ? "●" : "*") : " ", x: rect.x, y: y, style: CellStyle(.accent))
            x = rect.x + 2
            for k in shown where x < rect.maxX {
                let c = columns[k]
                var style: CellStyle = run.state == .failed ? CellStyle(.error) : run.state == .running ? CellStyle(.warning) : .plain
                if r == row { style.reverse = k == column; style.bold = true }
                let text = TextWidth.truncate(c.value(run), to: widths[k])
                let aligned = c.number(run) != nil && k != 0 || k == 0
                    ? String(repeating: " ", count: max(0, widths[k] - TextWidth.of(text))) + text : text
                grid.put(aligned, x: x, y: y, style: style, maxX: min(rect.maxX, x + widths[k]))
                x += widths[k] + 2
            }
        }
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        let body = max(1, rect.height - 1)
        switch key {
        case .down, .character("j"): row = min(max(0, rows.count - 1), row + 1)
        case .up, .character("k"): row = max(0, row - 1)
        case .pageDown: row = min(max(0, rows.count - 1), row + body)
        case .pageUp: row = max(0, row - body)
        case .right, .character("l"):
            column = min(columns.count - 1, column + 1)
            while !shownColumns(width: rect.width, widths: widths).contains(column) && left < column { left += 1 }
        case .left, .character("h"):
            column = max(0, column - 1)
            if column >= 1 && column < left { left = column }
        case .character(" "):
            guard let run = rows[safe: row] else { return .ignored }
            if marked.contains(run.id) { marked.remove(run.id) } else { marked.insert(run.id) }
            row = min(max(0, rows.count - 1), row + 1)
        case .character("c"):
            guard marked.count >= 2 else { return .message("mark two or more runs with Space, then c compares them") }
            return .run("compare " + marked.sorted().map(String.init).joined(separator: " "))
        case .enter:
            guard let run = rows[safe: row] else { return .ignored }
            return .run("run \(run.id)")
        case .character("["): sort(ascending: true)
        case .character("]"): sort(ascending: false)
        case .character("/"): return .ask(prompt: "runs where ", purpose: "filter")
        default: return .ignored
        }
        if row < top { top = row }
        if row >= top + body { top = row - body + 1 }
        return .handled
    }

    public mutating func answer(_ text: String, to purpose: String, rect: Rect) -> ViewResponse {
        guard purpose == "filter" else { return .ignored }
        let condition = text.trimmingCharacters(in: .whitespaces)
        return .run(condition.isEmpty ? "runs" : "runs where " + condition)
    }

    private mutating func sort(ascending: Bool) {
        guard let c = columns[safe: column] else { return }
        rows.sort { a, b in
            if let x = c.number(a), let y = c.number(b), x != y { return ascending ? x < y : x > y }
            if c.number(a) != nil && c.number(b) == nil { return true }
            if c.number(a) == nil && c.number(b) != nil { return false }
            let s = c.value(a), t = c.value(b)
            if s != t { return ascending ? s < t : s > t }
            return a.id < b.id
        }
        row = 0
        top = 0
    }
}
