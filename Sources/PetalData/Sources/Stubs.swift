// Temporary: replaced by JSON/JSONLoader.swift and SQLite/SQLiteLoader.swift.
public enum JSONLoader: Loader {
    public static let formatName = "json"
    public static let fileExtensions = ["json"]
    public static func sniff(_ head: [UInt8]) -> Bool { false }
    public static func load(path: String, options: LoadOptions) throws -> LoadResult { throw DataError("JSON is not supported yet") }
}
public enum NDJSONLoader: Loader {
    public static let formatName = "ndjson"
    public static let fileExtensions = ["ndjson", "jsonl"]
    public static func sniff(_ head: [UInt8]) -> Bool { false }
    public static func load(path: String, options: LoadOptions) throws -> LoadResult { throw DataError("NDJSON is not supported yet") }
}
public enum SQLiteLoader: Loader {
    public static let formatName = "sqlite"
    public static let fileExtensions = ["db", "sqlite", "sqlite3"]
    public static func sniff(_ head: [UInt8]) -> Bool { false }
    public static func load(path: String, options: LoadOptions) throws -> LoadResult { throw DataError("SQLite is not supported yet") }
}
