import PetalData

/// One column of a feature group's schema.
public struct FeatureColumn: Codable, Hashable, Sendable {
    public var name: String
    public var type: ColumnType
    public init(name: String, type: ColumnType) { self.name = name; self.type = type }
}

/// A feature group version: a named table with a primary key and an event time, whose schema is fixed per version.
/// Rows are kept by (primary key, event time): inserting a key again at a later time keeps the earlier row as history.
public struct FeatureGroup: Codable, Hashable, Sendable {
    public var name: String
    public var version: Int
    /// The columns that name one entity (each row's key); never null.
    public var primaryKey: [String]
    /// The date/datetime column that says when a row's values became true, or nil when the insert time is used
    /// (`event_time=now`).
    public var eventTime: String?
    /// Every column, in order (the event-time column among them when it is a column).
    public var columns: [FeatureColumn]
    /// Seconds since 1970.
    public var created: Double
    /// Statistics of the current rows (the latest row of each key), computed on insert.
    public var statistics: GroupStatistics?

    public init(name: String, version: Int, primaryKey: [String], eventTime: String?, columns: [FeatureColumn], created: Double,
                statistics: GroupStatistics? = nil) {
        self.name = name; self.version = version; self.primaryKey = primaryKey; self.eventTime = eventTime
        self.columns = columns; self.created = created; self.statistics = statistics
    }

    /// The same definition (keys, event time, columns), whatever the version, time or statistics.
    public func sameDefinition(as other: FeatureGroup) -> Bool {
        primaryKey == other.primaryKey && eventTime == other.eventTime && columns == other.columns
    }

    /// `name v2`, as messages name a version.
    public var label: String { "\(name) v\(version)" }

    /// A group as a store keeps it: the definition's JSON (without statistics) and the statistics' JSON beside it.
    /// - Throws: `PetalError` naming `location` when either is not valid.
    static func stored(definition: String, statistics: String?, location: String) throws -> FeatureGroup {
        var group = try JSONCoding.decode(FeatureGroup.self, definition, what: "a feature group's definition in \(location)")
        if let statistics {
            group.statistics = try JSONCoding.decode(GroupStatistics.self, statistics, what: "a feature group's statistics in \(location)")
        }
        return group
    }
}

/// A feature view: the label group (one row per key, as of a time) and the groups joined to it by key, each as of
/// the label row's event time.
public struct FeatureView: Codable, Hashable, Sendable {
    public struct Join: Codable, Hashable, Sendable {
        public var group: String
        public var version: Int
        public var keys: [String]
        public init(group: String, version: Int, keys: [String]) { self.group = group; self.version = version; self.keys = keys }
    }
    public var name: String
    public var version: Int
    public var group: String
    public var groupVersion: Int
    /// The column to predict (from the label group); empty for a view without a label.
    public var label: String
    public var joins: [Join]
    public var created: Double

    public init(name: String, version: Int, group: String, groupVersion: Int, label: String, joins: [Join], created: Double) {
        self.name = name; self.version = version; self.group = group; self.groupVersion = groupVersion
        self.label = label; self.joins = joins; self.created = created
    }

    public func sameDefinition(as other: FeatureView) -> Bool {
        group == other.group && groupVersion == other.groupVersion && label == other.label && joins == other.joins
    }
}

/// Rows of a feature group as stored: the group's columns plus each row's event time (µs since 1970), in the order
/// they were stored (event time, then insertion), so that of two rows with one key and one time the later insert wins.
public struct GroupRows: Sendable {
    public var frame: Frame
    public var eventTimes: [Int64]
    public init(frame: Frame, eventTimes: [Int64]) { self.frame = frame; self.eventTimes = eventTimes }
}

/// Where feature groups, their rows, validation rules and feature views are kept. Implementations only store and
/// read back; schema checks, validation, statistics and point-in-time joins are `FeatureStore`'s, so every backend
/// behaves the same. `SQLiteFeatureStorage` keeps `features.db` beside the tracking store; `PostgresFeatureStorage`
/// keeps the same tables in a PostgreSQL database (`PETAL_FEATURE_STORE=postgresql://…`), for a class that shares one.
/// The same test battery (`StorageBatteryTests`) runs on both.
public protocol FeatureStorage: AnyObject {
    /// Where the store is, for messages (a path or a URL without its password).
    var location: String { get }
    /// Every version of group `name` (oldest first), or of every group (by name, then version) when `name` is nil.
    func groups(named name: String?) throws -> [FeatureGroup]
    /// Stores a new group version (its name and version must be new).
    func createGroup(_ group: FeatureGroup) throws
    /// Runs `body` as one transaction that holds `group`'s write lock, so inserts into one group (from any process or
    /// machine sharing the store) happen one at a time and a failure writes nothing. `upsert` and `setStatistics`
    /// are called only inside it.
    func writing<T>(_ group: FeatureGroup, doing what: String, _ body: () throws -> T) throws -> T
    /// The stored rows of `group` whose primary key is the key of some row of `keys` (a frame of the key columns),
    /// at any event time, in stored order: what an insert needs to know about the keys it touches, without reading
    /// the rest of the group.
    func rows(of group: FeatureGroup, withKeysOf keys: Frame) throws -> GroupRows
    /// Upserts `rows` by (primary key, event time) — no two rows of `rows` share both — and keeps track of each
    /// key's current row (its latest event time) for `currentRows`.
    func upsert(_ rows: GroupRows, into group: FeatureGroup) throws
    /// The current row of each key (its latest event time), in the order they were written (so the statistics'
    /// ties, such as the most frequent of equally frequent values, come out the same on every backend).
    func currentRows(of group: FeatureGroup) throws -> Frame
    /// Stores the statistics of `group`'s current rows.
    func setStatistics(_ statistics: GroupStatistics, of group: FeatureGroup) throws
    /// Every stored row of `group` with an event time at or before `through` (all when nil), in stored order.
    func rows(of group: FeatureGroup, through: Int64?) throws -> GroupRows
    /// The validation rules of group `name` (all versions).
    func expectations(of name: String) throws -> [Expectation]
    /// Adds a rule (replacing one of the same column and kind).
    func addExpectation(_ expectation: Expectation) throws
    /// Every version of view `name` (oldest first), or of every view when `name` is nil.
    func views(named name: String?) throws -> [FeatureView]
    /// Stores a new view version.
    func createView(_ view: FeatureView) throws
}
