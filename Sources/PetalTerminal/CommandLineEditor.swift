@preconcurrency import CReadline
import Foundation
import PetalData
import PetalSession
import PetalTUI

/// GNU readline in callback mode inside the full-screen workbench: the workbench feeds it bytes, readline
/// edits the line (Emacs keys, history, Ctrl-R, completion), and the screen draws `state` itself.
/// The recipe and its pitfalls are in ../shared/notes/swift-stack.md §3.
final class CommandLineEditor {
    static let prompt = "▶ "
    private let historyPath: String

    init(historyPath: String, session: Session) {
        self.historyPath = historyPath
        editorState.historyPath = historyPath
        completionSession = session
        rl_readline_name = UnsafePointer(strdup("petal"))
        rl_catch_signals = 0
        rl_catch_sigwinch = 0
        // Otherwise readline exports LINES/COLUMNS and ncurses believes them after a resize.
        rl_change_environment = 0
        rl_prep_term_function = nil
        rl_deprep_term_function = nil
        rl_outstream = fopen("/dev/null", "w")
        rl_getc_function = queuedGetc
        rl_input_available_hook = queuedInputAvailable
        rl_redisplay_function = noteRedisplay
        rl_attempted_completion_function = petalAttemptedCompletion
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n;"))
        rl_completion_display_matches_hook = showMatches
        using_history()
        let folder = (historyPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        read_history(historyPath)
        install()
        rl_variable_bind("bell-style", "none")
        rl_variable_bind("revert-all-at-newline", "on")
        rl_variable_bind("show-all-if-ambiguous", "on")
    }

    private func install() { rl_callback_handler_install(CommandLineEditor.prompt, acceptLine) }

    /// Feeds bytes to readline; finished lines collect in `takeLines()`.
    func feed(_ bytes: [UInt8]) {
        editorState.queue.append(contentsOf: bytes)
        while !editorState.queue.isEmpty { rl_callback_read_char() }
    }

    /// Lines accepted with Enter since the last call; nil in the list marks end of input (Ctrl-D on an empty line).
    func takeLines() -> [String?] {
        defer { editorState.lines = [] }
        return editorState.lines
    }

    /// Completions readline wanted to list (shown in the log instead of on the terminal).
    func takeMatches() -> [String] {
        defer { editorState.matches = [] }
        return editorState.matches
    }

    /// Abandons the line being typed without touching history (Ctrl-C).
    func clearLine() {
        rl_revert_line(1, 0)
        rl_callback_sigcleanup()
        rl_callback_handler_remove()
        install()
    }

    /// Whether completion may read the session (not while a command runs on it in the background).
    var completionEnabled: Bool {
        get { completionSession != nil }
        set { completionSession = newValue ? editorState.session : nil }
    }

    /// The line, its prompt and the cursor's display column, for drawing.
    var state: CommandLineState {
        guard let buffer = rl_line_buffer else { return CommandLineState(prompt: CommandLineEditor.prompt) }
        let length = Int(max(0, rl_end)), point = Int(max(0, min(rl_point, rl_end)))
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length)
        let text = String(decoding: bytes, as: UTF8.self)
        let before = String(decoding: bytes.prefix(point), as: UTF8.self)
        // While searching history (Ctrl-R) readline's prompt says so.
        let prompt = rl_display_prompt.map { String(cString: $0) } ?? CommandLineEditor.prompt
        return CommandLineState(prompt: prompt, text: text, cursor: TextWidth.of(before))
    }

    func remember(session: Session) { editorState.session = session }

    /// Adds a line that ran to the history (and its file, appended at once so a killed process keeps it). Lines
    /// are not added on Enter: `quit` and commands queued then dropped never ran.
    func remember(line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        // History never keeps a password typed in an address (SourceAddress.redacted).
        add_history(SourceAddress.redacted(line))
        let path = editorState.historyPath
        if !FileManager.default.fileExists(atPath: path) { write_history(path) } else { append_history(1, path) }
    }
}

/// State shared with readline's C callbacks.
private struct EditorState {
    var queue: [UInt8] = []
    var lines: [String?] = []
    var matches: [String] = []
    var historyPath = ""
    var session: Session?
}
nonisolated(unsafe) private var editorState = EditorState()

private func queuedGetc(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
    guard !editorState.queue.isEmpty else { return EOF }
    return Int32(editorState.queue.removeFirst())
}

private func queuedInputAvailable() -> Int32 { editorState.queue.isEmpty ? 0 : 1 }

private func noteRedisplay() {}

private func acceptLine(_ raw: UnsafeMutablePointer<CChar>?) {
    guard let raw else {
        editorState.lines.append(nil)
        return
    }
    defer { free(raw) }
    editorState.lines.append(String(cString: raw))
}

private func showMatches(_ matches: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int32, _ longest: Int32) {
    guard let matches, count > 0 else { return }
    editorState.matches = (1...Int(count)).compactMap { matches[$0].map { String(cString: $0) } }
}
