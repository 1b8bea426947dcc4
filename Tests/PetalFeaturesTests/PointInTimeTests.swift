import Testing
import PetalData
@testable import PetalFeatures

/// Point-in-time joins: a training row sees each feature as it was at its label's time, never later.
@Suite struct PointInTimeTests {
    @Test func asOfJoinTakesTheLatestRowAtOrBeforeTheLabelTime() {
        let right: [[Value]] = [[.int(1)], [.int(1)], [.int(1)], [.int(2)]]
        let rightTimes: [Int64] = [10, 20, 30, 5]
        let left: [[Value]] = [[.int(1)], [.int(1)], [.int(1)], [.int(2)], [.int(3)], [.int(2)]]
        let leftTimes: [Int64] = [25, 20, 9, 100, 100, 4]
        let match = PointInTime.asOfJoin(leftKeys: left, leftTimes: leftTimes, rightKeys: right, rightTimes: rightTimes)
        // 25 → the row of time 20; 20 → 20 itself (at the label's time counts); 9 → none yet; key 3 → missing; 4 < 5 → none.
        #expect(match == [1, 1, nil, 3, nil, nil])
    }

    @Test func tiesAtOneTimeGoToTheRowStoredLater() {
        let right: [[Value]] = [[.text("a")], [.text("a")], [.text("a")]]
        let match = PointInTime.asOfJoin(leftKeys: [[.text("a")]], leftTimes: [10], rightKeys: right, rightTimes: [10, 10, 11])
        #expect(match == [1])
        #expect(PointInTime.latest(keys: right, times: [10, 10, 11], asOf: 10) == [1])
        #expect(PointInTime.latest(keys: right, times: [10, 10, 11], asOf: nil) == [2])
        #expect(PointInTime.latest(keys: right, times: [10, 10, 11], asOf: 9) == [])
    }

    @Test(arguments: Backend.available) func viewNeverLeaksAFeatureFromAfterTheLabel(_ backend: Backend) throws {
        let store = try newStore(backend)
        // Spend per customer changes on 11-10: a label observed on 11-05 must see the old value.
        let spend = try frame([("customer", [.int(1), .int(1), .int(2)]), ("spend", [.float(10), .float(999), .float(5)]),
                               ("day", dates(["2026-11-01", "2026-11-10", "2026-11-20"]))])
        _ = try store.createAndInsert("spend_fg", frame: spend, dataset: "spend", primaryKey: ["customer"], eventTime: "day", newVersion: false)
        let labels = try frame([("customer", [.int(1), .int(2), .int(3)]), ("churn", [.text("yes"), .text("no"), .text("no")]),
                                ("seen", dates(["2026-11-05", "2026-11-06", "2026-11-07"]))])
        _ = try store.createAndInsert("labels_fg", frame: labels, dataset: "labels", primaryKey: ["customer"], eventTime: "seen", newVersion: false)
        let (view, created) = try store.createView("churn_v", group: "labels_fg", label: "churn", joins: [("spend_fg", ["customer"])])
        #expect(created)
        let data = try store.trainingData(view, asOf: day("2026-12-01"))
        #expect(data.frame.columnNames == ["customer", "churn", "spend"])
        #expect(data.frame.column(named: "spend")?[0] == .float(10))   // not 999, which came after the label
        #expect(data.frame.column(named: "spend")?[1] == .null)        // customer 2's spend arrived after its label
        #expect(data.frame.column(named: "spend")?[2] == .null)        // customer 3 has no spend at all
        #expect(data.unmatched.first?.rows == 2)
        // As of a time before any label: no rows.
        #expect(try store.trainingData(view, asOf: day("2026-11-04")).frame.rowCount == 0)
        // The same definition again is the same version; another label makes version 2.
        #expect(try store.createView("churn_v", group: "labels_fg", label: "churn", joins: [("spend_fg", ["customer"])]).created == false)
        #expect(try store.createView("churn_v", group: "labels_fg", label: "customer", joins: []).view.version == 2)
    }

    @Test(arguments: Backend.available) func joinKeysAndColumnsAreChecked(_ backend: Backend) throws {
        let store = try newStore(backend)
        let a = try frame([("id", [.int(1)]), ("x", [.float(1)])])
        let b = try frame([("id", [.text("1")]), ("x", [.float(2)])])
        _ = try store.createAndInsert("a", frame: a, dataset: "a", primaryKey: ["id"], eventTime: nil, newVersion: false)
        _ = try store.createAndInsert("b", frame: b, dataset: "b", primaryKey: ["id"], eventTime: nil, newVersion: false)
        #expect(throws: PetalError.self) { try store.createView("v", group: "a", label: "x", joins: [("b", ["id"])]) }  // int vs text key
        #expect(throws: PetalError.self) { try store.createView("v", group: "a", label: "nope", joins: []) }
        #expect(throws: PetalError.self) { try store.createView("v", group: "a", label: "x", joins: [("missing", ["id"])]) }
    }
}
