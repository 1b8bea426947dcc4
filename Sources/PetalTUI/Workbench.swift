import PetalData
import PetalSession

/// The full-screen workbench as pure state: the view stack, the sidebar, the log of command output, focus and
/// the work in progress. The terminal layer feeds it keys and command lines and draws what `render` produces;
/// tests drive it the same way without a terminal.
public final class Workbench: @unchecked Sendable {
    public enum Focus: Sendable, Equatable { case commandLine, view, sidebar }

    /// What the terminal should do after a key or a command line.
    public enum Effect: Sendable, Equatable {
        case none
        case quit
        /// Run this command on the session (off the UI thread), then call `finish`.
        case run(String)
        /// Cancel the running work.
        case cancel
        /// Redraw everything from scratch (Ctrl-L).
        case repaint
    }

    /// A question a view asked (search text, a row number), typed in the command line's place.
    public struct Question: Sendable {
        public var prompt: String
        public var purpose: String
        public var text: String
    }

    public let session: Session
    public private(set) var views: [any WorkbenchView]
    /// The log of commands and their short results, shown above the command line.
    public private(set) var log: [(text: String, style: CellStyle)] = []
    public var focus: Focus = .commandLine
    public var sidebarIndex = 0
    /// A one-line message (search results, hints after a mistake).
    public var status: String?
    /// The command being run and how far it got, while the session works off the UI thread.
    public private(set) var busy: (line: String, control: LoadControl?)?
    public private(set) var question: Question?
    /// Where the main view was last drawn (for paging and clicks).
    public internal(set) var mainRect = Rect(x: 0, y: 1, width: 80, height: 15)
    /// Where the sidebar entries were last drawn, by screen row.
    var sidebarRows: [Int: Int] = [:]
    /// Models, runs and experiments from the tracking store, for the sidebar.
    var trackingEntries = TrackingEntries()
    /// The sidebar as it was when the running command started.
    var frozenSidebar: [(title: String, entries: [SidebarEntry], empty: String)]?

    public init(session: Session) {
        self.session = session
        views = [WelcomeView(dataset: session.datasets.first?.name)]
        refreshTracking()
    }

    /// The view on top.
    public var currentView: any WorkbenchView { views[views.count - 1] }

    /// The data set the user is looking at: the top table's, else the most recently opened.
    public var currentDataset: String? {
        for view in views.reversed() { if let t = view as? TableView { return t.dataset } }
        return sidebarSections.first?.entries.last?.name
    }

    // MARK: - Views

    /// Puts a view on top of the stack (the welcome page is replaced rather than kept below).
    public func push(_ view: any WorkbenchView) {
        if views.count == 1, views[0] is WelcomeView { views[0] = view } else { views.append(view) }
        if view.capturesKeys { focus = .view }
        if views.count > 20 { views.removeFirst(views.count - 20) }
    }

    /// Closes the top view; false when it was the last one (the caller quits).
    public func pop() -> Bool {
        guard views.count > 1 else { return false }
        views.removeLast()
        return true
    }

    /// Applies a view's response.
    func apply(_ response: ViewResponse) -> Effect {
        switch response {
        case .ignored, .handled: return .none
        case .run(let line): return submit(line)
        case .push(let view): push(view); return .none
        case .ask(let prompt, let purpose): question = Question(prompt: prompt, purpose: purpose, text: ""); return .none
        case .message(let text): status = text; return .none
        }
    }

    // MARK: - Commands

    /// A command line typed by the user (or run by a key). Workbench verbs are handled here; the rest go to the
    /// session through `.run`.
    public func submit(_ line: String) -> Effect {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .none }
        status = nil
        if let busy, !["quit", "exit"].contains(trimmed.lowercased()) {
            status = "still running \(busy.line); wait or press Ctrl-C to cancel it"
            return .none
        }
        let words = trimmed.split(separator: " ").map(String.init)
        switch words[0].lowercased() {
        case "quit", "exit": return .quit
        case "back":
            _ = pop()
            return .none
        case "clear":
            log.removeAll()
            return .none
        case "view", "table":
            guard let name = words[safe: 1] ?? currentDataset else {
                addLog("error: no data set is open; open samples/iris.csv first", style: CellStyle(.error))
                return .none
            }
            do {
                let d = try session.dataset(name)
                addLog("▶ " + trimmed, style: .muted)
                push(TableView(dataset: d.name, frame: d.frame))
            } catch {
                addLog("error: \(error)", style: CellStyle(.error))
            }
            return .none
        case "help" where words.count == 1:
            push(HelpView())
            return .none
        default:
            // The session is busy off the UI thread until `finish`: draw the sidebar from a copy meanwhile.
            frozenSidebar = liveSidebarSections
            busy = (trimmed, nil)
            addLog("▶ " + trimmed, style: .muted)
            return .run(trimmed)
        }
    }

    /// Shows the first rows of a file that is still loading (replaced by the whole table when it arrives).
    public func showPreview(of path: String, frame: Frame) {
        guard let name = try? OpenCommand.defaultName(path: path, table: nil) else { return }
        var table = TableView(dataset: name, frame: frame)
        table.loadingNote = "loading; the first \(NumberFormat.count(frame.rowCount)) rows shown"
        push(table)
    }

    /// True when the top view is a preview of a file still loading.
    var showsPreview: Bool { (currentView as? TableView)?.loadingNote != nil }

    /// Told by the session's load observer which work can be cancelled and how far it got.
    public func attach(_ control: LoadControl) {
        if let line = busy?.line { busy = (line, control) }
    }

    /// Takes the finished command's result: logs it and shows it in the matching view.
    public func finish(_ execution: Execution) {
        busy = nil
        frozenSidebar = nil
        refreshTracking()
        // A preview gives way to the loaded table (or goes when the load failed or was cancelled).
        if showsPreview && (execution.verb == "open" || !execution.ok), !pop() { views[0] = WelcomeView(dataset: nil) }
        if execution.error != nil {
            let text = execution.renderText(width: max(20, mainRect.width))
            for line in text.split(separator: "\n") { addLog(String(line), style: CellStyle(.error)) }
            return
        }
        guard let output = execution.output else { return }
        for w in output.warnings { addLog("warning: \(w)", style: CellStyle(.warning)) }
        let view = ViewRouter.view(for: execution, output: output, session: session, width: mainRect.width)
        let text = output.renderText(width: max(20, mainRect.width))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Short results (a fit's summary, a message) stay in the log; longer ones get the main view.
        if let view, !(view is TextView && lines.count <= 3) {
            push(view)
            if output is FitOutput { for line in lines { addLog(String(line), style: .plain) } }
            addLog("  → " + view.title, style: .muted)
        } else {
            for line in lines { addLog(String(line), style: .plain) }
        }
    }

    /// Runs a command line to the end on the calling thread (tests, scripts, and `petal` at start-up).
    public func runNow(_ line: String) {
        if case .run(let command) = submit(line) {
            for execution in session.executeScript(command) { finish(execution) }
            busy = nil
            frozenSidebar = nil
        }
    }

    /// Completion candidates readline wanted to list: shown in the log.
    public func showCompletions(_ matches: [String]) {
        addLog(matches.joined(separator: "  "), style: .muted)
    }

    func addLog(_ text: String, style: CellStyle) {
        log.append((text, style))
        if log.count > 500 { log.removeFirst(log.count - 500) }
    }

    // MARK: - Keys

    /// A key pressed while the command line does not have it (focus on the view or sidebar, or a question open).
    public func handle(_ key: Key) -> Effect {
        if question != nil { return answerKey(key) }
        if key == .control("c") { return busy != nil ? .cancel : .none }
        if key == .control("l") { return .repaint }
        if case .click(let x, let y) = key, let entry = sidebarRows[y], x < mainRect.x {
            sidebarIndex = entry
            return openSidebarEntry()
        }
        if focus == .sidebar { return sidebarKey(key) }
        if currentView.capturesKeys && key != .escape && key != .function(1) { return viewKey(key) }
        switch key {
        case .character(":"), .tab:
            focus = .commandLine
            return .none
        case .character("?"), .function(1):
            if !(currentView is HelpView) { push(HelpView()) }
            return .none
        case .character("q"):
            return pop() ? .none : .quit
        case .escape:
            if !pop() { focus = .commandLine }
            return .none
        case .character("s"):
            focus = .sidebar
            return .none
        case .character("v"):
            return submit("view")
        default: return viewKey(key)
        }
    }

    private func viewKey(_ key: Key) -> Effect {
        var view = views[views.count - 1]
        let response = view.handle(key, rect: mainRect)
        views[views.count - 1] = view
        return apply(response)
    }

    /// Keys the command line passes on: paging the view while typing.
    public func handleFromCommandLine(_ key: Key) -> Effect {
        switch key {
        case .pageUp, .pageDown, .scrollUp, .scrollDown, .click:
            if case .click(let x, let y) = key, let entry = sidebarRows[y], x < mainRect.x {
                sidebarIndex = entry
                return openSidebarEntry()
            }
            var view = views[views.count - 1]
            let response = view.handle(key, rect: mainRect)
            views[views.count - 1] = view
            return apply(response)
        case .function(1):
            push(HelpView())
            return .none
        default: return .none
        }
    }

    private func answerKey(_ key: Key) -> Effect {
        guard var q = question else { return .none }
        switch key {
        case .escape, .control("c"): question = nil
        case .backspace: if !q.text.isEmpty { q.text.removeLast() }; question = q
        case .enter:
            question = nil
            var view = views[views.count - 1]
            let response = view.answer(q.text, to: q.purpose, rect: mainRect)
            views[views.count - 1] = view
            return apply(response)
        case .character(let c): q.text.append(c); question = q
        default: break
        }
        return .none
    }
}
