import Foundation
import PetalTestSupport
import Testing
@testable import PetalData

/// SQLite loading: tables, queries, listings, type inference from values, and bad or busy databases.
@Suite struct SQLiteLoaderTests {
    static let linnerud = RepoPaths.path("samples/linnerud.db")

    /// A fresh temporary folder, removed by the caller.
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Creates a database at `path` by running `sql`.
    func makeDatabase(_ path: String, _ sql: String) throws {
        let db = try SQLiteDatabase(path: path, access: .readWriteCreate)
        try db.execute(sql)
    }

    func options(table: String? = nil, query: String? = nil) -> LoadOptions {
        var o = LoadOptions()
        o.table = table
        o.query = query
        return o
    }

    /// The error thrown by `body`, or nil.
    func dataError(_ body: () throws -> Any) -> PetalError? {
        do { _ = try body(); return nil } catch let e as PetalError { return e } catch { return nil }
    }

    // MARK: - The sample

    @Test func readsATable() throws {
        let result = try Loaders.load(path: Self.linnerud, options: options(table: "exercise"))
        let f = try #require(result.frame)
        #expect(f.rowCount == 20)
        #expect(f.columnNames == ["athlete", "Chins", "Situps", "Jumps"])
        #expect(f.columns.allSatisfy { $0.type == .int })
        let physiological = try #require(try SQLiteLoader.load(path: Self.linnerud, options: options(table: "PHYSIOLOGICAL")).frame)
        #expect(try physiological.requireColumn("Weight").type == .float)
    }

    @Test func runsAQuery() throws {
        let result = try SQLiteLoader.load(path: Self.linnerud,
                                           options: options(query: "SELECT Chins, Situps * 1.0 AS s FROM exercise WHERE Chins > 10"))
        let f = try #require(result.frame)
        #expect(f.columnNames == ["Chins", "s"])
        #expect(f.rowCount > 0 && f.rowCount < 20)
        #expect(try f.requireColumn("s").type == .float)
    }

    @Test func listsTables() throws {
        let result = try SQLiteLoader.load(path: Self.linnerud, options: LoadOptions())
        #expect(result.frame == nil)
        #expect(result.tables.map(\.name) == ["exercise", "physiological"])
        #expect(result.tables.first?.rows == 20)
        #expect(result.tables.first?.columns == ["athlete", "Chins", "Situps", "Jumps"])
    }

    @Test func sqlErrorCarriesSQLitesMessage() throws {
        let e = try #require(dataError { try SQLiteLoader.load(path: Self.linnerud, options: options(query: "SELEC * FROM exercise")) })
        #expect(e.message.contains("near \"SELEC\": syntax error"))
        #expect(e.location?.file == Self.linnerud)
        #expect(e.hint?.contains("exercise") == true)
        let write = try #require(dataError { try SQLiteLoader.load(path: Self.linnerud, options: options(query: "DELETE FROM exercise")) })
        #expect(write.message.contains("change the database"))
    }

    @Test func unknownTableListsTheTables() throws {
        let e = try #require(dataError { try SQLiteLoader.load(path: Self.linnerud, options: options(table: "exercises")) })
        #expect(e.message == "no table \"exercises\" in the database")
        #expect(e.hint == "tables are: exercise, physiological")
    }

    @Test func sniffing() throws {
        #expect(SQLiteLoader.sniff(FileCheck.head(Self.linnerud, bytes: 64)))
        #expect(!SQLiteLoader.sniff(Array("SQLite format 3".utf8)))
        #expect(!SQLiteLoader.sniff(Array("a,b\n1,2\n3,4\n".utf8)))
    }

    // MARK: - Types from values

    @Test func typesComeFromTheValues() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("types.db").path
        try makeDatabase(path, """
            CREATE TABLE "my ""odd"" table" (i INTEGER, r REAL, m, t TEXT, d TEXT, b BLOB, n);
            INSERT INTO "my ""odd"" table" VALUES (1, 1.5, 7, 'x', '2021-03-04', x'0102', NULL);
            INSERT INTO "my ""odd"" table" VALUES (2, 2, 'seven', NULL, '2021-03-05', x'03', NULL);
            INSERT INTO "my ""odd"" table" VALUES (NULL, NULL, 8.5, 'y', NULL, NULL, NULL);
            """)
        let result = try SQLiteLoader.load(path: path, options: options(table: "my \"odd\" table"))
        let f = try #require(result.frame)
        #expect(f.rowCount == 3)
        #expect(try f.requireColumn("i").type == .int)
        #expect(try f.requireColumn("i")[2] == .null)
        #expect(try f.requireColumn("r").type == .float)
        let m = try f.requireColumn("m")
        #expect(m.type == .text)
        #expect(m[0] == .text("7") && m[1] == .text("seven") && m[2] == .text("8.5"))
        let mixed = try #require(result.warnings.first { $0.message.contains("mixes") })
        #expect(mixed.message.contains("\"m\"") && mixed.message.contains("row 2"))
        #expect(try f.requireColumn("t").type == .text)
        #expect(try f.requireColumn("d").type == .date)
        let b = try f.requireColumn("b")
        #expect(b[0] == .text("<blob 2 bytes>"))
        #expect(result.warnings.contains { $0.message.contains("BLOB") })
        #expect(try f.requireColumn("n").nullCount == 3)
    }

    @Test func emptyTableGivesTextColumnsAndAWarning() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("empty-table.db").path
        try makeDatabase(path, "CREATE TABLE t (a INTEGER, b TEXT);")
        let result = try SQLiteLoader.load(path: path, options: options(table: "t"))
        let f = try #require(result.frame)
        #expect(f.rowCount == 0)
        #expect(f.columnNames == ["a", "b"])
        #expect(f.columns.allSatisfy { $0.type == .text })
        #expect(result.warnings.contains { $0.message.contains("has no rows") })
        #expect(try SQLiteLoader.load(path: path, options: LoadOptions()).tables == [TableInfo(name: "t", rows: 0, columns: ["a", "b"])])
    }

    // MARK: - Bad databases

    @Test func notADatabase() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("data.db").path
        try Data("sepal_length,species\n5.1,setosa\n4.9,setosa\n".utf8).write(to: URL(fileURLWithPath: path))
        let e = try #require(dataError { try Loaders.load(path: path, options: options(table: "t")) })
        #expect(e.message.contains("file is not a database"))
        #expect(e.location?.file == path)
        #expect(e.hint != nil)
    }

    @Test func corruptDatabase() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("corrupt.db").path
        try makeDatabase(path, """
            CREATE TABLE t (a INTEGER, b TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
            INSERT INTO t SELECT i, printf('%050d', i) FROM n;
            """)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        // Garbage after page 1: the schema reads, the table's pages do not.
        var bytes = [UInt8](good)
        for i in 4096..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 37) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let e = try #require(dataError { try SQLiteLoader.load(path: path, options: options(table: "t")) })
        #expect(e.message.contains("malformed"))
        #expect(e.location?.file == path)
        // Garbage right after the 100-byte header: the schema itself is unreadable.
        for i in 100..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 37) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let e2 = try #require(dataError { try SQLiteLoader.load(path: path, options: LoadOptions()) })
        #expect(e2.message.contains("damaged") || e2.message.contains("not a database"))
    }

    @Test func lockedDatabase() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("locked.db").path
        try makeDatabase(path, "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);")
        let holder = try SQLiteDatabase(path: path, access: .readWriteCreate)
        try holder.execute("BEGIN EXCLUSIVE")
        let e = try #require(dataError {
            try SQLiteLoader.load(path: path, options: options(table: "t"), busyTimeoutMilliseconds: 20)
        })
        #expect(e.message.contains("database is locked"))
        #expect(e.location?.file == path)
        try holder.execute("COMMIT")
        #expect(try SQLiteLoader.load(path: path, options: options(table: "t"), busyTimeoutMilliseconds: 20).frame?.rowCount == 1)
    }

    @Test func emptyFileHasNoTables() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("empty.db").path
        try Data().write(to: URL(fileURLWithPath: path))
        let e = try #require(dataError { try Loaders.load(path: path) })
        #expect(e.message == "the database has no tables")
        #expect(e.location?.file == path)
        let t = try #require(dataError { try Loaders.load(path: path, options: options(table: "t")) })
        #expect(t.hint == "the database has no tables")
    }
}
