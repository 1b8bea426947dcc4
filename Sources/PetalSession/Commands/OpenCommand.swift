import Foundation
import PetalData
import PetalPostgres

/// `open PATH|URL [as NAME]`: loads a CSV/TSV, JSON/NDJSON, SQLite or Parquet file — local, or from an http(s)
/// URL — or a PostgreSQL table or query into a named data set.
public enum OpenCommand: PetalCommand {
    public static let name = "open"
    public static let aliases = ["load"]
    public static let syntax = "open PATH|URL [as NAME] [sep=, header=true types=col:type,… on_bad_lines=error|skip|warn table=T query=\"SELECT …\"]"
    public static let summary = "load a CSV, TSV, JSON, NDJSON, SQLite or Parquet file (local or http/https), or a PostgreSQL table, as a data set"
    public static let options = ReaderOptions.options
    public static let help = """
        Loads a file into a data set named after the file (or NAME). The format comes from the extension
        (\(Loaders.all.flatMap(\.fileExtensions).map { "." + $0 }.joined(separator: " "))) or, failing that, from
        the content; format= overrides both.
        An http:// or https:// URL is downloaded (progress shown, Ctrl-C cancels, redirects followed, TLS
        certificates checked) and read like a file: the reader comes from the URL's extension, else the
        server's Content-Type, else the content.
        postgresql://USER@HOST[:PORT]/DATABASE reads a table (table=T, or schema.T) or a query (query=…) in a
        read-only transaction; with neither it lists the tables. Types: smallint/integer/bigint → int,
        real/double/numeric → float, boolean → bool, date → date, timestamp[tz] → datetime (UTC), others → text;
        NULLs stay missing. The password comes from PGPASSWORD or ~/.pgpass, else it is asked for (typing hidden;
        Esc declines); one typed in the address or at the prompt is used but never shown, logged or recorded.
        Examples:
          open samples/iris.csv
          open samples/penguins.csv as penguins
          open samples/linnerud.db table=exercise
          open samples/linnerud.db query="SELECT * FROM exercise JOIN physiological USING (athlete)" as athletes
          open data/trips.parquet       Parquet from pandas, pyarrow, polars or Spark (flat columns)
          open https://example.org/data/iris.csv as iris
          open postgresql://student@db.example/course table=penguins
          open postgresql://student@db.example/course query="select * from trips where day > '2024-01-01'" as trips
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 1 ? Completion.paths(context.partial) : []
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let path = try args.required(0, "a file to open", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        var options = try ReaderOptions.loadOptions(args)
        let control = LoadControl()
        options.csv.control = control
        // Everything shown or kept names the source without its password (see SourceAddress.redacted).
        let shown = SourceAddress.redacted(path)
        session.loadObserver?.loadStarted(control, path: shown)
        defer { session.loadObserver?.loadEnded(control) }
        let result = try load(path, options: options)
        guard let frame = result.frame else {
            return TablesOutput(path: shown, tables: result.tables, warnings: result.warnings)
        }
        let name = try args.alias.map(validName) ?? defaultName(path: stemSource(path), table: options.table)
        session.store(frame, as: name, source: sourceDescription(shown, options: options))
        return OpenOutput(name: name, path: shown, frame: frame, warnings: result.warnings)
    }

    /// Loads a file, an http(s) URL or a PostgreSQL table or query.
    static func load(_ path: String, options: LoadOptions) throws -> LoadResult {
        if SourceAddress.isHTTP(path) { return try URLSource.load(path, options: options) }
        if SourceAddress.isPostgres(path) { return try PostgresSource.load(path, options: options) }
        return try Loaders.load(path: path, options: options)
    }

    /// What a data set's name is made from: a URL's file name (without its query), or the path.
    static func stemSource(_ path: String) -> String {
        if SourceAddress.isHTTP(path), let url = URL(string: path) {
            let name = SourceAddress.fileName(url)
            return name.isEmpty ? (url.host ?? "data") : name
        }
        return path
    }

    /// Where a data set came from, as runs record it: the (redacted) address, plus the table or query of a database.
    static func sourceDescription(_ shown: String, options: LoadOptions) -> String {
        guard SourceAddress.isPostgres(shown) else { return shown }
        if let query = options.query { return shown + " query=" + Quote.argument(query) }
        if let table = options.table { return shown + " table=" + table }
        return shown
    }

    /// A data set name from a file name: `seattle-weather.csv` → `seattle_weather`.
    public static func defaultName(path: String, table: String?) throws -> String {
        let stem = table ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = String(stem.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if name.first?.isNumber ?? true { name = "d_" + name }
        return name
    }

    static func validName(_ name: String) throws -> String {
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw PetalError("\"\(name)\" cannot name a data set", hint: "use letters, digits, _ or -, starting with a letter")
        }
        return name
    }
}

/// What `open` says: the new data set's size and columns.
public struct OpenOutput: CommandOutput {
    public var name: String
    public var path: String
    public var frame: Frame
    public var warnings: [DataWarning]

    public func renderText(width: Int) -> String {
        let cols = frame.columns.map { "\($0.name) (\($0.type.rawValue))" }
        let head = "\(name): \(NumberFormat.count(frame.rowCount)) rows × \(frame.columns.count) columns from \(path)"
        return head + "\n" + Wrap.items(cols, width: width, indent: "  ")
    }

    public func json() -> JSONValue {
        .object([
            ("dataset", .string(name)), ("path", .string(path)), ("rows", .int(frame.rowCount)),
            ("columns", .array(frame.columns.map { .object([("name", .string($0.name)), ("type", .string($0.type.rawValue))]) })),
        ])
    }
}

/// What `open` says about a database opened without `table=` or `query=`: its tables.
public struct TablesOutput: CommandOutput {
    public var path: String
    public var tables: [TableInfo]
    public var warnings: [DataWarning]

    public func renderText(width: Int) -> String {
        var t = TextTable(headers: ["table", "rows", "columns"], alignments: [.left, .right, .left],
                          rows: tables.map { [$0.name, NumberFormat.count($0.rows), $0.columns.joined(separator: ", ")] })
        t.stickyColumns = 1
        let example = tables.first.map { "\nopen one with: open \(path) table=\($0.name)" } ?? ""
        return "\(path) has \(tables.count) table\(tables.count == 1 ? "" : "s"):\n" + t.render(width: width) + example
    }

    public func json() -> JSONValue {
        .object([("path", .string(path)), ("tables", .array(tables.map {
            .object([("name", .string($0.name)), ("rows", .int($0.rows)), ("columns", .array($0.columns.map { .string($0) }))])
        }))])
    }
}

/// Word wrapping for prose lines.
public enum Wrap {
    /// Joins items with ", ", breaking lines only between items.
    public static func items(_ items: [String], width: Int, indent: String = "") -> String {
        var lines: [String] = []
        var line = indent
        for (k, item) in items.enumerated() {
            let piece = item + (k < items.count - 1 ? "," : "")
            if TextWidth.of(line) + TextWidth.of(piece) + 1 > width && line.count > indent.count {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + piece
        }
        if line.count > indent.count { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    public static func words(_ text: String, width: Int, indent: String = "") -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width && line.count > indent.count {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        if line.count > indent.count { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
