import Foundation
import Testing
import PetalData
import PetalTestSupport
@testable import PetalFeatures

/// What every storage backend must agree on beyond the feature-group behaviour tests: values of every type read back
/// as written, duplicate rows in a batch, incremental inserts whose statistics equal a full recount, keys of several
/// columns. Each test runs on every backend in `Backend.available`.
@Suite struct StorageBatteryTests {
    /// The column's values, for comparing frames.
    static func values(_ frame: Frame, _ name: String) -> [Value] {
        guard let c = frame.column(named: name) else { return [] }
        return (0..<c.count).map { c[$0] }
    }

    @Test(arguments: Backend.available) func everyTypeReadsBackAsWritten(_ backend: Backend) throws {
        let store = try newStore(backend)
        let f = try frame([
            ("id", [.int(1), .int(2), .int(3)]),
            ("n", [.int(-9_007_199_254_740_993), .null, .int(0)]),
            ("x", [.float(0.1), .float(-1e-300), .null]),
            ("big", [.float(.infinity), .float(1.7976931348623157e308), .float(-.infinity)]),
            ("ok", [.bool(true), .bool(false), .null]),
            ("name", [.text("O'Brien \"quoted\""), .text("çà 🌸, tab\there"), .null]),
            ("at", [.datetime(day("2026-01-01") + 123_456, dateOnly: false), .null, .datetime(day("1969-12-31"), dateOnly: false)]),
            ("day", dates(["2026-01-01", "2026-01-02", "2026-01-03"])),
        ])
        _ = try store.createAndInsert("typed", frame: f, dataset: "f", primaryKey: ["id"], eventTime: "day", newVersion: false)
        let back = try store.currentRows(of: try store.group("typed"), asOf: nil).frame
        for name in ["id", "n", "x", "big", "ok", "name", "at"] {
            #expect(Self.values(back, name) == Self.values(f, name), "column \(name)")
        }
        #expect(back.column(named: "day")?.type == .datetime)
    }

    @Test(arguments: Backend.available) func theLaterOfTwoRowsWithOneKeyAndTimeWins(_ backend: Backend) throws {
        let store = try newStore(backend)
        let f = try frame([("id", [.int(1), .int(1), .int(2)]), ("x", [.float(1), .float(2), .float(3)]), ("day", dates(["2026-01-01", "2026-01-01", "2026-01-01"]))])
        let r = try store.createAndInsert("g", frame: f, dataset: "f", primaryKey: ["id"], eventTime: "day", newVersion: false)
        #expect(r.newKeys == 2 && r.replaced == 1 && r.statistics.historyRows == 2)
        #expect(Self.values(try store.currentRows(of: try store.group("g"), asOf: nil).frame, "x") == [.float(2), .float(3)])
        // Again, over stored rows: both rows of key 1 replace the stored one; the later wins.
        let again = try store.insert("g", frame: try frame([("id", [.int(1), .int(1)]), ("x", [.float(7), .float(8)]), ("day", dates(["2026-01-01", "2026-01-01"]))]),
                                     dataset: "again", newVersion: false)
        #expect(again.replaced == 2 && again.statistics.historyRows == 2)
        #expect(Self.values(try store.storage.rows(of: try store.group("g"), through: nil).frame, "x") == [.float(3), .float(8)])
    }

    /// Many small inserts with keys of two columns, history and replacements: the statistics kept incrementally equal
    /// those of the current rows recomputed from the whole history, and `currentRows` is the latest row of each key.
    @Test(arguments: Backend.available) func incrementalStatisticsEqualAFullRecount(_ backend: Backend) throws {
        let store = try newStore(backend)
        var generator = SplitMix64(seed: 7)
        var total = 0
        for batch in 0..<12 {
            let n = 5 + Int(generator.next() % 20)
            var a: [Value] = [], b: [Value] = [], x: [Value] = [], d: [String] = []
            for _ in 0..<n {
                a.append(.int(Int64(generator.next() % 6)))
                b.append(.text(["p", "q", "r"][Int(generator.next() % 3)]))
                x.append(generator.next() % 10 == 0 ? .null : .float(Double(generator.next() % 1_000) / 10))
                d.append("2026-01-\(String(format: "%02d", 1 + Int(generator.next() % 9)))")
            }
            let f = try frame([("a", a), ("b", b), ("x", x), ("day", dates(d))])
            let r = batch == 0 ? try store.createAndInsert("g", frame: f, dataset: "f", primaryKey: ["a", "b"], eventTime: "day", newVersion: false)
                : try store.insert("g", frame: f, dataset: "f", newVersion: false)
            total += r.newKeys + r.newHistory
            #expect(r.newKeys + r.newHistory + r.replaced == n)
        }
        let g = try store.group("g")
        let all = try store.storage.rows(of: g, through: nil)
        #expect(all.frame.rowCount == total && g.statistics?.historyRows == total)
        let latest = all.frame.taking(PointInTime.latest(keys: try PointInTime.keys(all.frame, ["a", "b"]), times: all.eventTimes, asOf: nil))
        let recount = GroupStatistics(current: latest, historyRows: total, updated: g.statistics?.updated ?? 0)
        #expect(g.statistics?.keys == recount.keys)
        for (kept, full) in zip(g.statistics?.columns ?? [], recount.columns) where kept.name != "b" {
            // The current rows come back in write order, not the recount's: sums may differ in the last digit.
            var same = kept
            same.mean = full.mean; same.std = full.std
            #expect(same == full, "column \(kept.name)")
            #expect(abs((kept.mean ?? 0) - (full.mean ?? 0)) <= 1e-9 * max(1, abs(full.mean ?? 0)), "column \(kept.name)")
            #expect(abs((kept.std ?? 0) - (full.std ?? 0)) <= 1e-9 * max(1, abs(full.std ?? 0)), "column \(kept.name)")
        }
        let current = try store.storage.currentRows(of: g)
        #expect(current.rowCount == latest.rowCount)
        #expect(Set(Self.values(current, "x").map(\.plainText)) == Set(Self.values(latest, "x").map(\.plainText)))
    }
}

/// Backend-specific checks: how each is opened and upgraded.
@Suite struct StorageBackendTests {
    @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
    /// (`PGPASSWORD` is not set here: it is process-wide and the PostgreSQL source tests need it absent; the binary
    /// test `PostgresBinaryTests.aSharedFeatureStore` passes the password that way.)
    func postgresIsOpenedFromTheEnvironment() throws {
        let server = try PostgresServer.require()
        let address = server.address(withPassword: true, database: try server.newDatabase(prefix: "env"))
        let store = try FeatureStores.open(folder: scratchFolder(), environment: ["PETAL_FEATURE_STORE": address], now: StepClock().now)
        #expect(store.storage is PostgresFeatureStorage)
        #expect(store.storage.location.contains("127.0.0.1") && !store.storage.location.contains(PostgresServer.password))
        #expect(throws: PetalError.self) { try store.group("nope") }
        _ = try store.createAndInsert("g", frame: try frame([("id", [.int(1)]), ("x", [.float(1)])]), dataset: "f", primaryKey: ["id"],
                                      eventTime: nil, newVersion: false)
        // A second store on the same server sees the group: the store is shared.
        let other = try FeatureStores.open(folder: scratchFolder(), environment: ["PETAL_FEATURE_STORE": address], now: StepClock().now)
        #expect(try other.group("g").statistics?.keys == 1)
    }

    @Test func aWrongPasswordNamesTheServerNotThePassword() throws {
        #expect(throws: PetalError.self) {
            try FeatureStores.open(folder: scratchFolder(), environment: ["PETAL_FEATURE_STORE": "postgresql://u:NotThis@127.0.0.1:1/db"], now: StepClock().now)
        }
        do {
            _ = try FeatureStores.open(folder: scratchFolder(), environment: ["PETAL_FEATURE_STORE": "postgresql://u:NotThis@127.0.0.1:1/db"], now: StepClock().now)
        } catch let e as PetalError {
            #expect(!"\(e)".contains("NotThis") && "\(e)".contains("127.0.0.1"))
        }
        #expect(throws: PetalError.self) { try FeatureStores.open(folder: scratchFolder(), environment: ["PETAL_FEATURE_STORE": "mysql://x"], now: StepClock().now) }
    }

    /// A `features.db` written before the current-row flag (schema 1) is upgraded when opened.
    @Test func aVersionOneFileIsUpgraded() throws {
        let folder = scratchFolder()
        do {
            let store = FeatureStore(storage: try SQLiteFeatureStorage(folder: folder), now: StepClock().now)
            _ = try store.createAndInsert("g", frame: try frame([("id", [.int(1), .int(2)]), ("x", [.float(1), .float(2)]), ("day", dates(["2026-01-01", "2026-01-01"]))]),
                                          dataset: "f", primaryKey: ["id"], eventTime: "day", newVersion: false)
            _ = try store.insert("g", frame: try frame([("id", [.int(1)]), ("x", [.float(5)]), ("day", dates(["2026-02-01"]))]), dataset: "f", newVersion: false)
        }
        let db = try SQLiteDatabase(path: folder + "/features.db", access: .readWrite)
        try db.execute("ALTER TABLE \"rows:g:v1\" DROP COLUMN \(RowsTable.currentColumn); PRAGMA user_version = 1")
        let store = FeatureStore(storage: try SQLiteFeatureStorage(folder: folder), now: StepClock().now)
        let g = try store.group("g")
        #expect(StorageBatteryTests.values(try store.storage.currentRows(of: g), "x") == [.float(2), .float(5)])
        #expect(try store.insert("g", frame: try frame([("id", [.int(3)]), ("x", [.float(3)]), ("day", dates(["2026-03-01"]))]), dataset: "f", newVersion: false)
            .statistics.keys == 3)
    }
}
