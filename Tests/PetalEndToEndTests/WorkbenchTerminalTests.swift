import Foundation
import Testing

/// The full-screen workbench driven in a real terminal through tmux: `petal` with no arguments, keys sent with
/// send-keys, the screen read with capture-pane.
@Suite(.serialized) struct WorkbenchTerminalTests {
    typealias Tmux = TerminalTests.TmuxSession

    /// The workbench in a fresh folder (so the built-in iris opens and history starts empty).
    static func start(_ prefix: String = "", then suffix: String = "") throws -> Tmux {
        let t = try Tmux(command: "\(prefix)\(Petal.binary)\(suffix); echo PETAL-EXITED; sleep 60")
        #expect(t.waitFor("Data sets"), "the workbench did not start: \(t.screen())")
        return t
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func startsOnIrisCompletesDescribesAndOpensAHistogram() throws {
        let t = try WorkbenchTerminalTests.start()
        #expect(t.waitFor("150×5") && t.waitFor("iris is open"), "\(t.screen())")
        t.send("descr Tab")
        #expect(t.waitFor("▶ describe"), "completion: \(t.screen())")  // capture-pane drops the trailing space
        t.send("iris Enter")
        #expect(t.waitFor("5.843333"), "describe: \(t.screen())")
        // A real Esc stands alone; sent together with the next key it would read as Meta-v.
        t.send("Escape")
        usleep(200_000)
        t.send("v l Enter")
        #expect(t.waitFor("iris.sepal_width: histogram"), "histogram: \(t.screen())")
        t.send("q q q")
        #expect(t.waitFor("PETAL-EXITED"), "quit: \(t.screen())")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func historyIsRecalledAfterARestart() throws {
        let t = try Tmux(command: "\(Petal.binary); \(Petal.binary); echo PETAL-EXITED; sleep 60")
        #expect(t.waitFor("Data sets"))
        t.send("'counts iris.variety' Enter")
        #expect(t.waitFor("virginica"), "\(t.screen())")
        t.send("C-d")
        usleep(300_000)
        #expect(t.waitFor("Data sets") && t.waitFor("iris is open"), "second start: \(t.screen())")
        t.send("Up")
        #expect(t.waitFor("▶ counts iris.variety"), "history: \(t.screen())")
        t.send("C-u C-d")
        #expect(t.waitFor("PETAL-EXITED"))
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func resizingKeepsTheHalfTypedLine() throws {
        let t = try WorkbenchTerminalTests.start()
        t.send("'hist iris.peta'")
        #expect(t.waitFor("▶ hist iris.peta"))
        Petal.shell("tmux resize-window -t \(t.name) -x 80 -y 24")
        #expect(t.waitFor("Data sets") && t.waitFor("▶ hist iris.peta"), "80x24: \(t.screen())")
        #expect(t.screen().split(separator: "\n").allSatisfy { $0.count <= 80 })
        Petal.shell("tmux resize-window -t \(t.name) -x 60 -y 20")
        #expect(t.waitFor("sidebar hidden below 80 columns"), "60x20: \(t.screen())")
        Petal.shell("tmux resize-window -t \(t.name) -x 100 -y 30")
        t.send("'l_length' Enter")
        #expect(t.waitFor("iris.petal_length: histogram"), "after resizing back: \(t.screen())")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func fitShowsTheReport() throws {
        let t = try WorkbenchTerminalTests.start()
        t.send("'pipeline p = standard_scaler | knn k=5; fit p on iris target=variety' Enter")
        #expect(t.waitFor("confusion matrix"), "\(t.screen())")
        #expect(t.waitFor("precision") && t.waitFor("acc 1.000"), "\(t.screen())")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func ctrlCCancelsALongLoadAndTheSessionGoesOn() throws {
        let t = try WorkbenchTerminalTests.start()
        // About 60 MB: long enough to still be loading when Ctrl-C arrives.
        let row = "1.25,2.5,abc,7\n"
        var text = "a,b,c,d\n"
        text.reserveCapacity(row.utf8.count * 4_000_000 + 8)
        for _ in 0..<4_000_000 { text += row }
        try Data(text.utf8).write(to: t.folder.appendingPathComponent("big.csv"))
        t.send("'open big.csv' Enter")
        #expect(t.waitFor("Ctrl-C cancels"), "no progress: \(t.screen())")
        t.send("C-c")
        #expect(t.waitFor("loading was cancelled"), "\(t.screen())")
        t.send("'describe iris' Enter")
        #expect(t.waitFor("5.843333"), "\(t.screen())")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func quitAndSigtermRestoreTheTerminal() throws {
        let t = try WorkbenchTerminalTests.start("stty -g > before.txt; ", then: "; stty -g > after.txt")
        t.send("quit Enter")
        #expect(t.waitFor("PETAL-EXITED"), "\(t.screen())")
        let before = try String(contentsOf: t.folder.appendingPathComponent("before.txt"), encoding: .utf8)
        let after = try String(contentsOf: t.folder.appendingPathComponent("after.txt"), encoding: .utf8)
        #expect(before == after, "terminal settings changed")
        #expect(Petal.shell("tmux display -p -t \(t.name) '#{alternate_on}'").output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(!t.screen().contains("Data sets"))

        let u = try WorkbenchTerminalTests.start("stty -g > before.txt; ", then: "; stty -g > after.txt")
        let shell = Petal.shell("tmux display -p -t \(u.name) '#{pane_pid}'").output.trimmingCharacters(in: .whitespacesAndNewlines)
        Petal.shell("pkill -TERM -P \(shell) -f petal")
        #expect(u.waitFor("PETAL-EXITED"), "SIGTERM: \(u.screen())")
        let before2 = try String(contentsOf: u.folder.appendingPathComponent("before.txt"), encoding: .utf8)
        let after2 = try String(contentsOf: u.folder.appendingPathComponent("after.txt"), encoding: .utf8)
        #expect(before2 == after2, "terminal settings changed after SIGTERM")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func closingTheTerminalEndsPetal() throws {
        let t = try WorkbenchTerminalTests.start()
        let shell = Petal.shell("tmux display -p -t \(t.name) '#{pane_pid}'").output.trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = Petal.shell("pgrep -P \(shell) -f petal").output.split(separator: "\n").first.map(String.init) ?? ""
        #expect(!pid.isEmpty, "no petal process under the pane's shell \(shell)")
        Petal.shell("tmux kill-session -t \(t.name)")
        var alive = true
        for _ in 0..<50 where alive {
            usleep(100_000)
            alive = kill(pid_t(pid) ?? 0, 0) == 0
        }
        #expect(!alive, "petal \(pid) kept running after its terminal closed")
    }

    /// How many SGR sequences in captured text set a foreground or background colour (30–37, 40–47, 38;…, 48;…).
    static func colourCodes(in text: String) -> Int {
        let pattern = try? NSRegularExpression(pattern: "\u{1B}\\[([0-9;]*)m")
        let ns = text as NSString
        return (pattern?.matches(in: text, range: NSRange(location: 0, length: ns.length)) ?? []).filter { m in
            let params = ns.substring(with: m.range(at: 1)).split(separator: ";").compactMap { Int($0) }
            return params.contains { (30...37).contains($0) || (40...47).contains($0) || $0 == 38 || $0 == 48 || (90...97).contains($0) }
        }.count
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func noColorMeansNoColours() throws {
        let t = try WorkbenchTerminalTests.start("NO_COLOR=1 ")
        t.send("'corr iris' Enter")
        #expect(t.waitFor("0.96"))
        let escaped = Petal.shell("tmux capture-pane -e -p -t \(t.name)").output
        #expect(WorkbenchTerminalTests.colourCodes(in: escaped) == 0, "colour codes with NO_COLOR")
        let coloured = try WorkbenchTerminalTests.start()
        coloured.send("'corr iris' Enter")
        #expect(coloured.waitFor("0.96"))
        let codes = Petal.shell("tmux capture-pane -e -p -t \(coloured.name)").output
        #expect(WorkbenchTerminalTests.colourCodes(in: codes) > 0, "no colours without NO_COLOR")
        // A 256-colour terminal gets the finer palette (grey for muted text, a diverging heatmap).
        let many = try WorkbenchTerminalTests.start("TERM=xterm-256color ")
        many.send("'corr iris' Enter")
        #expect(many.waitFor("0.96"))
        let indexed = Petal.shell("tmux capture-pane -e -p -t \(many.name)").output
        #expect(indexed.contains("38;5;") || indexed.contains("48;5;"), "no 256-colour codes with TERM=xterm-256color")
    }
}

/// The demo form driven in tmux (issue 7).
@Suite(.serialized) struct DemoTerminalTests {
    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func petalDemoOnAnExportedBundle() throws {
        let iris = Petal.root.appendingPathComponent("samples/iris.csv").path
        let export = "\(Petal.binary) exec 'open \(iris) as iris; pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety; export p to bundles/iris' > export.log 2>&1"
        let t = try TerminalTests.TmuxSession(command: "\(export); \(Petal.binary) demo bundles/iris; echo PETAL-EXITED; sleep 60")
        #expect(t.waitFor("demo of bundles/iris → variety"), "\(t.screen())")
        t.send("5.1 Tab 3.5 Tab 1.4 Tab 0.2 Enter")
        #expect(t.waitFor("S E T O S A"), "\(t.screen())")
        let bars = t.screen().split(separator: "\n").map(String.init).filter { $0.contains("0.") && ($0.contains("setosa ") || $0.contains("versicolor ") || $0.contains("virginica ")) }
        #expect(bars.first?.contains("setosa") == true, "the highest bar first: \(bars)")
        t.send("a")
        #expect(t.waitFor("takes numbers only"), "\(t.screen())")
        t.send("C-f")
        #expect(t.waitFor("comment (optional)"))
        t.send("'from the bundle' Enter")
        #expect(t.waitFor("flagged: .petal/flags.csv line 2"), "\(t.screen())")
        let flags = try String(contentsOf: t.folder.appendingPathComponent(".petal/flags.csv"), encoding: .utf8)
        #expect(flags.contains("bundles/iris") && flags.contains("setosa") && flags.contains("from the bundle"), "\(flags)")
        t.send("Escape")
        usleep(200_000)
        t.send("quit Enter")
        #expect(t.waitFor("PETAL-EXITED"), "\(t.screen())")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func typeMeasurementsSeeSetosaRefuseALetterAndFlag() throws {
        let t = try WorkbenchTerminalTests.start()
        t.send("'pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety; demo p' Enter")
        #expect(t.waitFor("demo of p → variety"), "\(t.screen())")
        t.send("5.1 Tab 3.5 Tab 1.4 Tab 0.2 Enter")
        #expect(t.waitFor("S E T O S A"), "\(t.screen())")
        let lines = t.screen().split(separator: "\n").map(String.init)
        let bars = lines.filter { $0.contains("setosa ") || $0.contains("versicolor ") || $0.contains("virginica ") }
            .filter { $0.contains("0.") || $0.contains("1.00") }
        #expect(bars.first?.contains("setosa") == true, "the highest bar first: \(bars)")
        t.send("x")
        #expect(t.waitFor("takes numbers only"), "\(t.screen())")
        t.send("C-f")
        #expect(t.waitFor("comment (optional)"), "\(t.screen())")
        t.send("'a very setosa flower' Enter")
        #expect(t.waitFor("flagged: .petal/flags.csv line 2"), "\(t.screen())")
        let flags = try String(contentsOf: t.folder.appendingPathComponent(".petal/flags.csv"), encoding: .utf8)
        #expect(flags.contains(",1.4,") && flags.contains("setosa") && flags.contains("a very setosa flower"), "\(flags)")
        t.send("Escape")
        usleep(200_000)
        t.send("': flags' Enter")
        #expect(t.waitFor("1 flagged prediction"), "\(t.screen())")
    }
}
