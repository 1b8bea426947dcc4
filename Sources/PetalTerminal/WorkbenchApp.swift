@preconcurrency import CNCursesW
import Dispatch
import Foundation
import PetalData
import PetalPostgres
import PetalSession
import PetalTUI

/// The full-screen workbench: an ncurses loop that turns keys into workbench actions, runs commands on a
/// worker thread (so the screen stays responsive and Ctrl-C can cancel), and redraws what changed.
public final class WorkbenchApp {
    private let session: Session
    private let workbench: Workbench
    private let historyPath: String
    private let unicode: Bool
    private let inbox = Inbox()
    private let worker = DispatchQueue(label: "petal.workbench.worker", qos: .userInitiated)
    private var terminate: DispatchSourceSignal?
    private var hangup: DispatchSourceSignal?
    /// When the last key was read, to time keystroke-to-screen for the benchmark trace.
    private var keyRead: UInt64?
    /// Keys read but not handled yet (the key that came right after an Esc).
    var pendingInput: [Input] = []
    /// Whether the command line has the keys (Alt-b / Alt-f then move by words; see `WordKeys`).
    var lineHasFocus = true

    /// Where the last session is kept (`SessionRestore`), or nil when this workbench neither restores nor saves one.
    private let sessionFolder: String?
    private let restore: Bool

    /// - Parameters:
    ///   - sessionFolder: the folder whose last session is restored at start and saved at the end (`.petal`);
    ///     nil for a workbench that keeps no session (`petal demo BUNDLE`).
    ///   - restore: false to start empty (`petal --fresh`); the session is still saved at the end.
    public init(session: Session, historyPath: String, unicode: Bool, sessionFolder: String? = nil, restore: Bool = true) {
        self.session = session
        self.historyPath = historyPath
        self.unicode = unicode
        self.sessionFolder = sessionFolder
        self.restore = restore
        workbench = Workbench(session: session)
        workbench.keepsSession = sessionFolder != nil
    }

    /// Runs until the user quits, opening `files` and then running `commands` in the background once the
    /// screen is up; returns the exit status. The terminal is restored on every way out.
    @discardableResult
    public func run(files: [String] = [], commands: [String] = []) -> Int32 {
        let screen = Screen(noColor: !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty)
        defer { screen.end() }
        let editor = CommandLineEditor(historyPath: historyPath, session: session)
        editor.remember(session: session)
        session.loadObserver = inbox
        // A PostgreSQL server that wants a password no address, PGPASSWORD or ~/.pgpass gave: the worker waits
        // while the workbench asks (hidden input; see Workbench.askPassword).
        let inbox = self.inbox
        PostgresSource.setPasswordPrompt { target in inbox.askPassword(for: target) }
        defer {
            PostgresSource.setPasswordPrompt(nil)
            inbox.answerPassword(nil)   // a worker still waiting is let go
        }
        watchSignals()
        var pending = files.map { "open " + Quote.argument($0) } + commands
        var quit = false
        var restoring = false
        if let sessionFolder, restore {
            let saved = SessionRestore.load(folder: sessionFolder)
            if !saved.isEmpty {
                restoring = true
                workbench.beginRestore(saved)
                let session = self.session, inbox = self.inbox
                worker.async { inbox.post(SessionRestore.replay(saved, in: session)) }
            }
        }
        draw(screen, editor: editor)
        FirstFrameTrace.mark("screen up")
        // A large first file shows its first rows at once while the whole file loads.
        if let first = files.first, let preview = Preview.frame(path: first) {
            workbench.showPreview(of: first, frame: preview)
            FirstFrameTrace.mark("preview parsed")
        }
        while !quit && !inbox.terminated {
            if let executions = inbox.takeResult() {
                if restoring { workbench.finishRestore(executions); restoring = false } else {
                    for execution in executions { workbench.finish(execution) }
                }
                editor.completionEnabled = true
                FirstFrameTrace.mark("command finished: \(executions.map(\.input).joined(separator: "; "))")
            }
            if let target = inbox.takePasswordRequest() { workbench.askPassword(for: target) }
            if let control = inbox.takeControl() { workbench.attach(control) }
            if let partial = inbox.takePartial() { workbench.showPartial(partial) }
            if workbench.busy == nil, !pending.isEmpty {
                let line = pending.removeFirst()
                if case .run(let command) = workbench.submit(line) { start(command, editor: editor) }
            } else if let line = workbench.nextQueued() {
                // A command typed while another ran: it joins the history now that it runs.
                editor.remember(line: line)
                if perform(workbench.submit(line), editor: editor, screen: screen) { break }
            }
            draw(screen, editor: editor)
            lineHasFocus = workbench.focus == .commandLine && workbench.question == nil
            guard let input = readKey() else {
                if !screen.terminalIsOpen { break }
                continue
            }
            keyRead = DispatchTime.now().uptimeNanoseconds
            if input.key == nil { screen.invalidate(); continue }  // resize
            quit = handle(input, editor: editor, screen: screen)
        }
        terminate?.cancel()
        hangup?.cancel()
        // Kept for the next start here, unless a command is still changing the session on the worker.
        if let sessionFolder, workbench.busy == nil { SessionRestore.save(session, folder: sessionFolder) }
        return 0
    }

    // MARK: - Drawing

    private func draw(_ screen: Screen, editor: CommandLineEditor) {
        let started = DispatchTime.now().uptimeNanoseconds
        let (width, height) = screen.size
        var grid = Grid(width: width, height: height)
        let cursor = workbench.render(into: &grid, line: editor.state, context: DrawContext(unicode: unicode))
        let showCursor = workbench.focus == .commandLine || workbench.question != nil
        let changed = screen.present(grid, cursor: showCursor ? cursor : nil)
        if changed {
            let now = DispatchTime.now().uptimeNanoseconds
            FirstFrameTrace.frame(showsTable: workbench.currentView is TableView, milliseconds: Double(now - started) / 1e6,
                                  sinceKey: keyRead.map { Double(now - $0) / 1e6 })
        }
        keyRead = nil
    }

    // MARK: - Keys

    /// Handles one key; true when Petal should quit.
    private func handle(_ input: Input, editor: CommandLineEditor, screen: Screen) -> Bool {
        guard let key = input.key else { return false }
        if workbench.question != nil || workbench.focus != .commandLine {
            return perform(workbench.handle(key), editor: editor, screen: screen)
        }
        switch key {
        case .control("c"):
            // Cancels the running command and drops the commands queued after it (Workbench.cancelKey).
            if workbench.busy != nil { return perform(workbench.handleFromCommandLine(key), editor: editor, screen: screen) }
            editor.clearLine()
            return false
        case .escape where workbench.showsMessage:
            return perform(workbench.handleFromCommandLine(key), editor: editor, screen: screen)
        case .escape:
            workbench.focus = .view
            return false
        case .control("l"):
            screen.invalidate()
            return false
        case .pageUp, .pageDown, .click, .scrollUp, .scrollDown, .function(1), .function(2):
            return perform(workbench.handleFromCommandLine(key), editor: editor, screen: screen)
        default:
            editor.feed(input.bytes)
            let matches = editor.takeMatches()
            if !matches.isEmpty { workbench.showCompletions(matches) }
            for line in editor.takeLines() {
                // Ctrl-D on an empty line: quits, asking first when work would be lost.
                guard let line else { return perform(workbench.requestQuit(), editor: editor, screen: screen) }
                let queuedBefore = workbench.queued.count
                let effect = workbench.submit(line)
                // History keeps what ran: not `quit`, and a queued command only once it starts.
                let verb = line.split(separator: " ").first.map { $0.lowercased() } ?? ""
                if workbench.queued.count == queuedBefore && verb != "quit" && verb != "exit" { editor.remember(line: line) }
                if perform(effect, editor: editor, screen: screen) { return true }
            }
            return false
        }
    }

    private func perform(_ effect: Workbench.Effect, editor: CommandLineEditor, screen: Screen) -> Bool {
        switch effect {
        case .none: return false
        case .quit: return true
        case .run(let line): start(line, editor: editor); return false
        case .cancel:
            if let control = inbox.currentControl { control.cancel() } else { workbench.status = "this command cannot be cancelled; it ends soon" }
            return false
        case .repaint: screen.invalidate(); return false
        case .type(let text):
            editor.feed(Array(text.utf8))
            return false
        case .password(let answer):
            inbox.answerPassword(answer)
            return false
        }
    }

    /// Runs a command on the worker thread; the loop picks up its result.
    private func start(_ line: String, editor: CommandLineEditor) {
        editor.completionEnabled = false
        let session = self.session, inbox = self.inbox
        worker.async {
            inbox.post(session.executeScript(line))
        }
    }

    private func watchSignals() {
        signal(SIGTERM, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        let inbox = self.inbox
        let queue = DispatchQueue.global(qos: .userInteractive)
        terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: queue)
        terminate?.setEventHandler { inbox.terminated = true }
        terminate?.resume()
        hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangup?.setEventHandler { inbox.terminated = true }
        hangup?.resume()
    }
}

/// Results and progress handed from the worker thread to the UI loop.
final class Inbox: LoadObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var result: [Execution]?
    private var control: LoadControl?
    private var newControl = false
    private var partial: (any CommandOutput)?
    private var _terminated = false
    /// The password the worker waits for: whose it is (until the loop takes it), the answer, and the wait.
    private var passwordTarget: String?
    private var passwordAnswer: String?
    private var passwordWait: DispatchSemaphore?

    func post(_ executions: [Execution]) { lock.withLock { result = executions; control = nil; partial = nil } }
    /// The latest partial result of the running command, once.
    func takePartial() -> (any CommandOutput)? { lock.withLock { defer { partial = nil }; return partial } }
    func takeResult() -> [Execution]? { lock.withLock { defer { result = nil }; return result } }
    func takeControl() -> LoadControl? { lock.withLock { defer { newControl = false }; return newControl ? control : nil } }
    var currentControl: LoadControl? { lock.withLock { control } }
    var terminated: Bool {
        get { lock.withLock { _terminated } }
        set { lock.withLock { _terminated = newValue } }
    }

    /// Called on the worker: hands the question to the loop and waits for `answerPassword` (nil: not answered).
    func askPassword(for target: String) -> String? {
        let wait = DispatchSemaphore(value: 0)
        let asked: Bool = lock.withLock {
            guard !_terminated, passwordWait == nil else { return false }
            passwordTarget = target
            passwordAnswer = nil
            passwordWait = wait
            return true
        }
        guard asked else { return nil }
        wait.wait()
        return lock.withLock {
            defer { passwordAnswer = nil }
            return passwordAnswer
        }
    }

    /// The target of a password the worker asked for, once.
    func takePasswordRequest() -> String? { lock.withLock { defer { passwordTarget = nil }; return passwordTarget } }

    /// Gives the waiting worker its answer (nil: declined); does nothing when nobody waits.
    func answerPassword(_ answer: String?) {
        let wait: DispatchSemaphore? = lock.withLock {
            defer { passwordWait = nil; passwordTarget = nil }
            if passwordWait != nil { passwordAnswer = answer }
            return passwordWait
        }
        wait?.signal()
    }

    func loadStarted(_ control: LoadControl, path: String) { lock.withLock { self.control = control; newControl = true } }
    func loadEnded(_ control: LoadControl) {}
    func partialResult(_ output: any CommandOutput) { lock.withLock { partial = output } }
}
