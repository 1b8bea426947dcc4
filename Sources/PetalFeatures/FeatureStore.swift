import Foundation
import PetalData

/// The feature store's behaviour over any `FeatureStorage`: groups with checked schemas, validated upserts with
/// statistics, point-in-time training data from views. Everything a backend must agree on happens here.
public final class FeatureStore {
    public let storage: any FeatureStorage
    /// Seconds since 1970 (a counting clock in notebooks, so recorded output stays the same).
    let now: () -> Double

    public init(storage: any FeatureStorage, now: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.storage = storage
        self.now = now
    }

    /// What an insert did.
    public struct InsertResult: Sendable {
        public var group: FeatureGroup
        /// True when the insert created the group (or a new version of it).
        public var created: Bool
        /// Rows for keys the group did not have.
        public var newKeys: Int
        /// Rows for known keys at a new event time (the earlier rows stay as history).
        public var newHistory: Int
        /// Rows that replaced a stored row of the same key and event time.
        public var replaced: Int
        public var statistics: GroupStatistics
    }

    // MARK: - Groups

    /// Version `version` of group `name`, or its latest; an error listing the groups when there is none.
    public func group(_ name: String, version: Int? = nil) throws -> FeatureGroup {
        let versions = try storage.groups(named: name)
        guard let latest = versions.last else {
            let names = Set(try storage.groups(named: nil).map(\.name)).sorted()
            throw PetalError("no feature group called \"\(name)\"",
                            hint: names.isEmpty ? "make one: features NAME from DATASET primary_key=COLS event_time=COL|now"
                                : "feature groups: " + names.joined(separator: ", "))
        }
        guard let version else { return latest }
        guard let g = versions.first(where: { $0.version == version }) else {
            throw PetalError("feature group \(name) has no version \(version)", hint: "its versions: " + versions.map { String($0.version) }.joined(separator: ", "))
        }
        return g
    }

    /// True when a group called `name` exists.
    public func hasGroup(_ name: String) -> Bool { ((try? storage.groups(named: name)) ?? []).isEmpty == false }

    /// `features NAME from DATASET primary_key=… event_time=…`: makes the group when it does not exist (or a new
    /// version with `newVersion` when the definition changed), then inserts the rows. Running the same line again
    /// (a scheduled feature pipeline) only inserts.
    public func createAndInsert(_ name: String, frame: Frame, dataset: String, primaryKey: [String], eventTime: String?,
                                newVersion: Bool) throws -> InsertResult {
        try GroupSchema.checkName(name, what: "feature group")
        guard !primaryKey.isEmpty else { throw PetalError("a feature group needs primary_key=COLS", hint: "the columns that name one row, e.g. primary_key=customer_id") }
        for c in frame.columns where c.name.hasPrefix("__petal") { throw PetalError("column \(c.name): names starting with __petal are Petal's own") }
        for k in primaryKey {
            _ = try frame.requireColumn(k, dataset: dataset)
            if k == eventTime { throw PetalError("event_time=\(k) is also in primary_key", hint: "history is kept by event time per key: leave it out of the key") }
        }
        if let eventTime {
            let c = try frame.requireColumn(eventTime, dataset: dataset)
            guard c.type == .date || c.type == .datetime else {
                throw PetalError("event_time=\(eventTime) is a \(c.type.rawValue) column; it must hold dates or date-times",
                                hint: "or event_time=now to use the time of each insert")
            }
        }
        let columns = frame.columns.map { FeatureColumn(name: $0.name, type: $0.type == .date && $0.name == eventTime ? .datetime : $0.type) }
        let wanted = FeatureGroup(name: name, version: 1, primaryKey: primaryKey, eventTime: eventTime, columns: columns, created: now())
        let versions = try storage.groups(named: name)
        if let latest = versions.last {
            if latest.primaryKey == primaryKey && latest.eventTime == eventTime && GroupSchema.differences(frame, from: latest.columns).isEmpty {
                return try insert(into: latest, frame: frame, dataset: dataset, created: false)
            }
            guard newVersion else {
                var changes = GroupSchema.differences(frame, from: latest.columns)
                if latest.primaryKey != primaryKey { changes.insert("primary_key \(primaryKey.joined(separator: ",")) (was \(latest.primaryKey.joined(separator: ",")))", at: 0) }
                if latest.eventTime != eventTime { changes.insert("event_time \(eventTime ?? "now") (was \(latest.eventTime ?? "now"))", at: 0) }
                throw PetalError("feature group \(latest.label) exists with another definition: " + changes.joined(separator: "; "),
                                hint: "add version=new to make \(name) v\(latest.version + 1), or features insert \(name) from \(dataset) to add rows")
            }
            var next = wanted
            next.version = latest.version + 1
            try storage.createGroup(next)
            return try insert(into: next, frame: frame, dataset: dataset, created: true)
        }
        try storage.createGroup(wanted)
        return try insert(into: wanted, frame: frame, dataset: dataset, created: true)
    }

    /// `features insert NAME from DATASET [version=new]`: upserts into the latest version; a batch whose columns
    /// differ is refused naming each difference, or makes the next version with `newVersion`.
    public func insert(_ name: String, frame: Frame, dataset: String, newVersion: Bool) throws -> InsertResult {
        let latest = try group(name)
        let changes = GroupSchema.differences(frame, from: latest.columns)
        guard !changes.isEmpty else { return try insert(into: latest, frame: frame, dataset: dataset, created: false) }
        guard newVersion else {
            throw PetalError("\(dataset) does not fit feature group \(latest.label): " + changes.joined(separator: "; "),
                            hint: "select or convert the columns to match (\(latest.columns.map(\.name).joined(separator: ", "))), or add version=new to make \(name) v\(latest.version + 1) with this schema")
        }
        return try createAndInsert(name, frame: frame, dataset: dataset, primaryKey: latest.primaryKey, eventTime: latest.eventTime, newVersion: true)
    }

    /// Checks the batch (schema, keys, event times, rules) as a whole, then writes it with the new statistics.
    private func insert(into group: FeatureGroup, frame raw: Frame, dataset: String, created: Bool) throws -> InsertResult {
        let frame = try GroupSchema.conform(raw, to: group.columns)
        for k in group.primaryKey {
            let c = try frame.requireColumn(k)
            if let bad = (0..<frame.rowCount).first(where: { !c.isValid($0) }) {
                throw PetalError("row \(bad) of \(dataset) has no \(k), which is part of \(group.name)'s primary key",
                                hint: "rows count from 0; filter out rows without a key, then insert again (nothing was written)")
            }
        }
        let insertTime = now()
        let times: [Int64]
        if let eventTime = group.eventTime {
            let c = try frame.requireColumn(eventTime)
            if let bad = (0..<frame.rowCount).first(where: { !c.isValid($0) }) {
                throw PetalError("row \(bad) of \(dataset) has no \(eventTime) (the event time)", hint: "nothing was written; fill or filter it first")
            }
            guard case .datetime(let micros, _) = c.storage else { throw PetalError("event_time \(eventTime) holds no dates") }
            times = micros
        } else {
            times = Array(repeating: Int64((insertTime * 1_000_000).rounded()), count: frame.rowCount)
        }
        let violations = Validation.violations(frame, rules: try storage.expectations(of: group.name))
        if !violations.isEmpty { throw Validation.error(violations, group: group.label, dataset: dataset) }

        // Only the batch's keys are read: the cost of an insert follows the batch, not the group's history.
        let keyFrame = try Frame(columns: group.primaryKey.map { try frame.requireColumn($0) })
        let batchKeys = try PointInTime.keys(keyFrame, group.primaryKey)
        // Of two rows with one key and one time, the later one is kept (as a second insert would replace the first).
        var seen = Set<[Value]>()
        var keep: [Int] = []
        for i in batchKeys.indices.reversed() where seen.insert(batchKeys[i] + [.int(times[i])]).inserted { keep.append(i) }
        keep.reverse()
        let batch = keep.count == frame.rowCount ? GroupRows(frame: frame, eventTimes: times)
            : GroupRows(frame: frame.taking(keep), eventTimes: keep.map { times[$0] })
        return try storage.writing(group, doing: "cannot insert into feature group \(group.label)") {
            let previous = try storage.groups(named: group.name).first { $0.version == group.version }?.statistics
            let stored = try storage.rows(of: group, withKeysOf: keyFrame)
            var storedPairs = Set<[Value]>(), knownKeys = Set<[Value]>()
            for (i, key) in try PointInTime.keys(stored.frame, group.primaryKey).enumerated() {
                storedPairs.insert(key + [.int(stored.eventTimes[i])])
                knownKeys.insert(key)
            }
            var result = InsertResult(group: group, created: created, newKeys: 0, newHistory: 0, replaced: frame.rowCount - keep.count,
                                      statistics: GroupStatistics(current: .empty, historyRows: 0, updated: insertTime))
            for i in keep {
                if storedPairs.contains(batchKeys[i] + [.int(times[i])]) { result.replaced += 1 }
                else if knownKeys.contains(batchKeys[i]) { result.newHistory += 1 }
                else { result.newKeys += 1; knownKeys.insert(batchKeys[i]) }
            }
            try storage.upsert(batch, into: group)
            result.statistics = GroupStatistics(current: try storage.currentRows(of: group),
                                                historyRows: (previous?.historyRows ?? 0) + frame.rowCount - result.replaced, updated: insertTime)
            try storage.setStatistics(result.statistics, of: group)
            result.group.statistics = result.statistics
            return result
        }
    }

    /// The rows of `group` as they were at `asOf` (µs; nil = now): the latest row of each key, with each row's event time.
    public func currentRows(of group: FeatureGroup, asOf: Int64?) throws -> GroupRows {
        let stored = try storage.rows(of: group, through: asOf)
        let keep = PointInTime.latest(keys: try PointInTime.keys(stored.frame, group.primaryKey), times: stored.eventTimes, asOf: asOf)
        return GroupRows(frame: stored.frame.taking(keep), eventTimes: keep.map { stored.eventTimes[$0] })
    }

    // MARK: - Rules

    /// `expect GROUP COL RULE`: the column must exist in the group's latest version (and be a number for `between`).
    public func addExpectation(_ e: Expectation) throws {
        let g = try group(e.group)
        guard let column = g.columns.first(where: { $0.name == e.column }) else {
            throw PetalError("feature group \(g.label) has no column \(e.column)", hint: "its columns: " + g.columns.map(\.name).joined(separator: ", "))
        }
        if case .between(let lo, let hi) = e.rule {
            guard column.type.isNumeric else { throw PetalError("\(e.column) is \(column.type.rawValue): between needs a number column", hint: "in a,b,c checks text values") }
            guard lo <= hi else { throw PetalError("between \(NumberText.shortest(lo)) \(NumberText.shortest(hi)): the low bound is above the high one") }
        }
        try storage.addExpectation(e)
    }
}
