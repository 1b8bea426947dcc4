import Foundation
import Testing
import PetalData
@testable import PetalTracking

/// A damaged store is reported at open and repaired into a new file; a read-only one can still be listed;
/// `runs where` nested too deep is an error, not a stack overflow (issue 12).
@Suite struct DamagedStoreTests {
    /// A closed store with `runs` runs, each with params and a metric curve (several pages of each table).
    static func filledStore(runs: Int = 300) throws -> String {
        let folder = scratchFolder("damaged")
        let store = try TrackingStore(folder: folder, clock: .counting())
        for k in 0..<runs {
            let id = try store.startRun(start([("knn.n_neighbors", String(k)), ("note", String(repeating: "x", count: 200))]), experiment: "e")
            try store.logMetrics((1...5).map { MetricPoint("loss", Double(k) / Double($0), step: $0) } + [MetricPoint("accuracy", 0.5)], run: id)
            try store.finishRun(id, status: .finished)
        }
        return folder
    }

    /// Overwrites page `page` (1-based, 4 KiB pages) of the store's file with garbage.
    static func damage(_ folder: String, page: Int) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: folder + "/petal.db"))
        try handle.seek(toOffset: UInt64((page - 1) * 4096 + 100))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 3000))
        try handle.close()
    }

    @Test func damageIsReportedAtOpenAndRepairKeepsTheOldFile() throws {
        let folder = try Self.filledStore()
        let pages = Int((try FileManager.default.attributesOfItem(atPath: folder + "/petal.db")[.size] as? Int) ?? 0) / 4096
        #expect(pages > 20)
        try Self.damage(folder, page: pages / 2)
        try Self.damage(folder, page: pages / 2 + 7)
        // Opening works and says so.
        let damaged = try TrackingStore(folder: folder, clock: .counting())
        #expect(damaged.damage != nil)
        #expect(damaged.notices.contains { $0.contains("is damaged") && $0.contains("runs repair") }, "\(damaged.notices)")
        _ = damaged  // released before the repair
        let report = try TrackingStore.repair(folder: folder)
        #expect(report.checkBefore != "ok")
        #expect(FileManager.default.fileExists(atPath: report.keptAs))
        let runs = report.rows.first { $0.table == "runs" }?.rows ?? 0
        #expect(runs > 150 && runs <= 300, "\(report.rows)")
        // The new store is sound, lists what was recovered and takes new runs.
        let repaired = try TrackingStore(folder: folder, clock: .counting())
        #expect(repaired.damage == nil)
        #expect(try repaired.integrityCheck() == "ok")
        let listed = try repaired.runs(experiment: "e")
        #expect(listed.count == runs)
        let id = try repaired.startRun(start(), experiment: "e")
        #expect(id > 0)
    }

    @Test func repairOfASoundStoreCopiesEverything() throws {
        let folder = try Self.filledStore(runs: 20)
        let before = try TrackingStore(folder: folder).runs(experiment: "e")
        let report = try TrackingStore.repair(folder: folder)
        #expect(report.checkBefore == "ok")
        #expect(report.rows.first { $0.table == "runs" }?.rows == 20)
        #expect(report.rows.first { $0.table == "metrics" }?.rows == 20 * 6)
        let after = try TrackingStore(folder: folder).runs(experiment: "e")
        #expect(after.map(\.id) == before.map(\.id))
        #expect(after.map(\.params) == before.map(\.params))
    }

    @Test func readOnlyStoreListsRunsAndRecordsNone() throws {
        let folder = try Self.filledStore(runs: 5)
        let store = try TrackingStore(folder: folder, readOnly: true)
        #expect(store.isReadOnly)
        #expect(try store.runs(experiment: "e").count == 5)
        #expect(store.notices.contains { $0.contains("read-only") })
        let e = try #require(throws: PetalError.self) { try store.startRun(start(), experiment: "e") }
        #expect(e.message.contains("read-only"))
        // Without WAL shared memory (a folder that cannot be written), the file opens immutable.
        let immutable = try SQLiteDatabase(path: folder + "/petal.db", access: .immutable)
        #expect(try immutable.scalarInt("SELECT count(*) FROM runs") == 5)
    }

    @Test func deepRunFiltersAreErrors() throws {
        for text in [String(repeating: "(", count: 100_000) + "status = 'x'" + String(repeating: ")", count: 100_000),
                     String(repeating: "NOT ", count: 100_000) + "status = 'x'",
                     Array(repeating: "status = 'x'", count: 100_000).joined(separator: " AND "),
                     Array(repeating: "(status = 'x' OR", count: 50_000).joined(separator: " ")] {
            do {
                _ = try RunFilterParser.parse(text)
                Issue.record("parsed a condition \(text.count) characters deep")
            } catch {
                #expect(error.message.contains("more than \(RunFilterParser.maxDepth) levels")
                        || error.message.contains("more than \(RunFilterParser.maxNesting) levels"), "\(error.message.prefix(200))")
            }
        }
        // Within the limit it parses and runs.
        let store = try TrackingStore(folder: scratchFolder(), clock: .counting())
        _ = try store.startRun(start(), experiment: "e")
        let ok = Array(repeating: "status = 'running'", count: 150).joined(separator: " AND ")
        #expect(try store.runs(where: RunFilterParser.parse(ok), experiment: "e").count == 1)
        let nested = String(repeating: "(", count: 30) + "status = 'running'" + String(repeating: ")", count: 30)
        #expect(try store.runs(where: RunFilterParser.parse(nested), experiment: "e").count == 1)
        // Alternating operators and NOTs (a parenthesis and a NOT per level) nest the SQL: as deep as the parser allows still runs in SQLite.
        var alternating = "status = 'running'"
        for k in 0..<(RunFilterParser.maxNesting / 2 - 1) { alternating = "(status = 'x' \(k % 2 == 0 ? "OR" : "AND") NOT \(alternating))" }
        #expect(throws: Never.self) { try store.runs(where: RunFilterParser.parse(alternating), experiment: "e") }
    }
}
