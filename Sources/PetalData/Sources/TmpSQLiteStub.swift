// Temporary until SQLite/SQLiteLoader.swift lands.
public enum SQLiteLoader: Loader {
    public static let formatName = "sqlite"
    public static let fileExtensions = ["db", "sqlite", "sqlite3"]
    public static func sniff(_ head: [UInt8]) -> Bool { false }
    public static func load(path: String, options: LoadOptions) throws -> LoadResult { throw DataError("SQLite is not supported yet") }
}
