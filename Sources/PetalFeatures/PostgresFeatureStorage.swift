import Foundation
import PetalData
import PetalPostgres

/// Feature groups in a PostgreSQL database (`PETAL_FEATURE_STORE=postgresql://user@host/db`), for a class that
/// shares one store: the tables of `SQLiteFeatureStorage` in schema `petal` (the rows tables' SQL is the same
/// `RowsTable`), datetimes as µs since 1970 in BIGINT columns as in SQLite. Inserts into one group are serialised by a
/// row lock on its definition (`SELECT … FOR UPDATE`); `jobs run-due` by an advisory lock. The password comes from the
/// address, `PGPASSWORD` or `~/.pgpass` (there is no prompt: jobs run unattended).
public final class PostgresFeatureStorage: FeatureStorage, JobStorage {
    public let location: String
    let db: PostgresConnection
    let address: String
    /// The schema this Petal writes (`petal.meta`'s `schema_version`).
    static let schemaVersion = 1
    static let schema = "petal"
    /// Parameters per statement stay below PostgreSQL's 65,535.
    static let maxParameters = 30_000

    /// Connects and creates the `petal` schema's tables when missing.
    /// - Throws: `PetalError` naming the server (never the password) and what to do.
    public init(address: String) throws {
        self.address = address
        db = try PostgresConnection(address: address)
        location = db.shown
        let doing = "cannot set up the feature store in \(db.target)"
        // The server's notices ("table … does not exist, skipping") would otherwise be printed by libpq.
        try db.run("SET client_min_messages TO warning", doing: doing)
        try db.transaction(doing: doing) {
            // One process at a time creates the tables (two first uses at once would both try).
            try db.run("SELECT pg_advisory_xact_lock(hashtext('petal feature store schema'))", doing: doing)
            try db.run("""
                CREATE SCHEMA IF NOT EXISTS petal;
                CREATE TABLE IF NOT EXISTS petal.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS petal.feature_groups (name TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL,
                    statistics TEXT, created DOUBLE PRECISION NOT NULL, PRIMARY KEY (name, version));
                CREATE TABLE IF NOT EXISTS petal.expectations (grp TEXT NOT NULL, col TEXT NOT NULL, kind TEXT NOT NULL, rule TEXT NOT NULL,
                    PRIMARY KEY (grp, col, kind));
                CREATE TABLE IF NOT EXISTS petal.feature_views (name TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL,
                    created DOUBLE PRECISION NOT NULL, PRIMARY KEY (name, version));
                CREATE TABLE IF NOT EXISTS petal.jobs (name TEXT PRIMARY KEY, definition TEXT NOT NULL, next_due DOUBLE PRECISION NOT NULL,
                    last_started DOUBLE PRECISION, last_ended DOUBLE PRECISION, last_status TEXT, last_run BIGINT, last_message TEXT,
                    claimed_by TEXT, claimed_at DOUBLE PRECISION);
                INSERT INTO petal.meta VALUES ('schema_version', '\(Self.schemaVersion)') ON CONFLICT (key) DO NOTHING;
                """, doing: doing)
            let found = Int(try db.scalar("SELECT value FROM petal.meta WHERE key = 'schema_version'", doing: doing) ?? "") ?? 0
            if found > Self.schemaVersion {
                throw PetalError("the feature store in \(db.target) was written by a newer Petal (schema version \(found))", hint: "upgrade Petal to use it")
            }
        }
    }

    func rowsTable(_ group: FeatureGroup) -> RowsTable {
        RowsTable(group, schema: Self.schema, quote: PostgresConnection.quoteIdentifier, parameter: { "$\($0)" })
    }

    static func sqlType(_ type: ColumnType) -> String {
        switch type {
        case .int, .date, .datetime: return "BIGINT"
        case .float: return "DOUBLE PRECISION"
        case .bool: return "BOOLEAN"
        case .text: return "TEXT"
        }
    }

    // MARK: - Groups

    public func groups(named name: String?) throws -> [FeatureGroup] {
        var out: [FeatureGroup] = []
        try db.query("SELECT definition, statistics FROM petal.feature_groups" + (name == nil ? "" : " WHERE name = $1") + " ORDER BY name, version",
                     name.map { [$0] } ?? [], doing: "reading the feature groups") { row in
            out.append(try FeatureGroup.stored(definition: row[0] ?? "", statistics: row[1], location: location))
        }
        return out
    }

    public func createGroup(_ group: FeatureGroup) throws {
        var definition = group
        definition.statistics = nil
        let doing = "creating feature group \(group.label)"
        try db.transaction(doing: doing) {
            try db.run("INSERT INTO petal.feature_groups (name, version, definition, created) VALUES ($1, $2, $3, $4)",
                       [group.name, String(group.version), try JSONCoding.encode(definition), "\(group.created)"], doing: doing)
            try db.run(rowsTable(group).create(sequence: "BIGSERIAL PRIMARY KEY", type: Self.sqlType), doing: doing)
        }
    }

    // MARK: - Rules and views

    public func expectations(of name: String) throws -> [Expectation] {
        var out: [Expectation] = []
        try db.query("SELECT rule FROM petal.expectations WHERE grp = $1 ORDER BY col, kind", [name], doing: "reading the expectations") { row in
            out.append(try JSONCoding.decode(Expectation.self, row[0] ?? "", what: "an expectation in \(location)"))
        }
        return out
    }

    public func addExpectation(_ e: Expectation) throws {
        try db.run("""
            INSERT INTO petal.expectations (grp, col, kind, rule) VALUES ($1, $2, $3, $4)
            ON CONFLICT (grp, col, kind) DO UPDATE SET rule = EXCLUDED.rule
            """, [e.group, e.column, e.rule.kind, try JSONCoding.encode(e)], doing: "storing the expectation")
    }

    public func views(named name: String?) throws -> [FeatureView] {
        var out: [FeatureView] = []
        try db.query("SELECT definition FROM petal.feature_views" + (name == nil ? "" : " WHERE name = $1") + " ORDER BY name, version",
                     name.map { [$0] } ?? [], doing: "reading the feature views") { row in
            out.append(try JSONCoding.decode(FeatureView.self, row[0] ?? "", what: "a feature view in \(location)"))
        }
        return out
    }

    public func createView(_ view: FeatureView) throws {
        try db.run("INSERT INTO petal.feature_views (name, version, definition, created) VALUES ($1, $2, $3, $4)",
                   [view.name, String(view.version), try JSONCoding.encode(view), "\(view.created)"], doing: "storing feature view \(view.name)")
    }
}
