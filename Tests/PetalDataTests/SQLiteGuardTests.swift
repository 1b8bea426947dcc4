import Foundation
import Testing
@testable import PetalData

/// A runaway SQLite query (WITH RECURSIVE without an end) stops: by a memory guard with a clear error, or by
/// cancelling its LoadControl (Ctrl-C), and shows progress meanwhile (issue 12).
@Suite struct SQLiteGuardTests {
    static func database(_ dir: TempDir) throws -> String {
        let path = dir.url.appendingPathComponent("t.db").path
        let db = try SQLiteDatabase(path: path, access: .readWriteCreate)
        try db.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);")
        return path
    }

    @Test func recursiveQueryStopsAtTheMemoryGuard() throws {
        let dir = TempDir()
        var options = LoadOptions()
        options.query = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x, 'some text' AS t FROM c"
        options.memoryLimit = 4 << 20
        let control = LoadControl()
        options.csv.control = control
        let e = try #require(throws: PetalError.self) { try Loaders.load(path: try Self.database(dir), options: options) }
        #expect(e.message.contains("the query's result passed 4 MB"), "\(e)")
        #expect(e.hint?.contains("LIMIT") == true)
        // Progress was the memory used against the limit.
        #expect(control.progress.total == 4 << 20)
        #expect(control.progress.done > 4 << 20)
    }

    @Test func cancelStopsAQueryThatReturnsNothingForever() throws {
        let dir = TempDir()
        let path = try Self.database(dir)
        var options = LoadOptions()
        options.query = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        let control = LoadControl()
        options.csv.control = control
        let cancelledAt = Atomic<Date?>(nil)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) { cancelledAt.value = Date(); control.cancel() }
        let e = try #require(throws: PetalError.self) { try Loaders.load(path: path, options: options) }
        #expect(e.message.contains("cancelled"), "\(e)")
        // Stopped soon after the cancel (without it the query never ends).
        #expect(Date().timeIntervalSince(cancelledAt.value ?? .distantPast) < 5)
    }

    @Test func ordinaryQueriesAreUntouched() throws {
        let dir = TempDir()
        var options = LoadOptions()
        options.query = "SELECT x FROM t ORDER BY x"
        options.csv.control = LoadControl()
        let f = try #require(try Loaders.load(path: try Self.database(dir), options: options).frame)
        #expect(f.rowCount == 2)
    }
}
