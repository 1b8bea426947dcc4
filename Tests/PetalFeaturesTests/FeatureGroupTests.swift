import Foundation
import Testing
import PetalData
@testable import PetalFeatures

/// Feature groups: upserts with history, schema checks, validation that rejects a batch whole, statistics — on every
/// storage backend (`Backend.available`).
@Suite struct FeatureGroupTests {
    static func batch(_ ids: [Int64], _ xs: [Double], _ days: [String]) throws -> Frame {
        try frame([("id", ids.map { .int($0) }), ("x", xs.map { .float($0) }), ("day", dates(days))])
    }

    @Test(arguments: Backend.available) func upsertKeepsHistoryByEventTime(_ backend: Backend) throws {
        let (storage, reopen) = try backend.newStorage()
        let store = FeatureStore(storage: storage, now: StepClock().now)
        let first = try store.createAndInsert("g", frame: try Self.batch([1, 2], [1, 2], ["2026-01-01", "2026-01-01"]), dataset: "b1",
                                              primaryKey: ["id"], eventTime: "day", newVersion: false)
        #expect(first.created && first.newKeys == 2)
        // Key 1 at a new time (history), key 2 at the same time (replaced), key 3 new.
        let second = try store.insert("g", frame: try Self.batch([1, 2, 3], [10, 20, 30], ["2026-02-01", "2026-01-01", "2026-01-15"]),
                                      dataset: "b2", newVersion: false)
        #expect(second.newHistory == 1 && second.replaced == 1 && second.newKeys == 1 && !second.created)
        #expect(second.statistics.keys == 3 && second.statistics.historyRows == 4)
        let g = try store.group("g")
        let now = try store.currentRows(of: g, asOf: nil).frame
        #expect(now.column(named: "x").map { c in (0..<c.count).map { c[$0] } } == [.float(10), .float(20), .float(30)])
        let then = try store.currentRows(of: g, asOf: day("2026-01-10")).frame
        #expect(then.column(named: "x").map { c in (0..<c.count).map { c[$0] } } == [.float(1), .float(20)])
        // Statistics are stored with the group: read back without touching the rows.
        let reopened = FeatureStore(storage: try reopen())
        let stats = try #require(try reopened.group("g").statistics)
        #expect(stats.columns.first { $0.name == "x" }?.mean == 20)
    }

    @Test(arguments: Backend.available) func insertTimeIsTheEventTimeWithNow(_ backend: Backend) throws {
        let store = try newStore(backend)
        let f = try frame([("id", [.int(1)]), ("x", [.float(1)])])
        _ = try store.createAndInsert("g", frame: f, dataset: "f", primaryKey: ["id"], eventTime: nil, newVersion: false)
        let again = try store.createAndInsert("g", frame: f, dataset: "f", primaryKey: ["id"], eventTime: nil, newVersion: false)
        #expect(!again.created && again.newHistory == 1)
        let rows = try store.storage.rows(of: try store.group("g"), through: nil)
        #expect(rows.eventTimes.count == 2 && rows.eventTimes[0] < rows.eventTimes[1])
    }

    @Test(arguments: Backend.available) func schemaDifferencesNameTheColumnOrMakeANewVersion(_ backend: Backend) throws {
        let store = try newStore(backend)
        _ = try store.createAndInsert("g", frame: try Self.batch([1], [1], ["2026-01-01"]), dataset: "b", primaryKey: ["id"], eventTime: "day", newVersion: false)
        let extra = try frame([("id", [.int(2)]), ("x", [.float(2)]), ("day", dates(["2026-01-02"])), ("y", [.int(5)])])
        do { _ = try store.insert("g", frame: extra, dataset: "extra", newVersion: false); Issue.record("inserted a new column") } catch let e as PetalError {
            #expect(e.message.contains("new column y"))
        }
        let mistyped = try frame([("id", [.int(2)]), ("x", [.text("two")]), ("day", dates(["2026-01-02"]))])
        do { _ = try store.insert("g", frame: mistyped, dataset: "m", newVersion: false); Issue.record("inserted text into a float") } catch let e as PetalError {
            #expect(e.message.contains("column x is text here but float"))
        }
        // An int column fits a float one.
        let ints = try frame([("id", [.int(2)]), ("x", [.int(2)]), ("day", dates(["2026-01-02"]))])
        #expect(try store.insert("g", frame: ints, dataset: "ints", newVersion: false).newKeys == 1)
        let v2 = try store.insert("g", frame: extra, dataset: "extra", newVersion: true)
        #expect(v2.group.version == 2 && v2.created && v2.group.columns.map(\.name) == ["id", "x", "day", "y"])
        #expect(try store.group("g", version: 1).columns.count == 3)
    }

    @Test(arguments: Backend.available) func aFailingBatchIsRejectedWholeListingRowsAndRules(_ backend: Backend) throws {
        let store = try newStore(backend)
        _ = try store.createAndInsert("g", frame: try Self.batch([1], [1], ["2026-01-01"]), dataset: "b", primaryKey: ["id"], eventTime: "day", newVersion: false)
        try store.addExpectation(Expectation(group: "g", column: "x", rule: .between(0, 30)))
        try store.addExpectation(Expectation(group: "g", column: "x", rule: .notNull))
        let bad = try frame([("id", [.int(2), .int(3), .int(4)]), ("x", [.float(5), .float(45), .null]), ("day", dates(["2026-01-02", "2026-01-02", "2026-01-02"]))])
        do { _ = try store.insert("g", frame: bad, dataset: "bad", newVersion: false); Issue.record("a bad batch was inserted") } catch let e as PetalError {
            #expect(e.message.contains("row 1: x = 45, expected between 0 30"))
            #expect(e.message.contains("row 2: x = null, expected not_null"))
            #expect(e.message.contains("2 rows of bad"))
        }
        #expect(try store.group("g").statistics?.keys == 1)   // nothing of the batch was written
        #expect(try store.storage.rows(of: try store.group("g"), through: nil).frame.rowCount == 1)
        #expect(throws: PetalError.self) { try store.addExpectation(Expectation(group: "g", column: "nope", rule: .notNull)) }
        #expect(throws: PetalError.self) { try store.addExpectation(Expectation(group: "g", column: "day", rule: .between(0, 1))) }
    }

    @Test(arguments: Backend.available) func keysAndEventTimesMustBePresent(_ backend: Backend) throws {
        let store = try newStore(backend)
        let nullKey = try frame([("id", [.int(1), .null]), ("x", [.float(1), .float(2)])])
        #expect(throws: PetalError.self) { try store.createAndInsert("g", frame: nullKey, dataset: "n", primaryKey: ["id"], eventTime: nil, newVersion: false) }
        let f = try frame([("id", [.int(1)]), ("x", [.float(1)])])
        #expect(throws: PetalError.self) { try store.createAndInsert("g2", frame: f, dataset: "f", primaryKey: ["nope"], eventTime: nil, newVersion: false) }
        #expect(throws: PetalError.self) { try store.createAndInsert("g3", frame: f, dataset: "f", primaryKey: ["id"], eventTime: "x", newVersion: false) }
        #expect(throws: PetalError.self) { try store.createAndInsert("bad name", frame: f, dataset: "f", primaryKey: ["id"], eventTime: nil, newVersion: false) }
        // Another definition under an existing name needs version=new.
        _ = try store.createAndInsert("g4", frame: f, dataset: "f", primaryKey: ["id"], eventTime: nil, newVersion: false)
        #expect(throws: PetalError.self) { try store.createAndInsert("g4", frame: f, dataset: "f", primaryKey: ["x"], eventTime: nil, newVersion: false) }
        #expect(try store.createAndInsert("g4", frame: f, dataset: "f", primaryKey: ["x"], eventTime: nil, newVersion: true).group.version == 2)
    }
}
