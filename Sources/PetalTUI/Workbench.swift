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
        /// Give focus to the command line and type this text into it (a printable key the view does not use).
        case type(String)
        /// The answer to `askPassword`: what was typed, or nil when the user declined (Esc, Ctrl-C).
        case password(String?)
    }

    /// A question a view asked (search text, a row number) or a running command asked (a password), typed in the
    /// command line's place.
    public struct Question: Sendable {
        public var prompt: String
        public var purpose: String
        public var text: String
        /// True when what is typed is never drawn (a password).
        public var hidden = false
    }

    public let session: Session
    public internal(set) var views: [any WorkbenchView]
    /// The log of commands and their short results, shown above the command line (all of it: F2 or `log`).
    public private(set) var log: [(text: String, style: CellStyle)] = []
    /// Where the last command's message starts in `log` when it is taller than the log area: the log then takes
    /// the view's space until the message is dismissed (Esc, or the next command), so an error or hint is read whole.
    public internal(set) var messageStart: Int?
    /// Whether that message was taller than the usual log area when last drawn (only then does it grow the log).
    var messageTaller = false
    /// True while a message holds the view's space: Esc hides it.
    public var showsMessage: Bool { messageStart != nil && messageTaller }
    /// Commands typed while another one runs, run in order after it (Ctrl-C drops them with the running one).
    public internal(set) var queued: [String] = []
    public var focus: Focus = .commandLine
    public var sidebarIndex = 0
    /// A one-line message (search results, hints after a mistake).
    public var status: String?
    /// The command being run and how far it got, while the session works off the UI thread.
    public private(set) var busy: (line: String, control: LoadControl?)?
    /// True while the top view shows the running command's partial result (`showPartial`).
    var showsPartial: Bool { busy.map { currentView.title == $0.line + " (running)" } ?? false }
    public internal(set) var question: Question?
    /// Where the main view was last drawn (for paging and clicks).
    public internal(set) var mainRect = Rect(x: 0, y: 1, width: 80, height: 15)
    /// Where the sidebar entries were last drawn, by screen row.
    var sidebarRows: [Int: Int] = [:]
    /// Models, runs and experiments from the tracking store, for the sidebar.
    var trackingEntries = TrackingEntries()
    /// The sidebar as it was when the running command started.
    var frozenSidebar: [(title: String, entries: [SidebarEntry], empty: String)]?

    /// True when the session is saved at quit and restored at the next start (`SessionRestore`): quitting then
    /// loses nothing, and the quit question says so.
    public var keepsSession = false
    /// The data sets open when the workbench started (the start-up sample), which quitting does not lose.
    let startDatasets: Set<String>

    public init(session: Session) {
        self.session = session
        startDatasets = Set(session.datasets.map(\.name))
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
        messageStart = nil
        let words = trimmed.split(separator: " ").map(String.init)
        let verb = words[0].lowercased()
        let workbenchVerb = WorkbenchVerb(word: verb)
        if let busy, workbenchVerb?.runsWhileBusy != true {
            queued.append(trimmed)
            addLog("⏸ queued: \(trimmed) (runs after \(TextWidth.truncate(busy.line, to: 40)); Ctrl-C cancels it)", style: CellStyle(.warning))
            return .none
        }
        if let workbenchVerb { return run(workbenchVerb, words: words, line: trimmed) }
        switch verb {
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

    /// Runs a workbench verb (every one declared in `WorkbenchVerb`, with its help).
    private func run(_ verb: WorkbenchVerb, words: [String], line: String) -> Effect {
        switch verb {
        case .quit: return requestQuit()
        case .log:
            showLog()
            return .none
        case .back:
            _ = pop()
            return .none
        case .clear:
            log.removeAll()
            return .none
        case .view:
            guard let name = words[safe: 1] ?? currentDataset else {
                addLog("error: no data set is open; open FILE first, or view iris (built in)", style: CellStyle(.error))
                return .none
            }
            do {
                let d = try session.dataset(name)
                addLog("▶ " + line, style: .muted)
                push(TableView(dataset: d.name, frame: d.frame))
            } catch {
                addLog("error: \(error)", style: CellStyle(.error))
            }
            return .none
        }
    }

    /// Marks the workbench busy with work that did not come from `submit` (restoring the last session), so typed
    /// commands queue behind it.
    public func markBusy(_ line: String) {
        frozenSidebar = liveSidebarSections
        busy = (line, nil)
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

    /// Shows the result so far of the running command (a leaderboard filling in), replacing the previous one.
    public func showPartial(_ output: any CommandOutput) {
        guard let line = busy?.line else { return }
        let view = TextView(title: line + " (running)", rendering: output, width: max(20, mainRect.width))
        if showsPartial { views[views.count - 1] = view } else { push(view) }
    }

    /// Takes the finished command's result: logs it and shows it in the matching view.
    public func finish(_ execution: Execution) {
        // The live view of a partial result gives way to the final one.
        if showsPartial, !pop() { views[0] = WelcomeView(dataset: nil) }
        busy = nil
        frozenSidebar = nil
        refreshTracking()
        let logged = log.count
        defer { noteMessage(from: logged, execution: execution) }
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
        var next: String? = line
        while let line = next {
            if case .run(let command) = submit(line) {
                for execution in session.executeScript(command) { finish(execution) }
                busy = nil
                frozenSidebar = nil
            }
            next = nextQueued()
        }
    }

    /// The first queued command, once nothing runs (the terminal loop starts it next).
    public func nextQueued() -> String? {
        guard busy == nil, !queued.isEmpty else { return nil }
        return queued.removeFirst()
    }

    /// Ctrl-C while a command runs: the queued commands are dropped (and said so); the running one is cancelled
    /// by the caller.
    func dropQueued() {
        guard !queued.isEmpty else { return }
        for line in queued { addLog("✕ not run: \(line) (cancelled with Ctrl-C)", style: .muted) }
        queued.removeAll()
    }

    /// Completion candidates readline wanted to list: shown in the log.
    public func showCompletions(_ matches: [String]) {
        addLog(matches.joined(separator: "  "), style: .muted)
    }

    func addLog(_ text: String, style: CellStyle) {
        log.append((text, style))
        if log.count > 2000 {
            let extra = log.count - 2000
            log.removeFirst(extra)
            messageStart = messageStart.map { max(0, $0 - extra) }
        }
        if var view = currentView as? LogView {
            view.update(log)
            views[views.count - 1] = view
        }
    }

    /// Opens the whole log (F2, `log`), or brings it up to date when it is already on top.
    public func showLog() {
        messageStart = nil
        if var view = currentView as? LogView { view.update(log); views[views.count - 1] = view } else { push(LogView(entries: log)) }
    }

    /// After a command: when what it logged (an error with its hint, warnings, a fit's summary) needs more rows
    /// than the log area has, the log grows over the view to show it whole until dismissed.
    private func noteMessage(from start: Int, execution: Execution) {
        let warned = execution.output.map { !$0.warnings.isEmpty } ?? false
        guard execution.error != nil || warned, start < log.count else { return }
        messageStart = start > 0 && log[start - 1].text.hasPrefix("▶ ") ? start - 1 : start
    }
}
