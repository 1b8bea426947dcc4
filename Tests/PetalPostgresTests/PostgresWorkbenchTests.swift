import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import PetalTestSupport
#endif

extension PostgresSuites {
    /// The full-screen workbench asking for a PostgreSQL password in a real 80×24 terminal (tmux): the prompt
    /// takes the command line's place, what is typed is never drawn, and the password reaches neither the screen,
    /// the history, the saved session nor anything else under the working folder.
    @Suite struct PostgresWorkbenchTests {
        static let hasTmux = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

        /// `petal` in tmux at 80×24 in a fresh folder, with no PGPASSWORD and a HOME without ~/.pgpass.
        final class Terminal {
            let name = "petal-pg-\(UUID().uuidString.prefix(8))"
            let folder: String
            init(binary: String) throws {
                folder = NSTemporaryDirectory() + name
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let command = "unset NO_COLOR PGPASSWORD PGPASSFILE PETAL_HOME; HOME=\(folder) \(binary); echo PETAL-EXITED; sleep 60"
                spawnDetached("tmux new-session -d -s \(name) -x 80 -y 24 -c \(folder) \"\(command)\"")
            }
            deinit {
                shell("tmux kill-session -t \(name)")
                try? FileManager.default.removeItem(atPath: folder)
            }
            func send(_ keys: String) { shell("tmux send-keys -t \(name) \(keys)") }
            /// Types `text` as it is (tmux's -l: no key names).
            func type(_ text: String) { shell("tmux send-keys -t \(name) -l '\(text)'") }
            func screen() -> String { shell("tmux capture-pane -p -t \(name)") }
            func waitFor(_ text: String, seconds: Int = 20) -> Bool {
                for _ in 0..<(seconds * 10) {
                    if screen().contains(text) { return true }
                    usleep(100_000)
                }
                return false
            }

            /// Starts a long-lived process (the tmux server) with every inherited descriptor above 2 closed, so it
            /// cannot hold the test process's pipes open.
            private func spawnDetached(_ command: String) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/bash")
                p.arguments = ["-c", "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done; exec \(command)"]
                p.standardInput = FileHandle.nullDevice
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                guard (try? p.run()) != nil else { return }
                p.waitUntilExit()
            }

            @discardableResult
            private func shell(_ command: String) -> String {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/sh")
                p.arguments = ["-c", command]
                let out = Pipe()
                p.standardOutput = out
                p.standardError = out
                guard (try? p.run()) != nil else { return "" }
                let data = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                return String(decoding: data, as: UTF8.self)
            }
        }

        @Test(.enabled(if: PostgresServer.unavailable == nil && hasTmux
                           && FileManager.default.isExecutableFile(atPath: PostgresBinaryTests.binary),
                       "\(PostgresServer.unavailable ?? "skipped: needs tmux and .build/debug/petal")"))
        func theWorkbenchAsksForThePasswordWithoutShowingOrKeepingIt() throws {
            let pg = try PostgresServer.require()
            try? pg.psql("CREATE DATABASE tui", database: "postgres")
            try pg.psql("CREATE TABLE IF NOT EXISTS marks (a int, b text); TRUNCATE marks; INSERT INTO marks VALUES (1, 'x'), (2, NULL)", database: "tui")
            let t = try Terminal(binary: PostgresBinaryTests.binary)
            #expect(t.waitFor("Data sets"), "the workbench did not start: \(t.screen())")
            let address = pg.address(database: "tui")
            t.type("open \(address) table=marks")
            t.send("Enter")
            let target = "database \"tui\" on 127.0.0.1:\(pg.port) as petal"
            #expect(t.waitFor("password for \(target):"), "no prompt: \(t.screen())")
            #expect(t.screen().contains("Esc"), "hint bar: \(t.screen())")
            t.type(PostgresServer.password)
            usleep(300_000)
            let typing = t.screen()
            #expect(!typing.contains("PetalSecret") && !typing.contains("*****"), "the password shows: \(typing)")
            t.send("Enter")
            #expect(t.waitFor("2×2"), "the table did not open: \(t.screen())")
            #expect(!t.screen().contains("PetalSecret"))

            // Esc refuses to answer: the open fails with the hint, and the workbench goes on.
            t.type("open \(address) table=marks as again")
            t.send("Enter")
            #expect(t.waitFor("password for \(target):"), "no second prompt: \(t.screen())")
            t.type("half")
            t.send("Escape")
            #expect(t.waitFor("needs a password"), "no error after Esc: \(t.screen())")
            #expect(!t.screen().contains("half"))
            t.type("counts marks.a")
            t.send("Enter")
            #expect(t.waitFor("marks.a"), "the workbench stopped answering: \(t.screen())")

            // Quit (saying yes to closing the data set), then look through everything petal wrote.
            t.send("C-d")
            usleep(300_000)
            t.send("y")
            #expect(t.waitFor("PETAL-EXITED"), "did not quit: \(t.screen())")
            let history = (try? String(contentsOfFile: t.folder + "/.petal/history", encoding: .utf8)) ?? ""
            #expect(history.contains("open \(address) table=marks"), "history: \(history)")
            var files: [String] = []
            if let walker = FileManager.default.enumerator(atPath: t.folder) {
                for case let path as String in walker { files.append(path) }
            }
            for path in files {
                guard let data = FileManager.default.contents(atPath: t.folder + "/" + path) else { continue }
                #expect(data.range(of: Data(PostgresServer.password.utf8)) == nil, "\(path) holds the password")
                #expect(data.range(of: Data("half".utf8)) == nil, "\(path) holds what was typed at the prompt")
            }
        }
    }
}
