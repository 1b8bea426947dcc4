/// The tracking store's tables, as numbered migrations. `PRAGMA user_version` holds the number of the last one
/// applied; a store is brought up to date one migration at a time, in one transaction, after a backup copy.
enum Schema {
    /// The version this Petal writes. A store with a higher number came from a newer Petal and is refused.
    static var current: Int { migrations.count }

    /// Migration `i` (0-based) takes the store from version `i` to `i + 1`.
    static let migrations: [String] = [
        // 1: experiments, runs, params, metrics with steps, tags, artifacts.
        """
        CREATE TABLE experiments (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created REAL NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            experiment_id INTEGER NOT NULL REFERENCES experiments(id),
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            pipeline_name TEXT,
            pipeline TEXT,
            dataset TEXT,
            started REAL NOT NULL,
            ended REAL,
            pid INTEGER,
            pid_start INTEGER,
            host TEXT,
            fingerprint TEXT,
            seed INTEGER,
            petal_version TEXT,
            commands TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            error TEXT,
            deleted INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX runs_experiment ON runs(experiment_id, id);
        CREATE TABLE params (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            num REAL,
            PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID;
        CREATE TABLE metrics (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            step INTEGER NOT NULL,
            value REAL,
            PRIMARY KEY (run_id, key, step)
        ) WITHOUT ROWID;
        CREATE TABLE tags (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID;
        CREATE TABLE artifacts (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            PRIMARY KEY (run_id, name)
        ) WITHOUT ROWID;
        """,
        // 2: the model registry (named models, numbered versions, aliases).
        """
        CREATE TABLE models (
            name TEXT PRIMARY KEY,
            created REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE model_versions (
            model TEXT NOT NULL REFERENCES models(name),
            version INTEGER NOT NULL,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            created REAL NOT NULL,
            PRIMARY KEY (model, version)
        ) WITHOUT ROWID;
        CREATE TABLE model_aliases (
            model TEXT NOT NULL REFERENCES models(name),
            alias TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (model, alias)
        ) WITHOUT ROWID;
        """,
        // 3: runs waiting to be sent to (or already sent to) an MLflow tracking server.
        """
        CREATE TABLE remote_runs (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            server TEXT NOT NULL,
            remote_id TEXT,
            state TEXT NOT NULL DEFAULT 'waiting',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            sent REAL,
            PRIMARY KEY (run_id, server)
        ) WITHOUT ROWID;
        """,
    ]
}
