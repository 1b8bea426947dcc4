import Foundation

/// Options for `open`, shared by every source; each source reads the ones that apply to it.
public struct LoadOptions: Sendable {
    /// Options for delimited text (`sep=`, `header=`, `types=`, `on_bad_lines=`, ...).
    public var csv = CSVOptions()
    /// A SQLite table to read (`table=`).
    public var table: String?
    /// A SQLite query to run (`query=`).
    public var query: String?
    /// A format named by the user (`format=csv|tsv|json|ndjson|sqlite`), overriding the extension.
    public var format: String?
    public init() {}
}

/// A table in a database, for listings.
public struct TableInfo: Sendable, Hashable {
    public var name: String
    public var rows: Int
    public var columns: [String]
    public init(name: String, rows: Int, columns: [String]) { self.name = name; self.rows = rows; self.columns = columns }
}

/// What a source produced: a frame, or (for a database opened without `table=`/`query=`) a list of tables.
public struct LoadResult: Sendable {
    public var frame: Frame?
    public var tables: [TableInfo]
    public var warnings: [DataWarning]
    public init(frame: Frame?, tables: [TableInfo] = [], warnings: [DataWarning] = []) {
        self.frame = frame; self.tables = tables; self.warnings = warnings
    }
}

/// A data source format: which files it claims, how to recognise its content, and how to load it.
public protocol Loader: Sendable {
    /// The format's name, as `format=` takes it.
    static var formatName: String { get }
    /// File extensions (lowercase, no dot) that select this loader.
    static var fileExtensions: [String] { get }
    /// True when the first bytes of a file look like this format.
    static func sniff(_ head: [UInt8]) -> Bool
    /// Loads the file at `path`.
    /// - Throws: `DataError` naming the file and, where it applies, the line, column or JSON path.
    static func load(path: String, options: LoadOptions) throws -> LoadResult
}

/// The registry of sources, chosen by `format=`, then extension, then sniffed content.
public enum Loaders {
    public static let all: [any Loader.Type] = [CSVLoader.self, TSVLoader.self, JSONLoader.self, NDJSONLoader.self, SQLiteLoader.self]

    /// Loads `path` with the loader that fits it.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> LoadResult {
        try FileCheck.requireReadableFile(path)
        return try loader(for: path, options: options).load(path: path, options: options)
    }

    /// The loader for `path`: `format=` first, then the extension, then the content.
    public static func loader(for path: String, options: LoadOptions) throws -> any Loader.Type {
        if let format = options.format?.lowercased() {
            guard let l = all.first(where: { $0.formatName == format }) else {
                throw DataError("unknown format \"\(format)\"", hint: "formats are: " + all.map(\.formatName).joined(separator: ", "))
            }
            return l
        }
        let ext = (path as NSString).pathExtension.lowercased()
        let head = FileCheck.head(path, bytes: 4096)
        // Extension first, but let content win for .db/.sqlite files that are not SQLite and for JSON vs NDJSON.
        if ext == "json" || ext == "ndjson" || ext == "jsonl" {
            if NDJSONLoader.sniff(head) && !JSONLoader.sniff(head) { return NDJSONLoader.self }
            if JSONLoader.sniff(head) { return JSONLoader.self }
            return ext == "json" ? JSONLoader.self : NDJSONLoader.self
        }
        if let l = all.first(where: { $0.fileExtensions.contains(ext) }) { return l }
        if SQLiteLoader.sniff(head) { return SQLiteLoader.self }
        if JSONLoader.sniff(head) { return JSONLoader.self }
        if NDJSONLoader.sniff(head) { return NDJSONLoader.self }
        return CSVLoader.self
    }
}

/// Checks that give clear errors before a loader touches a path.
public enum FileCheck {
    public static func requireReadableFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError("no such file", at: SourceLocation(file: path),
                            hint: "check the path (it is relative to \(FileManager.default.currentDirectoryPath))")
        }
        if isDirectory.boolValue {
            throw DataError("this is a folder, not a file", at: SourceLocation(file: path),
                            hint: "name a file inside it, e.g. open \(path)/data.csv")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DataError("permission denied: the file cannot be read", at: SourceLocation(file: path),
                            hint: "check the file's permissions")
        }
    }

    /// The whole file as bytes.
    public static func readAll(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError("the file cannot be opened", at: SourceLocation(file: path), hint: "check that it exists and is readable")
        }
        defer { try? handle.close() }
        do {
            let data = try handle.readToEnd() ?? Data()
            return [UInt8](data)
        } catch {
            throw DataError("the file cannot be read: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }

    /// Up to `bytes` first bytes of the file (empty when unreadable).
    public static func head(_ path: String, bytes: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: bytes)) ?? Data())
    }
}
