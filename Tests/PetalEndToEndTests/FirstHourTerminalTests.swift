import Foundation
import Testing

/// Issue 14 in a real terminal: keys typed quickly after Esc, and quitting by a slip.
@Suite(.serialized) struct FirstHourTerminalTests {
    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func escThenTypingAtOnceStartsACommand() throws {
        let t = try WorkbenchTerminalTests.start()
        #expect(t.waitFor("iris is open"), "\(t.screen())")
        // Esc and the next keys arrive together (as tmux sends them within its escape-time): not Meta-d.
        t.send("Escape d e s c r i b e Space i r i s Enter")
        #expect(t.waitFor("5.843333"), "Esc then typing: \(t.screen())")
        t.send("Escape")
        #expect(t.waitFor("keys go to the view"), "focus shown: \(t.screen())")
        t.send("F2")
        #expect(t.waitFor("▶ describe iris") && t.waitFor("log ("), "F2 opens the log: \(t.screen())")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func ctrlDAndQuitAskWhenWorkWouldBeLostAndQuitIsNotHistory() throws {
        let t = try WorkbenchTerminalTests.start()
        #expect(t.waitFor("iris is open"), "\(t.screen())")
        t.send("'pipeline p = knn' Enter")
        // The command's own output, not the echo of the typed line: the pipeline exists once this shows.
        #expect(t.waitFor("next: fit p on DATASET"), "\(t.screen())")
        t.send("C-d")
        #expect(t.waitFor("quit and close them? y/n"), "Ctrl-D asks: \(t.screen())")
        t.send("n")
        #expect(t.waitFor("still here"), "\(t.screen())")
        t.send("quit Enter")
        #expect(t.waitFor("quit and close them? y/n"), "quit asks: \(t.screen())")
        t.send("y")
        #expect(t.waitFor("PETAL-EXITED"), "y quits: \(t.screen())")
        let history = (try? String(contentsOf: t.folder.appendingPathComponent(".petal/history"), encoding: .utf8)) ?? ""
        #expect(history.contains("pipeline p = knn") && !history.contains("quit"), "history: \(history)")
    }

    @Test(.enabled(if: TerminalTests.hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func theNextStartRestoresTheLastSessionAndFreshSkipsIt() throws {
        let p = Petal.binary
        let t = try TerminalTests.TmuxSession(command: "\(p); \(p); \(p) --fresh; echo PETAL-EXITED; sleep 60")
        #expect(t.waitFor("iris is open"), "\(t.screen())")
        t.send("'filter iris petal_length > 2 as big; pipeline p = standard_scaler | knn k=3; fit p on big target=variety' Enter")
        #expect(t.waitFor("confusion matrix"), "\(t.screen())")
        t.send("quit Enter")
        #expect(t.waitFor("quit and close them? y/n") && t.waitFor("restores them"), "\(t.screen())")
        t.send("y")
        #expect(t.waitFor("restored 2 data sets and 1 pipeline"), "second start: \(t.screen())")
        t.send("'report p' Enter")
        #expect(t.waitFor("precision"), "the fitted pipeline is back: \(t.screen())")
        t.send("runs Enter")
        #expect(t.waitFor("runs: 1 in"), "restoring records no new run: \(t.screen())")
        t.send("quit Enter")
        #expect(t.waitFor("quit and close them? y/n"), "\(t.screen())")
        t.send("y")
        #expect(t.waitFor("Data sets"), "\(t.screen())")
        usleep(500_000)
        #expect(!t.screen().contains("restoring"), "--fresh starts empty: \(t.screen())")
        t.send("'report p' Enter")
        #expect(t.waitFor("no pipeline"), "\(t.screen())")
    }
}
