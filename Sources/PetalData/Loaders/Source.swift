import Foundation

/// Options for `open`, shared by every source; each source reads the ones that apply to it.
public struct LoadOptions: Sendable {
    /// Options for delimited text (`sep=`, `header=`, `types=`, `on_bad_lines=`, ...).
    public var csv = CSVOptions()
    /// A SQLite table to read (`table=`).
    public var table: String?
    /// A SQLite query to run (`query=`).
    public var query: String?
    /// A format named by the user (`format=csv|tsv|json|ndjson|sqlite|parquet`), overriding the extension.
    public var format: String?
    /// The most memory a SQLite result (or a Parquet file's columns, by its footer's row count) may take before the
    /// load stops with an error; nil: half the machine's.
    public var memoryLimit: Int?
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
    /// HTTP media types (Content-Type, lowercase, no parameters) that select it for a URL without a known extension.
    static var mediaTypes: [String] { get }
    /// True when the first bytes of a file look like this format.
    static func sniff(_ head: [UInt8]) -> Bool
    /// Loads the file at `path`.
    /// - Throws: `PetalError` naming the file and, where it applies, the line, column or JSON path.
    static func load(path: String, options: LoadOptions) throws -> LoadResult
}

extension Loader {
    public static var mediaTypes: [String] { [] }
}

/// A format `save` can also write: the writing side declared beside the reading side, so one registry holds a
/// format's name, extensions, sniffing, reader and writer.
public protocol FrameWritingLoader: Loader {
    /// Writes `frame` to `path` (atomically: a partly written file never replaces a good one).
    /// - Throws: `PetalError` naming the path when it cannot be written.
    static func write(_ frame: Frame, to path: String) throws
}

/// A registered format, captured as plain values (existential metatypes crash Swift 6.3's SIL generation here).
public struct LoaderEntry: Sendable {
    public let formatName: String
    public let fileExtensions: [String]
    public let mediaTypes: [String]
    public let sniff: @Sendable ([UInt8]) -> Bool
    public let load: @Sendable (String, LoadOptions) throws -> LoadResult
    /// Writes a frame in this format; nil for formats Petal only reads (SQLite).
    public let write: (@Sendable (Frame, String) throws -> Void)?

    public init<L: Loader>(_ type: L.Type) {
        formatName = L.formatName
        fileExtensions = L.fileExtensions
        mediaTypes = L.mediaTypes
        sniff = { L.sniff($0) }
        load = { try L.load(path: $0, options: $1) }
        write = nil
    }

    public init<L: FrameWritingLoader>(_ type: L.Type) {
        formatName = L.formatName
        fileExtensions = L.fileExtensions
        mediaTypes = L.mediaTypes
        sniff = { L.sniff($0) }
        load = { try L.load(path: $0, options: $1) }
        write = { try L.write($0, to: $1) }
    }
}

/// The registry of sources, chosen by `format=`, then extension, then sniffed content.
public enum Loaders {
    public static let csv = LoaderEntry(CSVLoader.self)
    public static let tsv = LoaderEntry(TSVLoader.self)
    public static let json = LoaderEntry(JSONLoader.self)
    public static let ndjson = LoaderEntry(NDJSONLoader.self)
    public static let sqlite = LoaderEntry(SQLiteLoader.self)
    public static let parquet = LoaderEntry(ParquetLoader.self)
    public static let all: [LoaderEntry] = [csv, tsv, json, ndjson, sqlite, parquet]

    /// The formats `save` writes.
    public static var writable: [LoaderEntry] { all.filter { $0.write != nil } }

    /// The format whose extensions include `path`'s (lowercased), if any.
    public static func entry(forExtensionOf path: String) -> LoaderEntry? {
        let ext = (path as NSString).pathExtension.lowercased()
        return all.first { $0.fileExtensions.contains(ext) }
    }

    /// The format to write `path` in: `format` when given, else the path's extension.
    /// - Throws: `PetalError` naming the writable formats when neither names one.
    public static func writer(for path: String, format: String? = nil) throws -> LoaderEntry {
        let names = writable.map(\.formatName).joined(separator: ", ")
        if let format = format?.lowercased() {
            guard let entry = writable.first(where: { $0.formatName == format }) else {
                throw PetalError("cannot write format \"\(format)\"", hint: "formats are: \(names)")
            }
            return entry
        }
        guard let entry = entry(forExtensionOf: path), entry.write != nil else {
            let examples = writable.compactMap { $0.fileExtensions.first.map { "." + $0 } }.joined(separator: ", ")
            throw PetalError("cannot tell which format to write from \"\(path)\"",
                            hint: "end the path in \(examples), or add format=csv")
        }
        return entry
    }

    /// Loads `path` with the loader that fits it.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> LoadResult {
        try FileCheck.requireReadableFile(path)
        return try loader(for: path, options: options).load(path, options)
    }

    /// The loader for `path`: `format=` first, then the extension, then the content.
    public static func loader(for path: String, options: LoadOptions) throws -> LoaderEntry {
        if let format = options.format?.lowercased() {
            guard let l = all.first(where: { $0.formatName == format }) else {
                throw PetalError("unknown format \"\(format)\"", hint: "formats are: " + all.map(\.formatName).joined(separator: ", "))
            }
            return l
        }
        let ext = (path as NSString).pathExtension.lowercased()
        let head = FileCheck.head(path, bytes: 4096)
        if json.fileExtensions.contains(ext) || ndjson.fileExtensions.contains(ext) {
            // Content decides between one JSON document and one object per line.
            if ndjson.sniff(head) && !json.sniff(head) { return ndjson }
            if json.sniff(head) { return json }
            return json.fileExtensions.contains(ext) ? json : ndjson
        }
        if let l = entry(forExtensionOf: path) { return l }
        if sqlite.sniff(head) { return sqlite }
        if parquet.sniff(head) { return parquet }
        if json.sniff(head) { return json }
        if ndjson.sniff(head) { return ndjson }
        return csv
    }
}
