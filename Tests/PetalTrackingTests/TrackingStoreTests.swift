import Foundation
import Testing
import PetalData
@testable import PetalTracking

@Suite struct TrackingStoreTests {
    @Test func runsParamsMetricsTagsAndFilters() throws {
        let store = try TrackingStore(folder: scratchFolder(), clock: .counting())
        for k in [1, 3, 5, 7] {
            let id = try store.startRun(start([("knn.n_neighbors", String(k)), ("knn.weights", k > 3 ? "distance" : "uniform")]), experiment: "e")
            try store.logMetrics([MetricPoint("accuracy", 0.8 + Double(k) / 100)] + (1...3).map { MetricPoint("fold", Double(k * $0), step: $0) }, run: id)
            try store.finishRun(id, status: k == 7 ? .failed : .finished)
        }
        try store.setTags([("stage", "final")], run: 2)
        let all = try store.runs(experiment: "e")
        #expect(all.map(\.id) == [1, 2, 3, 4])
        #expect(all[1].metrics["fold"] == MetricSummary(last: 9, min: 3, max: 9, count: 3))
        func ids(_ text: String) throws -> [Int] {
            try store.runs(where: RunFilterParser.parse(text, keys: store.knownKeys()), experiment: "e").map(\.id)
        }
        #expect(try ids("params.knn.n_neighbors > 3") == [3, 4])   // numeric, not text, comparison ("7" > "3", "5" > "3")
        #expect(try ids("n_neighbors IN (1, 7) OR tags.stage = 'final'") == [1, 2, 4])
        #expect(try ids("NOT status = 'finished'") == [4])
        #expect(try ids("fold.max >= 15 AND weights LIKE 'dist%'") == [3, 4])
        #expect(try ids("NOT tags.stage = 'final'") == [1, 3, 4])   // a run without the tag is not "final"
        #expect(try ids("tags.stage IS NULL") == [1, 3, 4])
        try store.setDeleted(true, run: 1)
        #expect(try store.runs(experiment: "e").map(\.id) == [2, 3, 4])
        #expect(try store.runs(experiment: "e", visibility: .deleted).map(\.id) == [1])
        try store.setDeleted(false, run: 1)
        #expect(try store.runs(experiment: "e").count == 4)
        #expect(throws: PetalError.self) { try store.setNote("x", run: 99) }
    }

    @Test func registryVersionsAndAliases() throws {
        let store = try TrackingStore(folder: scratchFolder())
        let a = try store.startRun(start(), experiment: "default")
        let b = try store.startRun(start(), experiment: "default")
        #expect(try store.register("iris", run: a) == 1)
        #expect(try store.register("iris", run: b) == 2)
        try store.setAlias("champion", model: "iris", version: 1)
        #expect(try store.resolve("iris@champion") == ("iris", 1, a))
        #expect(try store.resolve("iris/2") == ("iris", 2, b))
        #expect(try store.resolve("iris@latest").run == b)
        #expect(throws: PetalError.self) { try store.resolve("iris/3") }
        #expect(throws: PetalError.self) { try store.resolve("iris@staging") }
        #expect(throws: PetalError.self) { try store.setAlias("x", model: "nope", version: 1) }
        #expect(try store.models().first?.aliases.first?.alias == "champion")
    }

    @Test func newerSchemaIsRefused() throws {
        let folder = scratchFolder()
        _ = try TrackingStore(folder: folder)
        let db = try SQLiteDatabase(path: folder + "/petal.db", access: .readWrite)
        try db.execute("PRAGMA user_version = \(TrackingStore.schemaVersion + 1)")
        do {
            _ = try TrackingStore(folder: folder)
            Issue.record("a newer store was opened")
        } catch let error as PetalError {
            #expect(error.message.contains("newer Petal"))
        }
    }

    @Test func olderSchemaIsMigratedAfterABackup() throws {
        let folder = scratchFolder()
        // A version-1 store (before the registry) with one run in it.
        let db = try SQLiteDatabase(path: folder + "/petal.db", access: .readWriteCreate)
        try db.execute(Schema.migrations[0] + "; PRAGMA user_version = 1")
        try db.execute("INSERT INTO experiments(name, created) VALUES ('old', 0); INSERT INTO runs(experiment_id, kind, status, started) VALUES (1, 'fit', 'finished', 0)")
        let store = try TrackingStore(folder: folder)
        #expect(store.notices.first?.contains("migrated") == true)
        #expect(try db.scalarInt("PRAGMA user_version") == Int64(TrackingStore.schemaVersion))
        #expect(try store.runs(experiment: "old").count == 1)
        #expect(try store.register("m", run: 1) == 1)
        let backup = try SQLiteDatabase(path: folder + "/petal.db.v1.backup")
        #expect(try backup.scalarInt("PRAGMA user_version") == 1)
        #expect(try backup.scalarInt("SELECT COUNT(*) FROM runs") == 1)
    }

    @Test func runsOfDeadProcessesAreMarkedFailed() throws {
        let folder = scratchFolder()
        let store = try TrackingStore(folder: folder)
        let id = try store.startRun(start(), experiment: "default")
        let mine = try store.startRun(start(), experiment: "default")
        // Make the first look like it belongs to a process that has exited: spawn one and wait for it.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        try store.db.run("UPDATE runs SET pid = ?, pid_start = NULL WHERE id = ?", [.int(Int64(p.processIdentifier)), .int(Int64(id))])
        let reopened = try TrackingStore(folder: folder)
        #expect(reopened.notices.contains { $0.contains("marked run \(id) failed") })
        let runs = try reopened.runs()
        #expect(runs.first { $0.id == id }?.status == .failed)
        #expect(runs.first { $0.id == mine }?.status == .running)   // this process is alive
        #expect(try reopened.integrityCheck() == "ok")
    }

    @Test func unwritableFolderGivesAClearError() throws {
        // A path under a regular file cannot be created, even by root (permission bits do not stop root).
        let file = scratchFolder() + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        do {
            _ = try TrackingStore(folder: file + "/.petal")
            Issue.record("a store was created under a file")
        } catch let error as PetalError {
            #expect(error.message.hasPrefix("cannot create the tracking folder \(file)/.petal"))
            #expect(error.hint?.contains("runs are not recorded") == true)
        }
    }

    @Test func artifactsAreFilesBesideTheStore() throws {
        let folder = scratchFolder()
        let store = try TrackingStore(folder: folder)
        let id = try store.startRun(start(), experiment: "default")
        let path = try store.addArtifact("report.txt", contents: Data("hello".utf8), run: id)
        #expect(path == folder + "/artifacts/\(id)/report.txt")
        #expect(try store.artifact("report.txt", run: id) == Data("hello".utf8))
        #expect(try store.run(id).artifacts.map(\.path) == ["artifacts/\(id)/report.txt"])
        #expect(try store.artifact("model.json", run: id) == nil)
    }
}
