@preconcurrency import CReadline
import Foundation
import PetalData
import PetalSession

/// GNU readline for the plain REPL: Emacs editing, history kept in a file, and tab completion from the session.
/// This and the future ncurses screen are the only code that touches the terminal.
public final class LineEditor {
    private let historyPath: String

    /// Sets up readline with history from `historyPath` and completion from `session`.
    public init(historyPath: String, session: Session) {
        self.historyPath = historyPath
        completionSession = session
        rl_readline_name = UnsafePointer(strdup("petal"))
        rl_attempted_completion_function = petalAttemptedCompletion
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n;"))
        // List the choices on the first Tab when there are several (friendlier than a silent beep).
        rl_variable_bind("show-all-if-ambiguous", "on")
        rl_variable_bind("bell-style", "none")
        // Ctrl-C at the prompt abandons the line being typed (as in a shell) instead of ending Petal.
        signal(SIGINT) { _ in
            rl_replace_line("", 0)
            _ = write(STDOUT_FILENO, "\n", 1)
            rl_on_new_line()
            rl_redisplay()
        }
        using_history()
        let folder = (historyPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        read_history(historyPath)
    }

    /// Reads a line with `prompt`; nil at end of input (Ctrl-D).
    public func readLine(prompt: String) -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            // History never keeps a password typed in an address (SourceAddress.redacted).
            add_history(SourceAddress.redacted(line))
            // Append as we go so a killed process keeps its history.
            if !FileManager.default.fileExists(atPath: historyPath) { write_history(historyPath) } else { append_history(1, historyPath) }
        }
        return line
    }
}

nonisolated(unsafe) var completionSession: Session?
nonisolated(unsafe) private var completionMatches: [String] = []

private func petalCompletionGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    let i = Int(state)
    guard i < completionMatches.count else { return nil }
    return strdup(completionMatches[i])
}

func petalAttemptedCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1
    guard let session = completionSession, let buffer = rl_line_buffer else { return nil }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: Int(max(0, rl_point)))
    let prefix = String(decoding: bytes, as: UTF8.self)
    completionMatches = Completion.candidates(for: prefix, in: session)
    if completionMatches.contains(where: { $0.hasSuffix("=") || $0.hasSuffix("/") || $0.hasSuffix(".") }) {
        rl_completion_suppress_append = 1
    }
    return rl_completion_matches(text, petalCompletionGenerator)
}
