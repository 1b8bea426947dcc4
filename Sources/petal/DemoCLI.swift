import ArgumentParser
import Foundation
import PetalSession
import PetalTerminal

/// `petal demo BUNDLE`: the prediction form for a bundle, full screen, without the rest of the workbench's
/// data (Esc leaves the form for the workbench; quit ends Petal).
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the prediction form for a serving bundle (written by `export P to DIR`).",
        discussion: """
            Tab/Shift-Tab move between fields, ↑/↓ nudge a number, Enter predicts, Ctrl-T live mode, Ctrl-F flags
            the prediction (.petal/flags.csv), Ctrl-R shows the curl request for petal serve, Esc leaves the form.
            Without a terminal it prints the form once, e.g. petal demo bundles/iris --set petal_length=1.4
            """
    )

    @Argument(help: "The bundle folder.")
    var bundle: String

    @Option(name: .customLong("set"), help: "Fill a field: --set petal_length=1.4 (repeatable).")
    var values: [String] = []

    @Flag(help: "Predict on every keystroke.")
    var live = false

    @Option(name: .customLong("require-signature"), help: "Open the bundle only when it is signed by this public key file (from petal keygen).")
    var requireSignature: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = output.makeSession()
        var command = "demo " + Quote.argument(bundle) + values.map { " " + Quote.argument($0) }.joined() + (live ? " live=on" : "")
            + (requireSignature.map { " " + Quote.argument("require_signature=" + $0) } ?? "")
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !output.json, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1, !term.isEmpty, term != "dumb" else {
            let execution = session.execute(command)
            Printer.show(execution, json: output.json, session: session)
            if !execution.ok { throw ExitCode(1) }
            return
        }
        // Fail before taking the screen when the bundle cannot be read.
        let check = session.execute(command)
        if let error = check.error {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        command = check.input
        WorkbenchApp(session: session, historyPath: ".petal/history", unicode: session.unicode).run(commands: [command])
    }
}
