import Foundation
import Testing

/// The readline REPL driven in a real terminal through tmux (send-keys / capture-pane).
@Suite(.serialized) struct TerminalTests {
    static let hasTmux = Petal.shell("command -v tmux").status == 0

    final class TmuxSession {
        let name = "petal-test-\(UUID().uuidString.prefix(8))"
        let folder: URL
        init(command: String) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // `swift test` runs tests with NO_COLOR=1, and a tmux server started from a test keeps it for every pane:
            // clear it so each pane sees only what its command sets.
            Petal.spawnDetached("tmux new-session -d -s \(name) -x 100 -y 30 -c \(folder.path) \"unset NO_COLOR; \(command)\"")
        }
        deinit {
            Petal.shell("tmux kill-session -t \(name)")
            try? FileManager.default.removeItem(at: folder)
        }
        func send(_ keys: String) { Petal.shell("tmux send-keys -t \(name) \(keys)") }
        func screen() -> String { Petal.shell("tmux capture-pane -p -t \(name)").output }
        /// Waits up to 10 s for `text` to appear on the screen.
        func waitFor(_ text: String) -> Bool {
            for _ in 0..<100 {
                if screen().contains(text) { return true }
                usleep(100_000)
            }
            return false
        }
    }

    @Test(.enabled(if: hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func completionHistoryAndOutput() throws {
        let iris = Petal.root.appendingPathComponent("samples/iris.csv").path
        let t = try TmuxSession(command: "\(Petal.binary) repl \(iris)")
        #expect(t.waitFor("petal>"), "prompt: \(t.screen())")
        t.send("descr Tab")
        #expect(t.waitFor("petal> describe"), "\(t.screen())")
        t.send("iris Enter")
        #expect(t.waitFor("5.843333"), "\(t.screen())")
        t.send("'hist iris.pe' Tab")
        #expect(t.waitFor("iris.petal_width"), "\(t.screen())")
        t.send("C-u 'hist iris.petal_length bins=12' Enter")
        #expect(t.waitFor("[6.4083, 6.9000]"), "\(t.screen())")
        t.send("Up Up Enter")
        #expect(t.waitFor("freq"))
        t.send("C-d")
        usleep(500_000)
        let history = (try? String(contentsOf: t.folder.appendingPathComponent(".petal/history"), encoding: .utf8)) ?? ""
        #expect(history.contains("describe iris") && history.contains("hist iris.petal_length bins=12"), "history: \(history)")
    }

    @Test(.enabled(if: hasTmux, "tmux is not installed (scripts/install-deps installs it)"))
    func ctrlCCancelsALongFitAndTheSessionGoesOn() throws {
        let penguins = Petal.root.appendingPathComponent("samples/penguins.csv").path
        let t = try TmuxSession(command: "\(Petal.binary) repl \(penguins)")
        #expect(t.waitFor("petal>"))
        t.send("'pipeline big = imputer | random_forest trees=9000' Enter 'fit big on penguins target=species' Enter")
        #expect(t.waitFor("fitting big"), "\(t.screen())")
        t.send("C-c")
        #expect(t.waitFor("fitting was cancelled"), "\(t.screen())")
        t.send("'half typed' C-c 'datasets' Enter")
        #expect(t.waitFor("penguins   344"), "\(t.screen())")
    }
}
