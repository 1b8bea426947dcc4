import Foundation
import PetalTestSupport
import Testing
import PetalTestSupport
import PetalData
import PetalTracking
@testable import PetalPostgres
@testable import PetalSession

extension PostgresSuites {
    /// `open postgresql://…` in a session: the password typed in the address appears nowhere Petal writes or shows;
    /// a run records the query and the data's fingerprint; `replay` refuses a table that changed.
    @Suite struct PostgresSessionTests {
        static let setup: Void = {
            guard let pg = PostgresServer.shared else { return }
            // Its own database: the other suite lists every table of "course".
            try? pg.psql("CREATE DATABASE garden", database: "postgres")
            try? pg.psql("""
                CREATE TABLE flowers (x float8, y text);
                INSERT INTO flowers SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 40) g;
                """, database: "garden")
        }()

        func ready() throws -> PostgresServer {
            let server = try PostgresServer.require()
            _ = Self.setup
            return server
        }

        func trackedSession() -> (Session, String) {
            let folder = NSTemporaryDirectory() + "petal-pg-session-\(getpid())-\(UUID().uuidString)"
            return (Session(width: 100, trackingFolder: folder, clock: .counting()), folder)
        }

        @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
        func thePasswordIsNeverEchoedLoggedOrRecorded() throws {
            let pg = try ready()
            let (s, folder) = trackedSession()
            let secret = PostgresServer.password
            let opened = s.execute("open \(pg.address(withPassword: true, database: "garden")) table=flowers")
            #expect(opened.error == nil, "\(String(describing: opened.error))")
            let json = String(describing: opened.json())
            let text = opened.renderText(width: 100)
            #expect(text.contains("flowers: 40 rows"))
            #expect(text.contains("postgresql://petal@127.0.0.1"))
            #expect(s.execute("pipeline p = knn n_neighbors=3").error == nil)
            let fitted = s.execute("fit p on flowers target=y")
            #expect(fitted.error == nil, "\(String(describing: fitted.error))")
            let listed = s.execute("open \(pg.address(withPassword: true, database: "garden"))")
            let failed = s.execute("open \(pg.address(withPassword: true, database: "garden")) table=nosuch")
            #expect(failed.error != nil)
            let query = s.execute("open \(pg.address(withPassword: true, database: "garden")) query=\"select * from flowers where x > 10\" as big")
            #expect(query.error == nil)
            let store = try #require(s.tracker?.store)
            let run = try store.run(1)
            #expect(run.summary.tags["data_source"] == pg.address(database: "garden") + " table=flowers")
            #expect(run.commands.first == "open \(pg.address(database: "garden")) table=flowers")
            #expect(run.summary.fingerprint == DataFingerprint.of(try s.dataset("flowers").frame))
            var seen = [json, text, listed.renderText(width: 100), String(describing: listed.json()), failed.renderText(width: 100),
                        String(describing: failed.json()), query.input, opened.input]
            seen += run.commands + run.summary.tags.map(\.value) + s.datasets.map(\.source)
            seen += s.commandLog.entries.map(\.input)
            // Everything in the tracking folder (the store and artifacts), byte for byte.
            if let files = FileManager.default.enumerator(atPath: folder) {
                for case let file as String in files {
                    if let data = FileManager.default.contents(atPath: folder + "/" + file) { seen.append(String(decoding: data, as: UTF8.self)) }
                }
            }
            for (i, item) in seen.enumerated() { #expect(!item.contains(secret), "item \(i) shows the password: \(item.prefix(200))") }
        }

        @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
        func replayRefusesAChangedTable() throws {
            let pg = try ready()
            try pg.psql("CREATE TABLE plants AS SELECT * FROM flowers", database: "garden")
            PostgresSource.setPasswordPrompt { _ in PostgresServer.password }
            defer { PostgresSource.setPasswordPrompt(nil) }
            let (s, _) = trackedSession()
            for line in ["open \(pg.address(withPassword: true, database: "garden")) table=plants", "pipeline p = knn n_neighbors=3", "fit p on plants target=y"] {
                let e = s.execute(line)
                #expect(e.error == nil, "\(line): \(String(describing: e.error))")
            }
            // The recorded commands have no password: the replay's fresh session gets it from the prompt (or PGPASSWORD).
            let same = s.execute("replay 1")
            #expect(same.error == nil, "\(String(describing: same.error))")
            #expect((same.output as? ReplayOutput)?.identical == true)
            try pg.psql("UPDATE plants SET x = x + 1 WHERE x = 40", database: "garden")
            let changed = try #require(s.execute("replay 1").error)
            #expect(changed.message.hasPrefix("the data changed since run 1: plants now has fingerprint"), "\(changed)")
        }
    }

    /// The real `petal` binary: `--json` output and the PGPASSWORD path (built by `swift build --build-tests`).
    @Suite struct PostgresBinaryTests {
        static let binary = RepoPaths.path(".build/debug/petal")

        @Test(.enabled(if: PostgresServer.unavailable == nil && FileManager.default.isExecutableFile(atPath: binary),
                       "\(PostgresServer.unavailable ?? "skipped: no .build/debug/petal")"))
        func jsonNeverShowsThePasswordAndPGPASSWORDIsUsed() throws {
            let pg = try PostgresServer.require()
            try? pg.psql("CREATE DATABASE cli", database: "postgres")
            try pg.psql("CREATE TABLE IF NOT EXISTS t (a int, b text); INSERT INTO t VALUES (1, 'x'), (NULL, 'y')", database: "cli")
            let home = NSTemporaryDirectory() + "petal-pg-cli-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: home) }
            func petal(_ script: String, env: [String: String]) throws -> (Int32, String) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: Self.binary)
                p.arguments = ["exec", "--json", script]
                var e = ProcessInfo.processInfo.environment
                e["PETAL_HOME"] = home
                e.removeValue(forKey: "PGPASSWORD")
                for (k, v) in env { e[k] = v }
                p.environment = e
                let out = Pipe()
                p.standardOutput = out
                p.standardError = out
                try p.run()
                let data = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                return (p.terminationStatus, String(decoding: data, as: UTF8.self))
            }
            let withPassword = pg.address(withPassword: true, database: "cli")
            let (status, out) = try petal("open \(withPassword) table=t; open \(withPassword) table=missing", env: [:])
            #expect(status == 1)   // the second open fails
            #expect(out.contains(#""rows": 2"#), "\(out)")
            #expect(out.contains(pg.address(database: "cli")))
            #expect(!out.contains(PostgresServer.password), "\(out)")
            let (ok, viaEnv) = try petal("open \(pg.address(database: "cli")) query=\"select count(*) as n from t\" as n", env: ["PGPASSWORD": PostgresServer.password])
            #expect(ok == 0, "\(viaEnv)")
            #expect(viaEnv.contains(#""dataset": "n""#), "\(viaEnv)")
            let (failed, noPassword) = try petal("open \(pg.address(database: "cli")) table=t", env: [:])
            #expect(failed == 1)
            #expect(noPassword.contains("needs a password") && noPassword.contains("PGPASSWORD"), "\(noPassword)")
        }

        /// `PETAL_FEATURE_STORE=postgresql://…`: two project folders (two machines, as it were) share one store: a group
        /// made in one is described and inserted into from the other; jobs defined in one are listed in the other, and
        /// run-due's advisory lock is the server's; the password never shows.
        @Test(.enabled(if: PostgresServer.unavailable == nil && FileManager.default.isExecutableFile(atPath: binary),
                       "\(PostgresServer.unavailable ?? "skipped: no .build/debug/petal")"))
        func aSharedFeatureStore() throws {
            let pg = try PostgresServer.require()
            let store = pg.address(database: try pg.newDatabase(prefix: "shared"))
            func petal(_ args: [String], home: String) throws -> (Int32, String) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: Self.binary)
                p.arguments = args
                var e = ProcessInfo.processInfo.environment
                e["PETAL_HOME"] = home
                e["PGPASSWORD"] = PostgresServer.password
                e["PETAL_FEATURE_STORE"] = store
                p.environment = e
                p.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
                let out = Pipe()
                p.standardOutput = out
                p.standardError = out
                try p.run()
                let data = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                return (p.terminationStatus, String(decoding: data, as: UTF8.self))
            }
            let a = NSTemporaryDirectory() + "petal-pg-a-\(UUID().uuidString)", b = NSTemporaryDirectory() + "petal-pg-b-\(UUID().uuidString)"
            let key = "primary_key=sepal_length,sepal_width,petal_length,petal_width"
            let (made, madeOut) = try petal(["exec", "--json", "features iris_fg from iris \(key) event_time=now; expect iris_fg sepal_length between 0 30"], home: a)
            #expect(made == 0, "\(madeOut)")
            let (seen, seenOut) = try petal(["exec", "--json", "describe iris_fg; features insert iris_fg from iris; feature_view v = iris_fg label=variety; training_data v as t"], home: b)
            #expect(seen == 0, "\(seenOut)")
            #expect(seenOut.contains("\"history_rows\": 298"), "\(seenOut)")   // 149 keys (iris has one duplicate row), twice
            #expect(!seenOut.contains(PostgresServer.password))
            let script = NSTemporaryDirectory() + "petal-pg-job-\(UUID().uuidString).petal"
            try "features insert iris_fg from iris\n".write(toFile: script, atomically: true, encoding: .utf8)
            let (defined, definedOut) = try petal(["exec", "job nightly every=1d run=\(script)"], home: a)
            #expect(defined == 0, "\(definedOut)")
            // Defined on one machine, run by cron on the other, its state seen from the first.
            let (ran, ranOut) = try petal(["jobs", "run-due"], home: b)
            #expect(ran == 0 && ranOut.contains("nightly: ok"), "\(ranOut)")
            let (listed, listedOut) = try petal(["jobs", "list", "--json"], home: a)
            #expect(listed == 0 && listedOut.contains("\"last_status\": \"ok\""), "\(listedOut)")
            // No features.db appears in either folder: the store is the server.
            #expect(!FileManager.default.fileExists(atPath: a + "/features.db") && !FileManager.default.fileExists(atPath: b + "/features.db"))
        }
    }
}
