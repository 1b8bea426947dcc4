import CLibPQ
import Foundation
import PetalData

/// What a `postgresql://` address names, for messages (never the password).
public struct PostgresTarget: Sendable, CustomStringConvertible {
    public var user: String?
    public var host: String
    public var port: Int?
    public var database: String

    /// Parses `postgresql://[user[:password]@][host][:port][/database][?…]` for its parts (libpq connects with the
    /// address itself, so this only has to be right for messages).
    public init(_ address: String) {
        let components = URLComponents(string: address)
        user = components?.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding ?? $0 }
        host = components?.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components?.port
        let path = components?.path ?? ""
        let db = String(path.drop { $0 == "/" })
        database = db.isEmpty ? (user ?? "postgres") : (db.removingPercentEncoding ?? db)
    }

    /// `database course on db.example:5432 as student`.
    public var description: String {
        "database \"\(database)\" on \(host)\(port.map { ":\($0)" } ?? "")" + (user.map { " as \($0)" } ?? "")
    }
}

/// One libpq connection, used from one thread. Results are read in single-row mode so a large table streams
/// (one row in memory at a time on the client's side besides the columns being built), and a waiting query is
/// cancelled on the server when the `LoadControl` is cancelled (Ctrl-C).
public final class PostgresConnection {
    let conn: OpaquePointer
    public let target: PostgresTarget
    /// The address as messages show it (password redacted).
    public let shown: String

    /// Connects to `address` (a libpq URI). The password comes from the address, `PGPASSWORD`, `~/.pgpass`, or
    /// `password` (a prompt's answer) when the server asks for one and none of those had it.
    /// - Throws: `PetalError` naming host and database, with what to do.
    public init(address: String, password: String? = nil, connectTimeout: Int = 10) throws {
        target = PostgresTarget(address)
        shown = SourceAddress.redacted(address)
        var keys = ["dbname", "connect_timeout", "application_name"]
        var values = [address, String(connectTimeout), "petal"]
        if let password { keys.append("password"); values.append(password) }
        let made: OpaquePointer? = withCStrings(keys) { k in withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let made else { throw PetalError("cannot connect to \(target): out of memory", at: SourceLocation(file: shown)) }
        conn = made
        // (A throw from here on runs deinit, which closes the connection: no PQfinish here, or it is freed twice.)
        guard PQstatus(conn) == CONNECTION_OK else { throw connectionError() }
        // Dates and times come back as ISO text in UTC, whatever the server's defaults.
        try execute("SET DateStyle TO ISO; SET TimeZone TO 'UTC'; SET extra_float_digits TO 3")
    }

    deinit { PQfinish(conn) }

    /// True when the last attempt failed only for want of a password.
    static func needsPassword(_ error: PetalError) -> Bool { error.message.contains(PostgresConnection.noPasswordMarker) }
    static let noPasswordMarker = "needs a password"

    private func connectionError() -> PetalError {
        let detail = Self.firstLine(PQerrorMessage(conn))
        let at = SourceLocation(file: shown)
        if PQconnectionNeedsPassword(conn) != 0 {
            return PetalError("\(target) \(Self.noPasswordMarker)", at: at,
                             hint: "set PGPASSWORD, or add a line host:port:database:user:password to ~/.pgpass (chmod 600)")
        }
        let lower = detail.lowercased()
        let hint: String
        if lower.contains("password authentication failed") || lower.contains("authentication failed") {
            hint = "check the user name and the password (PGPASSWORD or ~/.pgpass)"
        } else if lower.contains("does not exist") && lower.contains("database") {
            hint = "check the database name (psql -h \(target.host) -l lists them)"
        } else if lower.contains("does not exist") && lower.contains("role") {
            hint = "check the user name before the @ in the address"
        } else if lower.contains("connection refused") || lower.contains("could not connect") || lower.contains("timeout") {
            hint = "is the server running, and listening on \(target.host)\(target.port.map { ":\($0)" } ?? ":5432")? check the host and port"
        } else if lower.contains("could not translate host name") {
            hint = "check the spelling of the host \(target.host)"
        } else {
            hint = "check the address: postgresql://user@host:port/database"
        }
        return PetalError("cannot connect to \(target): \(detail)", at: at, hint: hint)
    }

    /// Runs statements whose results are not needed.
    public func execute(_ sql: String) throws {
        guard let result = PQexec(conn, sql) else { throw queryError(nil, doing: sql) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw queryError(result, doing: sql) }
    }

    /// Runs `sql` and gives every row to `row` as it arrives; `columns` is called once with the result's column
    /// names and type OIDs before the first row (also for an empty result). With `parameters`, `sql` is one
    /// statement whose `$1`, `$2`, … take them (as text; nil is NULL).
    /// - Throws: the server's error, or "cancelled" when `control` is cancelled.
    func stream(_ sql: String, parameters: [String?] = [], control: LoadControl?, what: String,
                columns: ([(name: String, type: UInt32)]) throws -> Void,
                row: (_ values: [UnsafePointer<CChar>?], _ lengths: [Int]) throws -> Void) throws {
        let sent = parameters.isEmpty ? PQsendQuery(conn, sql)
            : withOptionalCStrings(parameters) { PQsendQueryParams(conn, sql, Int32(parameters.count), nil, $0, nil, nil, 0) }
        guard sent == 1 else { throw queryError(nil, doing: what) }
        guard PQsetSingleRowMode(conn) == 1 else { throw queryError(nil, doing: what) }
        var described = false
        var failure: Error?
        var cancelled = false
        // Read every result to the end, even after a failure, so the connection is left usable.
        while let result = try next(control: control, cancelled: &cancelled) {
            defer { PQclear(result) }
            guard failure == nil else { continue }
            let status = PQresultStatus(result)
            switch status {
            case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
                do {
                    let n = Int(PQnfields(result))
                    if !described {
                        described = true
                        try columns((0..<n).map { (String(cString: PQfname(result, Int32($0))), UInt32(PQftype(result, Int32($0)))) })
                    }
                    if status == PGRES_SINGLE_TUPLE {
                        var values = [UnsafePointer<CChar>?](repeating: nil, count: n)
                        var lengths = [Int](repeating: 0, count: n)
                        for c in 0..<n where PQgetisnull(result, 0, Int32(c)) == 0 {
                            values[c] = UnsafePointer(PQgetvalue(result, 0, Int32(c)))
                            lengths[c] = Int(PQgetlength(result, 0, Int32(c)))
                        }
                        try row(values, lengths)
                    }
                } catch {
                    failure = error
                    cancelled = true
                    cancelOnServer()
                }
            case PGRES_COMMAND_OK:
                if !described { described = true; try columns([]) }
            default:
                failure = cancelled && control?.isCancelled == true
                    ? PetalError("cancelled: reading \(what) from \(target) was stopped", at: SourceLocation(file: shown))
                    : queryError(result, doing: what)
            }
        }
        if let failure { throw failure }
        if control?.isCancelled == true {
            throw PetalError("cancelled: reading \(what) from \(target) was stopped", at: SourceLocation(file: shown))
        }
    }

    /// The next result, waiting on the socket in short steps so a cancelled control cancels the query on the server.
    private func next(control: LoadControl?, cancelled: inout Bool) throws -> OpaquePointer? {
        while PQisBusy(conn) != 0 {
            if control?.isCancelled == true && !cancelled {
                cancelled = true
                cancelOnServer()
            }
            var fds = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
            _ = poll(&fds, 1, 100)
            guard PQconsumeInput(conn) == 1 else {
                throw PetalError("the connection to \(target) was lost: \(Self.firstLine(PQerrorMessage(conn)))",
                                at: SourceLocation(file: shown), hint: "check that the server is still running, then open it again")
            }
        }
        return PQgetResult(conn)
    }

    /// Asks the server to stop the running query (the results then end with an error, which is read and dropped).
    private func cancelOnServer() {
        guard let cancel = PQgetCancel(conn) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }

    /// The server's error for a failed statement, with its detail and hint when it gave them.
    func queryError(_ result: OpaquePointer?, doing what: String) -> PetalError {
        let message = result.map { Self.firstLine(PQresultErrorMessage($0)) } ?? Self.firstLine(PQerrorMessage(conn))
        let serverHint = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "H"))) }.map { String(cString: $0) }
        return PetalError("\(what) failed in \(target): \(message)", at: SourceLocation(file: shown), hint: serverHint)
    }

    static func firstLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        let s = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        let line = s.split(separator: "\n").first.map(String.init) ?? s
        return line.hasPrefix("ERROR:  ") ? String(line.dropFirst(8)) : line
    }

    /// `"schema"."table"` with embedded quotes doubled.
    public static func quoteIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `'text'` with embedded quotes doubled.
    static func quoteLiteral(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}

/// Calls `body` with an array of C strings, nil for nil (copies, freed afterwards).
func withOptionalCStrings<T>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { for p in copies { free(p) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Calls `body` with a NULL-terminated array of C strings (copies, freed afterwards).
private func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { for p in copies { free(p) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
