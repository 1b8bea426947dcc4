import Foundation
import PetalPostgres
import PetalSession

/// The plain read-eval-print loop: readline on a terminal, plain lines from a pipe.
public struct REPL {
    public var session: Session
    public var json: Bool

    public init(session: Session, json: Bool = false) {
        self.session = session
        self.json = json
    }

    /// Runs until end of input or `quit`. Returns the number of commands that failed.
    @discardableResult
    public func run() -> Int {
        let interactive = isatty(STDIN_FILENO) == 1
        let editor = interactive ? LineEditor(historyPath: ".petal/history", session: session) : nil
        if interactive {
            session.width = TerminalSize.columns() ?? 80
            print("Petal — type help for commands, Tab to complete, Ctrl-D to quit.")
            // A PostgreSQL server that wants a password neither PGPASSWORD nor ~/.pgpass gave: ask, without echo.
            PostgresSource.setPasswordPrompt { target in
                guard let typed = getpass("password for \(target): ") else { return nil }
                let password = String(cString: typed)
                return password.isEmpty ? nil : password
            }
        }
        let progress = LoadProgress(showProgress: isatty(STDERR_FILENO) == 1, unicode: session.unicode)
        session.loadObserver = progress
        defer { session.loadObserver = nil }
        var failures = 0
        while true {
            let line: String?
            if let editor { line = editor.readLine(prompt: "petal> ") } else { line = Swift.readLine() }
            guard let line else { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "quit" || trimmed == "exit" { break }
            if interactive { session.width = TerminalSize.columns() ?? session.width }
            for execution in session.executeScript(line) {
                if !execution.ok { failures += 1 }
                if json { print(execution.json().serialized()) } else {
                    let text = execution.renderText(in: session.renderContext)
                    if execution.ok { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
                }
            }
        }
        return failures
    }
}

/// The terminal's size.
public enum TerminalSize {
    public static func columns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
