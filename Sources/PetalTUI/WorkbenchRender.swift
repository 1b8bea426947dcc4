import PetalData
import PetalSession

/// What the line editor holds right now, for drawing: the prompt, the text and the cursor's display column.
public struct CommandLineState: Sendable, Equatable {
    public var prompt: String
    public var text: String
    /// The cursor's column within `text`, in display cells.
    public var cursor: Int
    public init(prompt: String = "▶ ", text: String = "", cursor: Int = 0) { self.prompt = prompt; self.text = text; self.cursor = cursor }
}

/// The screen's regions at a given size.
public struct WorkbenchLayout: Sendable, Equatable {
    public var title: Rect
    public var sidebar: Rect?
    public var main: Rect
    public var rule: Rect
    public var log: Rect
    public var commandLine: Rect
    public var hints: Rect
    /// Below 40×10 only a message and the command line fit.
    public var tooSmall: Bool

    public static let minimumWidth = 80, minimumHeight = 24

    /// - Parameter logRows: rows the log wants (a long message shown whole); it grows over the view up to all
    ///   but three rows of it.
    public init(width: Int, height: Int, logRows: Int = 0) {
        tooSmall = width < 40 || height < 10
        let usual = height >= 30 ? 5 : height >= 24 ? 3 : tooSmall ? 0 : 2
        let logHeight = tooSmall ? 0 : max(usual, min(logRows, height - 4 - 3 - 1))
        title = Rect(x: 0, y: 0, width: width, height: 1)
        hints = Rect(x: 0, y: height - 1, width: width, height: 1)
        commandLine = Rect(x: 0, y: height - 2, width: width, height: 1)
        log = Rect(x: 0, y: height - 2 - logHeight, width: width, height: logHeight)
        rule = Rect(x: 0, y: log.y - 1, width: width, height: 1)
        let bodyHeight = max(0, rule.y - 1)
        let sidebarWidth = width >= WorkbenchLayout.minimumWidth ? min(24, width / 4) : 0
        sidebar = sidebarWidth > 0 ? Rect(x: 0, y: 1, width: sidebarWidth, height: bodyHeight) : nil
        main = Rect(x: sidebarWidth > 0 ? sidebarWidth + 1 : 0, y: 1, width: width - (sidebarWidth > 0 ? sidebarWidth + 1 : 0), height: bodyHeight)
    }
}

extension Workbench {
    /// Draws the whole screen; returns where the terminal cursor belongs (in the command line or a question).
    @discardableResult
    public func render(into grid: inout Grid, line: CommandLineState, context: DrawContext = DrawContext()) -> (x: Int, y: Int) {
        grid.fill(grid.bounds)
        let logWidth = max(1, grid.width - 2)
        let message = messageStart.map { start in log[start...].flatMap { wrapped($0, width: logWidth) } } ?? []
        let layout = WorkbenchLayout(width: grid.width, height: grid.height, logRows: message.count)
        messageTaller = message.count > WorkbenchLayout(width: grid.width, height: grid.height).log.height
        mainRect = layout.main
        // Text wrapped for the view's width is wrapped again when the width changed (a terminal resize).
        if let last = views.indices.last { views[last].fit(width: max(20, mainRect.width)) }
        drawTitle(into: &grid, rect: layout.title, context: context)
        if layout.tooSmall {
            grid.put("Petal needs at least \(WorkbenchLayout.minimumWidth)×\(WorkbenchLayout.minimumHeight);", x: 0, y: 1, style: CellStyle(.warning))
            grid.put("this terminal is \(grid.width)×\(grid.height).", x: 0, y: 2, style: CellStyle(.warning))
            grid.put("Enlarge the window.", x: 0, y: 3, style: CellStyle(.warning))
        } else {
            if let sidebar = layout.sidebar {
                drawSidebar(into: &grid, rect: sidebar, context: context)
                for y in sidebar.y..<sidebar.maxY { grid.put(context.unicode ? "│" : "|", x: sidebar.maxX, y: y, style: .muted) }
            } else {
                sidebarRows = [:]
            }
            views[views.count - 1].draw(into: &grid, rect: layout.main, context: context)
            drawRule(into: &grid, rect: layout.rule, context: context, narrow: layout.sidebar == nil)
            // Lines wrap at spaces (nothing meant to be copied is cut); a message taller than the area starts at its top.
            var rows: [(text: String, style: CellStyle)] = []
            for entry in log.reversed() {
                rows.insert(contentsOf: wrapped(entry, width: logWidth), at: 0)
                if rows.count >= layout.log.height { break }
            }
            let shown = message.count > layout.log.height ? Array(message.prefix(layout.log.height)) : Array(rows.suffix(layout.log.height))
            for (k, row) in shown.enumerated() {
                grid.put(row.text, x: 1, y: layout.log.y + k, style: row.style, maxX: layout.log.maxX)
            }
        }
        let cursor = drawCommandLine(into: &grid, rect: layout.commandLine, line: line)
        drawHints(into: &grid, rect: layout.hints)
        if !context.unicode { grid.asciiFallback() }
        return cursor
    }

    /// A log entry as the rows it takes at `width` cells.
    private func wrapped(_ entry: (text: String, style: CellStyle), width: Int) -> [(text: String, style: CellStyle)] {
        TextWidth.wrap(entry.text, width: width, indent: "  ").map { ($0, entry.style) }
    }

    private func drawTitle(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let bar = CellStyle(.accent, reverse: true)
        grid.fill(rect, style: bar)
        var x = grid.put(context.unicode ? " ✿ Petal " : " * Petal ", x: 0, y: rect.y, style: CellStyle(.accent, bold: true, reverse: true))
        x = grid.put(" " + currentView.title, x: x, y: rect.y, style: bar, maxX: rect.maxX - 1, ellipsis: true)
        if let busy {
            var text = " " + busy.line
            if let control = busy.control, control.progress.total > 0 {
                let percent = Int((control.fraction * 100).rounded())
                let bar = Bars.horizontal(control.fraction, width: 12, unicode: context.unicode)
                text = " " + TextWidth.truncate(busy.line, to: 24) + " " + bar + String(repeating: " ", count: max(0, 12 - TextWidth.of(bar)))
                    + " \(percent)%"
            } else {
                text = " running " + TextWidth.truncate(busy.line, to: 30) + "…"
            }
            text += "  Ctrl-C cancels "
            let w = TextWidth.of(text)
            grid.put(text, x: max(x + 1, rect.maxX - w), y: rect.y, style: CellStyle(.warning, bold: true, reverse: true), maxX: rect.maxX)
        }
    }

    private func drawRule(into grid: inout Grid, rect: Rect, context: DrawContext, narrow: Bool) {
        grid.fill(rect, with: context.unicode ? "─" : "-", style: .muted)
        var label = showsMessage ? " log: the whole message (Esc hides it, F2 the whole log) " : " log (F2 shows it all) "
        if narrow { label += "(sidebar hidden below \(WorkbenchLayout.minimumWidth) columns) " }
        grid.put(label, x: 2, y: rect.y, style: .muted)
        if let status {
            let text = " " + status + " "
            grid.put(text, x: max(TextWidth.of(label) + 3, rect.maxX - TextWidth.of(text) - 1), y: rect.y, style: CellStyle(.accent), maxX: rect.maxX, ellipsis: true)
        }
    }

    private func drawCommandLine(into grid: inout Grid, rect: Rect, line: CommandLineState) -> (x: Int, y: Int) {
        let prompt: String, text: String, cursor: Int
        if let question, question.hidden {
            (prompt, text, cursor) = (question.prompt, "", 0)
        } else if let question {
            (prompt, text, cursor) = (question.prompt, question.text, TextWidth.of(question.text))
        } else {
            (prompt, text, cursor) = (line.prompt, line.text, line.cursor)
        }
        let active = focus == .commandLine || question != nil
        let x = grid.put(prompt, x: 0, y: rect.y, style: active ? .accent : .muted)
        let room = max(1, rect.maxX - x - 1)
        // Scroll long lines horizontally so the cursor stays visible.
        let shift = cursor >= room ? cursor - room + 1 : 0
        var visible = text
        if shift > 0 {
            var dropped = 0
            while dropped < shift, let first = visible.first { dropped += TextWidth.of(String(first)); visible.removeFirst() }
        }
        grid.put(visible, x: x, y: rect.y, style: active ? .plain : .muted, maxX: rect.maxX)
        if !active && text.isEmpty {
            let note = focus == .sidebar ? "keys go to the sidebar; : or Tab types a command"
                : currentView.capturesKeys ? "keys go to the form; Esc closes it"
                : "keys go to the view; type a command or press : or Tab"
            grid.put(note, x: x, y: rect.y, style: .muted, maxX: rect.maxX)
        }
        return (x + cursor - shift, rect.y)
    }

    /// The keys that work right now, for the hint bar.
    public var currentHints: [KeyHint] {
        if asksPassword { return [KeyHint("Enter", "send the password"), KeyHint("Esc", "cancel"), KeyHint("Ctrl-U", "clear")] }
        if question != nil { return [KeyHint("Enter", "go"), KeyHint("Esc", "cancel")] }
        var hints: [KeyHint]
        switch focus {
        case .commandLine:
            hints = [KeyHint("Enter", "run"), KeyHint("Tab", "complete"), KeyHint("↑", "history"), KeyHint("Ctrl-R", "search"),
                     KeyHint("Esc", "keys to the view"), KeyHint("F2", "log"), KeyHint("F1", "help"), KeyHint("PgUp/PgDn", "scroll view")]
        case .sidebar:
            hints = [KeyHint("↑↓", "choose"), KeyHint("Enter", "open"), KeyHint("Esc", "back to the view"), KeyHint(":", "command")]
        case .view where currentView.capturesKeys:
            // A form takes every key but Esc and F1: only those are offered.
            hints = currentView.hints + [KeyHint("F1", "help")]
        case .view:
            hints = currentView.hints + [KeyHint(":", "command"), KeyHint("s", "sidebar"), KeyHint("?", "help"),
                                         KeyHint("q", views.count > 1 ? "back" : "quit")]
        }
        if busy != nil { hints.insert(KeyHint("Ctrl-C", queued.isEmpty ? "cancel" : "cancel (+\(queued.count) queued)"), at: 0) }
        if showsMessage { hints.insert(KeyHint("Esc", "hide the message"), at: 0) }
        return hints
    }

    /// The hint bar: every hint that fits whole (none is cut); when some do not fit, the last place says where
    /// all keys are listed.
    private func drawHints(into grid: inout Grid, rect: Rect) {
        func needed(_ h: KeyHint) -> Int { TextWidth.of(h.keys) + TextWidth.of(h.action) + 3 }
        var hints = currentHints
        let more = KeyHint("F1", "all keys")
        // The terminal's bottom-right cell is never written (it scrolls some terminals): one cell less.
        let fits = hints.reduce(0) { $0 + needed($1) } - 2 <= rect.width - 1
        if !fits { hints = hints.filter { $0.keys != "F1" } }
        let room = fits ? rect.maxX - 1 : rect.maxX - 1 - needed(more)
        var x = 0
        for hint in hints where x + needed(hint) - 2 <= room {
            x = grid.put(hint.keys, x: x, y: rect.y, style: CellStyle(.accent, bold: true))
            x = grid.put(" " + hint.action + "  ", x: x, y: rect.y, style: .muted)
        }
        if !fits {
            x = grid.put(more.keys, x: x, y: rect.y, style: CellStyle(.accent, bold: true))
            grid.put(" " + more.action, x: x, y: rect.y, style: .muted)
        }
    }
}
