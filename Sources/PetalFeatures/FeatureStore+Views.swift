import PetalData

/// Rows of a feature view as of a time: the frame `fit` and `cv` take.
public struct TrainingData: Sendable {
    public var view: FeatureView
    /// The time the rows are as of (µs since 1970).
    public var asOf: Int64
    /// Label rows, label group columns (without its event time) then each join's feature columns.
    public var frame: Frame
    /// Per join, the label rows that found no feature row at or before their time (their features are null).
    public var unmatched: [(group: String, rows: Int)]
}

extension FeatureStore {
    /// Version `version` of view `name`, or its latest.
    public func view(_ name: String, version: Int? = nil) throws -> FeatureView {
        let versions = try storage.views(named: name)
        guard let latest = versions.last else {
            let names = Set(try storage.views(named: nil).map(\.name)).sorted()
            throw PetalError("no feature view called \"\(name)\"",
                            hint: names.isEmpty ? "make one: feature_view NAME = GROUP label=COL" : "feature views: " + names.joined(separator: ", "))
        }
        guard let version else { return latest }
        guard let v = versions.first(where: { $0.version == version }) else {
            throw PetalError("feature view \(name) has no version \(version)", hint: "its versions: " + versions.map { String($0.version) }.joined(separator: ", "))
        }
        return v
    }

    /// True when a view called `name` exists.
    public func hasView(_ name: String) -> Bool { ((try? storage.views(named: name)) ?? []).isEmpty == false }

    /// `feature_view NAME = GROUP label=COL [join OTHER on KEYS]…`: a new view, or a new version of one whose
    /// definition changed; the same definition again returns the existing version (scripts re-run by jobs).
    public func createView(_ name: String, group: String, label: String, joins: [(group: String, keys: [String])]) throws -> (view: FeatureView, created: Bool) {
        try GroupSchema.checkName(name, what: "feature view")
        let base = try self.group(group)
        if !label.isEmpty, !base.columns.contains(where: { $0.name == label }) {
            throw PetalError("feature group \(base.label) has no column \(label) for label=", hint: "its columns: " + base.columns.map(\.name).joined(separator: ", "))
        }
        var taken = Set(base.columns.map(\.name))
        var resolved: [FeatureView.Join] = []
        for join in joins {
            let other = try self.group(join.group)
            guard !join.keys.isEmpty else { throw PetalError("join \(join.group) needs on KEY", hint: "join \(join.group) on customer_id") }
            for k in join.keys {
                guard let left = base.columns.first(where: { $0.name == k }) else {
                    throw PetalError("the label group \(base.label) has no column \(k) to join \(other.name) on", hint: "its columns: " + base.columns.map(\.name).joined(separator: ", "))
                }
                guard let right = other.columns.first(where: { $0.name == k }) else {
                    throw PetalError("feature group \(other.label) has no column \(k) to join on", hint: "its columns: " + other.columns.map(\.name).joined(separator: ", "))
                }
                guard left.type == right.type else {
                    throw PetalError("join key \(k) is \(left.type.rawValue) in \(base.name) but \(right.type.rawValue) in \(other.name)", hint: "keys must have one type to match")
                }
            }
            for c in Self.features(of: other, joinedOn: join.keys) where !taken.insert(c.name).inserted {
                throw PetalError("column \(c.name) of \(other.label) is already in the view", hint: "rename it in one group (a new version), or join on it")
            }
            resolved.append(FeatureView.Join(group: other.name, version: other.version, keys: join.keys))
        }
        let existing = try storage.views(named: name)
        var view = FeatureView(name: name, version: (existing.last?.version ?? 0) + 1, group: base.name, groupVersion: base.version,
                               label: label, joins: resolved, created: now())
        if let latest = existing.last, latest.sameDefinition(as: view) { return (latest, false) }
        try storage.createView(view)
        view = try self.view(name, version: view.version)
        return (view, true)
    }

    /// The feature columns a joined group adds: every column but the join keys and its event time.
    static func features(of group: FeatureGroup, joinedOn keys: [String]) -> [FeatureColumn] {
        group.columns.filter { !keys.contains($0.name) && $0.name != group.eventTime }
    }

    /// The view's rows as of `asOf` (µs; nil = now): the label group's latest row of each key at that time, and each
    /// joined group's row of the same key with the latest event time at or before the label row's — never after.
    public func trainingData(_ view: FeatureView, asOf: Int64?) throws -> TrainingData {
        // Now, rounded up to a whole second: every row inserted so far is in, and the time reads back from its text.
        let time = asOf ?? Int64(now().rounded(.up)) * 1_000_000
        let base = try group(view.group, version: view.groupVersion)
        let labels = try currentRows(of: base, asOf: time)
        var columns = labels.frame.columns.filter { $0.name != base.eventTime }
        var unmatched: [(String, Int)] = []
        for join in view.joins {
            let other = try group(join.group, version: join.version)
            let rows = try storage.rows(of: other, through: time)
            let match = PointInTime.asOfJoin(leftKeys: try PointInTime.keys(labels.frame, join.keys), leftTimes: labels.eventTimes,
                                             rightKeys: try PointInTime.keys(rows.frame, join.keys), rightTimes: rows.eventTimes)
            for c in Self.features(of: other, joinedOn: join.keys) {
                columns.append(PointInTime.taking(try rows.frame.requireColumn(c.name), match))
            }
            unmatched.append((other.name, match.filter { $0 == nil }.count))
        }
        return TrainingData(view: view, asOf: time, frame: try Frame(columns: columns), unmatched: unmatched)
    }
}
