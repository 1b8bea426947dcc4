import ArgumentParser
import Foundation
import PetalBundle
import PetalData
import PetalServe
import PetalSession
import PetalTerminal

/// The `petal` executable: the workbench by default, and headless `exec`, `run` and `repl`.
struct PetalCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petal",
        abstract: "A terminal ML workbench: open data, explore it, build and train pipelines.",
        discussion: "Run `petal help` for the command language, `petal help VERB` for one command.",
        version: PetalVersion.current,
        subcommands: [Workbench.self, Exec.self, Run.self, Repl.self, Runs.self, Jobs.self, Predict.self, Demo.self, Serve.self, Keygen.self, Version.self],
        defaultSubcommand: Workbench.self
    )
}

/// `petal version`: the one version (`PetalVersion.current`), as `petal --version` prints it.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Petal's version.")
    func run() throws { print(PetalVersion.current) }
}

/// Options shared by the headless commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object per command result.")
    var json = false

    @Option(name: .long, help: "Lay text out for this many columns (default: the terminal's width, or 80).")
    var width: Int?

    @Flag(name: .long, help: "Draw with ASCII only (also when the locale is not UTF-8).")
    var ascii = false

    func makeSession() -> Session {
        let unicode = !ascii && Locale.isUTF8
        let session = Session(width: width ?? (isatty(STDOUT_FILENO) == 1 ? TerminalSize.columns() ?? 80 : 80), unicode: unicode)
        OutputOptions.wire(session)
        return session
    }

    /// Gives a session what only the executable may start: job processes and HTTP servers (PetalSession depends on
    /// neither the process launcher nor PetalServe).
    static func wire(_ session: Session) {
        session.jobLauncher = JobProcess()
        session.serverLauncher = ModelServer.Launcher()
    }

    /// A session that records runs in `.petal/` (or PETAL_HOME); see TrackingCLI.swift.
    func makeTrackedSession() -> Session {
        let session = makeSession()
        Tracking.attach(to: session)
        return session
    }
}

extension Locale {
    /// True when the environment's locale uses UTF-8 (or none is set, where we assume it).
    static var isUTF8: Bool {
        let env = ProcessInfo.processInfo.environment
        let value = env["LC_ALL"] ?? env["LC_CTYPE"] ?? env["LANG"] ?? ""
        if value.isEmpty { return true }
        let v = value.lowercased()
        return v.contains("utf-8") || v.contains("utf8")
    }
}

/// `petal exec 'cmd; cmd'`
struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "Run commands separated by ; or new lines, headless.")

    @Argument(help: "The commands, e.g. 'open samples/iris.csv; describe iris'.")
    var script: [String]

    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = output.makeTrackedSession()
        defer { Tracking.end(session) }
        let progress = LoadProgress(showProgress: isatty(STDERR_FILENO) == 1 && !output.json, unicode: session.unicode)
        session.loadObserver = progress
        var failed = 0
        for (k, execution) in session.executeScript(script.joined(separator: " ")).enumerated() {
            if !execution.ok { failed += 1 }
            if k > 0 && !output.json { print("") }
            Printer.show(execution, json: output.json, session: session)
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

/// `petal run NOTEBOOK.md [--check | --update]`
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a Markdown notebook's ```petal blocks; --check compares recorded output.")

    @Argument(help: "The notebook (a Markdown file).")
    var notebook: String

    @Flag(help: "Fail when a block's output differs from its recorded ```output block.")
    var check = false

    @Flag(help: "Rewrite the ```output blocks with a fresh run.")
    var update = false

    @Flag(name: .customLong("keep-runs"), help: "Record the notebook's runs in .petal/ (or PETAL_HOME) instead of a scratch store.")
    var keepRuns = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard !(check && update) else { throw ValidationError("choose one of --check and --update") }
        let book: Notebook
        do { book = try Notebook(path: notebook) } catch let e as PetalError {
            FileHandle.standardError.write(Data("error: \(e)\n".utf8)); throw ExitCode(1)
        }
        var session = output.makeSession()
        if output.width == nil { session = Session(width: 80, unicode: session.unicode); OutputOptions.wire(session) }
        // Recorded output must not depend on the machine's speed: no timings, automl's budget on a virtual clock.
        session.measuresTime = false
        // Runs go to a scratch store with a counting clock, so recorded output is the same on every run.
        let scratch = keepRuns ? nil : Tracking.attachScratch(to: session)
        if keepRuns { Tracking.attach(to: session) }
        defer { Tracking.end(session); scratch.map { try? FileManager.default.removeItem(atPath: $0) } }
        if check {
            let (mismatches, _) = book.check(in: session)
            for m in mismatches {
                print("\(notebook):\(m.line): block \(m.block) differs\n  recorded: \(m.expected)\n  now:      \(m.actual)")
            }
            print(mismatches.isEmpty ? "\(notebook): \(book.blocks.count) blocks, all outputs match"
                  : "\(notebook): \(mismatches.count) of \(book.blocks.count) blocks differ (run with --update to record the new output)")
            if !mismatches.isEmpty { throw ExitCode(1) }
        } else if update {
            let text = book.updated(in: session)
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: notebook), options: .atomic) } catch {
                FileHandle.standardError.write(Data("error: cannot write \(notebook): \(error.localizedDescription)\n".utf8)); throw ExitCode(1)
            }
            print("\(notebook): updated \(book.blocks.count) output blocks")
        } else {
            var failed = 0
            for block in book.blocks {
                for execution in session.executeScript(block.commands) {
                    if !execution.ok { failed += 1 }
                    if !output.json { print("petal> \(execution.input)") }
                    Printer.show(execution, json: output.json, session: session)
                }
            }
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

/// `petal repl [FILE…]`
struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repl", abstract: "A plain command line with readline editing, history and completion.")

    @Argument(help: "Files to open first.")
    var files: [String] = []

    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = output.makeTrackedSession()
        defer { Tracking.end(session) }
        Startup.open(files, in: session, json: output.json)
        let failures = REPL(session: session, json: output.json).run()
        if failures > 0 && isatty(STDIN_FILENO) != 1 { throw ExitCode(1) }
    }
}

/// `petal [FILE…]`: the workbench. Until the full-screen app lands it is the REPL, opened on the files or on iris.
struct Workbench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workbench", abstract: "Open the workbench (the default).")

    @Argument(help: "Files to open; the bundled iris sample when none.")
    var files: [String] = []

    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Use the plain command line instead of the full-screen workbench.")
    var plain = false

    @Flag(name: .long, help: "Start empty instead of restoring the last session's data sets and pipelines in this folder.")
    var fresh = false

    func run() throws {
        let session = output.makeTrackedSession()
        defer { Tracking.end(session) }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        let fullScreen = !plain && !output.json && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 && !term.isEmpty && term != "dumb"
        guard fullScreen else {
            if files.isEmpty { Startup.openIris(in: session) } else { Startup.open(files, in: session, json: output.json) }
            REPL(session: session, json: output.json).run()
            return
        }
        // The screen comes up at once; files load in the background with progress (Ctrl-C cancels).
        if files.isEmpty { Startup.openIris(in: session, quietly: true) }
        let app = WorkbenchApp(session: session, historyPath: ".petal/history", unicode: session.unicode, sessionFolder: ".petal", restore: !fresh)
        app.run(files: files)
    }
}

enum Startup {
    static func open(_ files: [String], in session: Session, json: Bool) {
        for f in files {
            let execution = session.execute("open \(Quote.argument(f))")
            Printer.show(execution, json: json, session: session)
        }
    }

    /// Opens samples/iris.csv from the working folder, or the copy built into the binary.
    static func openIris(in session: Session, quietly: Bool = false) {
        if quietly {
            if !FileManager.default.fileExists(atPath: "samples/iris.csv") || !session.execute("open samples/iris.csv").ok {
                session.store(BundledSamples.iris(), as: "iris", source: "built-in iris sample")
            }
            return
        }
        if FileManager.default.fileExists(atPath: "samples/iris.csv") {
            Printer.show(session.execute("open samples/iris.csv"), json: false, session: session)
        } else {
            let frame = BundledSamples.iris()
            session.store(frame, as: "iris", source: "built-in iris sample")
            print("iris: \(frame.rowCount) rows × \(frame.columns.count) columns (built-in sample)")
        }
        print("Try: describe iris · counts iris.variety · hist iris.petal_length bins=12 · help")
    }
}

enum Printer {
    /// Prints one command's result as `session` lays text out: its width, and ASCII only (`ASCIIText`) with
    /// --ascii or a locale that is not UTF-8.
    static func show(_ execution: Execution, json: Bool, session: Session) {
        if json { print(execution.json().serialized()); return }
        let context = session.renderContext
        let text = context.unicode ? execution.renderText(in: context) : ASCIIText.text(execution.renderText(in: context))
        if execution.ok { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
    }
}
