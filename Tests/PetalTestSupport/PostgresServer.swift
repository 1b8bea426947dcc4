import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for the tests: `initdb` into a temporary folder, `pg_ctl start` on a free port of
/// 127.0.0.1, one per test process (started by the first test that needs it), stopped when the process exits.
/// As root, the server runs as the `postgres` user (it refuses to run as root) through `runuser`.
/// Password authentication (scram-sha-256) is on over TCP for user `petal`, password `PetalSecret-42`.
/// When no PostgreSQL is installed, `shared` is nil and `unavailable` says why; the tests then skip with that message.
/// Shared by PetalPostgresTests and PetalFeaturesTests (the feature store's PostgreSQL backend).
public final class PostgresServer: @unchecked Sendable {
    public static let user = "petal"
    public static let password = "PetalSecret-42"
    public static let database = "course"

    public let port: Int
    public let folder: String
    private let bin: String
    private let runAs: String?

    /// Started on first use; nil when it could not start.
    nonisolated(unsafe) public static var startError: String?
    public static let shared: PostgresServer? = {
        do {
            let s = try PostgresServer()
            running = s
            atexit { PostgresServer.running?.stop() }
            return s
        } catch {
            startError = "\(error)"
            return nil
        }
    }()
    nonisolated(unsafe) private static var running: PostgresServer?

    /// Why the tests skip, when they do: no PostgreSQL installed (checked without starting anything, since
    /// test discovery evaluates this for every test). A server that is installed but fails to start fails the tests.
    public static let unavailable: String? = {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard versions.contains(where: { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/psql") else {
            return "skipped: PostgreSQL is not installed (Debian: apt-get install postgresql; scripts/install-deps does it)"
        }
        if getuid() == 0 && (getpwnam("postgres") == nil || !FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")) {
            return "skipped: running as root without a postgres user and runuser to start the server as"
        }
        return nil
    }()

    /// The shared server, or a test failure saying why it could not start.
    public static func require() throws -> PostgresServer {
        guard let shared else { throw SetupError("the PostgreSQL server did not start: \(startError ?? "?")") }
        return shared
    }

    /// The address with the password (what a user would type) or without it.
    public func address(withPassword: Bool = false, database: String = PostgresServer.database) -> String {
        "postgresql://\(Self.user)\(withPassword ? ":" + Self.password : "")@127.0.0.1:\(port)/\(database)"
    }

    private init() throws {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted { $0.compare($1, options: .numeric) == .orderedDescending } ?? []
        guard let version = versions.first(where: { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }) else {
            throw SetupError("no /usr/lib/postgresql/*/bin/initdb")
        }
        bin = "/usr/lib/postgresql/\(version)/bin"
        runAs = getuid() == 0 ? "postgres" : nil
        if runAs != nil && getpwnam("postgres") == nil { throw SetupError("running as root and there is no postgres user to run the server") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("petal-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pwfile = folder + "/pw"
        FileManager.default.createFile(atPath: pwfile, contents: Data(Self.password.utf8))
        if let user = runAs, let pw = getpwnam(user) {
            for path in [folder, pwfile] { chown(path, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        }
        port = try Self.freePort()
        try run(bin + "/initdb", ["-D", folder + "/data", "-U", Self.user, "--pwfile=" + pwfile, "--auth-local=scram-sha-256",
                                  "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C"])
        try run(bin + "/pg_ctl", ["-D", folder + "/data", "-l", folder + "/log", "-w", "-t", "60", "start",
                                  "-o", "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off"])
        try psql("CREATE DATABASE \(Self.database)", database: "postgres")
    }

    /// Runs SQL as the superuser with psql.
    public func psql(_ sql: String, database: String = PostgresServer.database) throws {
        try run("/usr/bin/psql", ["-v", "ON_ERROR_STOP=1", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", Self.user, "-d", database, "-c", sql],
                environment: ["PGPASSWORD": Self.password], asServerUser: false)
    }

    public func stop() {
        try? run(bin + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:], asServerUser: Bool = true) throws {
        let p = Process()
        // Through bash, which closes every inherited descriptor above 2 first: the server pg_ctl starts would
        // otherwise keep the test process's descriptors open (and Foundation's wait for the child would never end).
        let command = (asServerUser && runAs != nil ? ["/usr/sbin/runuser", "-u", runAs ?? "", "--"] : []) + [tool] + arguments
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done; exec \"$@\"", "bash"] + command
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        // Output goes to a file, not a pipe: the server that pg_ctl starts inherits it and never closes it.
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("petal-pg-out-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let out = FileHandle(forWritingAtPath: outPath)
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try? out?.close()
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard p.terminationStatus == 0 else {
            throw SetupError("\((tool as NSString).lastPathComponent) failed (\(p.terminationStatus)): \(text.suffix(600))")
        }
    }

    /// A new empty database on the shared server (for a test that needs tables of its own), by name.
    public func newDatabase(prefix: String = "t") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        try psql("CREATE DATABASE \(name)", database: "postgres")
        return name
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { throw SetupError("no free port") }
        var got = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &got) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: got.sin_port))
    }
}

public struct SetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
