import Foundation
import Testing

/// Helpers of the tests below.
enum FirstHourEndTerminalTests {
    static let penguins = Petal.root.appendingPathComponent("samples/penguins.csv").path

    /// The history file of a session's folder.
    static func history(_ t: TerminalTests.TmuxSession) -> String {
        (try? String(contentsOf: t.folder.appendingPathComponent(".petal/history"), encoding: .utf8)) ?? ""
    }
}

/// Issue 14 in a real terminal, continued: commands typed while a job runs, text re-wrapped after a resize, and
/// moving by words on the command line. In the workbench suite, which runs one test at a time, so the long fits
/// here never starve its timing-sensitive tests (Ctrl-C during a load) on a small machine.
extension WorkbenchTerminalTests {

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func commandsTypedDuringAJobAreQueuedCancelledOrRunAfterIt() throws {
        let t = try WorkbenchTerminalTests.start()
        #expect(t.waitFor("iris is open"), "\(t.screen())")
        t.send("'open \(FirstHourEndTerminalTests.penguins) as penguins' Enter")
        #expect(t.waitFor("penguins is open") || t.waitFor("344"), "\(t.screen())")
        // A forest of 9,000 trees: long enough to type while it grows (the readline test cancels the same fit).
        t.send("'pipeline big = imputer | random_forest trees=9000; fit big on penguins target=species' Enter")
        #expect(t.waitFor("Ctrl-C cancels") || t.waitFor("Ctrl-C cancel"), "no progress: \(t.screen())")
        t.send("'describe iris' Enter 'counts iris.variety' Enter")
        #expect(t.waitFor("queued: describe iris") && t.waitFor("queued: counts iris.variety"), "shown as queued: \(t.screen())")
        #expect(t.waitFor("+2 queued"), "the hint bar counts them: \(t.screen())")
        // Ctrl-C cancels the fit and the commands queued after it: they never run and never reach the history.
        t.send("C-c")
        #expect(t.waitFor("not run: describe iris") && t.waitFor("not run: counts iris.variety"), "\(t.screen())")
        #expect(t.waitFor("cancelled"), "\(t.screen())")
        usleep(1_000_000)
        #expect(!t.screen().contains("5.843333") && !t.screen().contains("counts of iris.variety"), "a dropped command ran: \(t.screen())")
        var history = FirstHourEndTerminalTests.history(t)
        #expect(!history.contains("describe iris") && !history.contains("counts iris.variety"), "history: \(history)")
        #expect(history.contains("fit big on penguins"), "what ran is history: \(history)")
        // Queued behind a job that finishes: they run after it, in order, and join the history as they run.
        t.send("'pipeline slow = imputer | random_forest trees=1500; fit slow on penguins target=species' Enter")
        #expect(t.waitFor("Ctrl-C cancel"), "no progress: \(t.screen())")
        t.send("'describe iris' Enter")
        #expect(t.waitFor("queued: describe iris"), "\(t.screen())")
        #expect(!FirstHourEndTerminalTests.history(t).contains("describe iris"), "history before it ran")
        var ran = false
        for _ in 0..<12 where !ran { ran = t.waitFor("5.843333") }
        #expect(ran, "the queued command ran after the fit: \(t.screen())")
        history = FirstHourEndTerminalTests.history(t)
        let lines = history.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0 == "describe iris" }.count == 1, "history: \(history)")
        if let fit = lines.firstIndex(where: { $0.contains("fit slow") }), let describe = lines.firstIndex(of: "describe iris") {
            #expect(fit < describe, "history in the order they ran: \(history)")
        }
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func altBAndFAndCtrlArrowsMoveByWordsWhileALoneEscStaysEsc() throws {
        let t = try WorkbenchTerminalTests.start()
        #expect(t.waitFor("iris is open"), "\(t.screen())")
        t.send("'describe iris'")
        #expect(t.waitFor("▶ describe iris"), "\(t.screen())")
        // Alt-b (tmux sends Esc and b in one write, as terminals send Meta) then Ctrl-Left: two words back.
        t.send("M-b")
        usleep(200_000)
        t.send("C-Left X")
        #expect(t.waitFor("▶ Xdescribe iris"), "Alt-b, Ctrl-Left: \(t.screen())")
        // Alt-f: to the end of the word; Ctrl-Right: to the end of the next.
        t.send("M-f Y")
        #expect(t.waitFor("▶ XdescribeY iris"), "Alt-f: \(t.screen())")
        t.send("C-Right Z")
        #expect(t.waitFor("▶ XdescribeY irisZ"), "Ctrl-Right: \(t.screen())")
        // A lone Esc, then b a moment later: Esc (keys to the view), then b typed on the line.
        t.send("Escape")
        usleep(400_000)
        t.send("b")
        #expect(t.waitFor("▶ XdescribeY irisZb"), "Esc then b: \(t.screen())")
        // And Esc then another key at once stays Esc, then that key (not Meta).
        t.send("C-u Escape d e s c r i b e Space i r i s Enter")
        #expect(t.waitFor("5.843333"), "Esc then typing: \(t.screen())")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func wrappedTextIsWrappedAgainAfterAResize() throws {
        let t = try WorkbenchTerminalTests.start()
        Petal.shell("tmux resize-window -t \(t.name) -x 120 -y 40")
        #expect(t.waitFor("iris is open"), "\(t.screen())")
        // A copyable curl line (serve) and a long multi-line hint (kNN on missing values) in the log.
        t.send("'pipeline p = knn; fit p on iris target=variety; serve p port=0' Enter")
        #expect(t.waitFor("/invocations"), "\(t.screen())")
        // A result's text view, wrapped for 120 columns, then the terminal narrowed to 80: wrapped again.
        t.send("'help search' Enter")
        #expect(t.waitFor("scikit-learn"), "\(t.screen())")
        let help = Petal.shell("PETAL_HOME=\(Petal.scratchTracking) \(Petal.binary) exec 'help search'").output
        let helpWords = help.split(separator: "\n").prefix(7).flatMap { $0.split(separator: " ").map(String.init) }
        Petal.shell("tmux resize-window -t \(t.name) -x 80 -y 40")
        usleep(500_000)
        let narrowed = t.screen()
        let shownHelp = Set(narrowed.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init))
        for word in helpWords { #expect(shownHelp.contains(word), "\"\(word)\" not whole after 120 → 80:\n\(narrowed)") }
        Petal.shell("tmux resize-window -t \(t.name) -x 120 -y 40")
        usleep(300_000)
        t.send("'open \(FirstHourEndTerminalTests.penguins) as penguins; pipeline k = knn; fit k on penguins target=species' Enter")
        #expect(t.waitFor("imputer"), "\(t.screen())")
        let hint = Petal.shell("cd \(Petal.root.path) && PETAL_HOME=\(Petal.scratchTracking) \(Petal.binary) exec 'open samples/penguins.csv as penguins; pipeline k = knn; fit k on penguins target=species' 2>&1").output
        // The error line and its indented hint lines.
        let lines = hint.split(separator: "\n").map(String.init)
        let start = lines.firstIndex { $0.hasPrefix("error:") } ?? lines.count
        let message = lines[start...].prefix { $0.hasPrefix("error:") || $0.hasPrefix("  ") }
        let hintWords = message.flatMap { $0.split(separator: " ").map(String.init) }.filter { $0 != "error:" }
        #expect(hintWords.count >= 6, "petal exec's hint: \(hint)")
        Petal.shell("tmux resize-window -t \(t.name) -x 80 -y 24")
        usleep(500_000)
        var screen = t.screen()
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.allSatisfy { $0.count <= 80 }, "\(screen)")
        #expect(!screen.contains("…"), "cut after the resize:\n\(screen)")
        let words = Set(screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init))
        for word in hintWords { #expect(words.contains(word), "\"\(word)\" not whole at 80 columns:\n\(screen)") }
        // The whole log (F2): the curl line whole, wrapped at the new width (no line as wide as the old one).
        t.send("F2")
        #expect(t.waitFor("log ("), "\(screen)")
        // PgUp scrolls the view while the line has the keys: back to where serve wrote its curl line.
        t.send("PPage PPage PPage")
        usleep(300_000)
        screen = t.screen()
        let logWords = Set(screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init))
        for word in ["curl", "-s", "'Content-Type:", "application/json'", "-d"] {
            #expect(logWords.contains(word), "\"\(word)\" not whole in the log at 80 columns:\n\(screen)")
        }
        #expect(screen.contains("/invocations") && !screen.contains("…"), "\(screen)")
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(screen)")
    }
}
