import Foundation
import Testing
import PetalTestSupport
import PetalData
@testable import PetalPostgres
@testable import PetalSession

/// Every PostgreSQL suite runs one at a time: they share the server and the process-wide password prompt.
@Suite(.serialized) struct PostgresSuites {}

extension PostgresSuites {
    /// `open postgresql://…` against a real server (see `PostgresServer`): types and NULLs, tables, queries,
    /// listings, errors that name host, database and table, passwords (never shown), streaming with Ctrl-C.
    @Suite struct PostgresSourceTests {
        static let setup: Void = {
            guard let pg = PostgresServer.shared else { return }
            try? pg.psql("""
                CREATE TABLE penguins (id int4 PRIMARY KEY, species text, island varchar(20), bill numeric(5,2), flipper int2,
                                       mass int8, ratio float4, depth float8, male bool, seen date, at timestamp, at_utc timestamptz);
                INSERT INTO penguins VALUES
                  (1, 'Adelie', 'Torgersen', 39.10, 181, 3750, 0.5, 18.7, true, '2007-11-11', '2007-11-11 10:20:30.25', '2007-11-11 10:20:30+02'),
                  (2, 'Gentoo', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                  (3, NULL, 'Biscoe', 46.50, 230, 5200, 'NaN', -1.5, false, '2009-01-02', '2009-01-02 00:00:00', '2009-01-02 23:59:59.999999+00');
                CREATE SCHEMA lab;
                CREATE TABLE lab.samples (x int);
                INSERT INTO lab.samples SELECT generate_series(1, 10);
                CREATE TABLE "Mixed Case" (v text);
                """)
        }()

        func ready() throws -> PostgresServer {
            let server = try PostgresServer.require()
            _ = Self.setup
            return server
        }

        func error(_ body: () throws -> Any) -> PetalError? {
            do { _ = try body(); return nil } catch let e as PetalError { return e } catch { return PetalError("\(error)") }
        }

        func options(table: String? = nil, query: String? = nil) -> LoadOptions {
            var o = LoadOptions()
            o.table = table
            o.query = query
            return o
        }

        @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
        func typesAndNullsAreMapped() throws {
            let pg = try ready()
            let frame = try #require(try PostgresSource.load(pg.address(withPassword: true), options: options(table: "penguins")).frame)
            #expect(frame.rowCount == 3)
            let types = Dictionary(uniqueKeysWithValues: frame.columns.map { ($0.name, $0.type) })
            #expect(types == ["id": .int, "species": .text, "island": .text, "bill": .float, "flipper": .int, "mass": .int,
                              "ratio": .float, "depth": .float, "male": .bool, "seen": .date, "at": .datetime, "at_utc": .datetime])
            #expect(frame.columnNames.first == "id")
            func value(_ column: String, _ row: Int) throws -> Value { try frame.requireColumn(column)[row] }
            #expect(try value("species", 0) == .text("Adelie"))
            #expect(try value("bill", 0) == .float(39.1))
            #expect(try value("mass", 0) == .int(3750))
            #expect(try value("male", 2) == .bool(false))
            // Every column of row 2 but the key and species is NULL, and stays missing.
            for name in ["island", "bill", "flipper", "mass", "ratio", "depth", "male", "seen", "at", "at_utc"] {
                #expect(try frame.requireColumn(name).isValid(1) == false, "\(name)")
            }
            #expect(try frame.requireColumn("species").isValid(2) == false)
            // NaN is stored as NaN, which Petal (like pandas) counts as missing.
            guard case .float(let ratio) = try frame.requireColumn("ratio").storage else { Issue.record("ratio"); return }
            #expect(ratio[2].isNaN && ratio[0] == 0.5)
            // Dates and times in UTC microseconds: 2007-11-11 is day 13828; the timestamptz's +02 offset is applied.
            guard case .datetime(let seen, let dateOnly) = try frame.requireColumn("seen").storage else { Issue.record("seen"); return }
            #expect(dateOnly && seen[0] == 13828 * 86_400_000_000)
            guard case .datetime(let at, false) = try frame.requireColumn("at").storage,
                  case .datetime(let utc, false) = try frame.requireColumn("at_utc").storage else { Issue.record("at"); return }
            #expect(at[0] == 13828 * 86_400_000_000 + (10 * 3600 + 20 * 60 + 30) * 1_000_000 + 250_000)
            #expect(utc[0] == 13828 * 86_400_000_000 + (8 * 3600 + 20 * 60 + 30) * 1_000_000)
            #expect(utc[2] == CivilDate.days(year: 2009, month: 1, day: 3) * 86_400_000_000 - 1)
        }

        @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
        func queriesListingsAndSchemas() throws {
            let pg = try ready()
            let address = pg.address(withPassword: true)
            let q = try #require(try PostgresSource.load(address, options: options(query: "select species, count(*) as n from penguins group by 1 order by 1")).frame)
            #expect(q.columnNames == ["species", "n"])
            #expect(q.rowCount == 3)
            let listing = try PostgresSource.load(address, options: LoadOptions())
            #expect(listing.frame == nil)
            #expect(listing.tables.map(\.name) == ["Mixed Case", "penguins", "lab.samples"])
            #expect(listing.tables.first { $0.name == "penguins" }?.rows == 3)
            #expect(listing.tables.first { $0.name == "penguins" }?.columns.prefix(2) == ["id", "species"])
            let lab = try #require(try PostgresSource.load(address, options: options(table: "lab.samples")).frame)
            #expect(lab.rowCount == 10)
            #expect(try PostgresSource.load(address, options: options(table: "mixed case")).frame?.columnNames == ["v"])
        }

        @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
        func errorsNameHostDatabaseAndTable() throws {
            let pg = try ready()
            let address = pg.address(withPassword: true)
            let table = try #require(error { try PostgresSource.load(address, options: options(table: "pengiuns")) })
            #expect(table.message == "no table \"pengiuns\" in database \"course\" on 127.0.0.1:\(pg.port) as petal")
            #expect(table.hint?.contains("penguins") == true)
            let sql = try #require(error { try PostgresSource.load(address, options: options(query: "select nope from penguins")) })
            #expect(sql.message.contains("column \"nope\" does not exist"), "\(sql)")
            #expect(sql.message.contains("database \"course\" on 127.0.0.1"))
            let write = try #require(error { try PostgresSource.load(address, options: options(query: "delete from penguins")) })
            #expect(write.message.contains("read-only transaction"), "\(write)")
            let db = try #require(error { try PostgresSource.load(pg.address(withPassword: true, database: "nosuch"), options: options(table: "t")) })
            #expect(db.message.contains("database \"nosuch\" on 127.0.0.1"), "\(db)")
            #expect(db.hint?.contains("database name") == true, "\(db)")
            let refused = try #require(error { try PostgresSource.load("postgresql://petal@127.0.0.1:1/course", options: options(table: "t")) })
            #expect(refused.hint?.contains("is the server running") == true, "\(refused)")
            // Every message shows the address without the password.
            for e in [table, sql, write, db] { #expect(!e.description.contains(PostgresServer.password)) }
        }

        @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
        func passwordsComeFromThePromptAndAreNeverShown() throws {
            let pg = try ready()
            PostgresSource.setPasswordPrompt(nil)
            let missing = try #require(error { try PostgresSource.load(pg.address(), options: options(table: "penguins")) })
            #expect(missing.message.contains("needs a password"), "\(missing)")
            #expect(missing.hint?.contains("PGPASSWORD") == true && missing.hint?.contains("~/.pgpass") == true)
            let wrong = try #require(error { try PostgresSource.load(pg.address().replacingOccurrences(of: "petal@", with: "petal:nope@"),
                                                                     options: options(table: "penguins")) })
            #expect(wrong.hint?.contains("password") == true, "\(wrong)")
            #expect(!wrong.description.contains("nope"))
            let asked = AskedFor()
            PostgresSource.setPasswordPrompt { target in asked.note(target); return PostgresServer.password }
            defer { PostgresSource.setPasswordPrompt(nil) }
            #expect(try PostgresSource.load(pg.address(), options: options(table: "penguins")).frame?.rowCount == 3)
            #expect(asked.targets == ["database \"course\" on 127.0.0.1:\(pg.port) as petal"])
        }

        @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
        func largeResultsStreamAndCancel() throws {
            let pg = try ready()
            let address = pg.address(withPassword: true)
            var o = options(query: "select g, g * 0.5 as half, 'row ' || g as label from generate_series(1, 200000) g")
            let control = LoadControl()
            o.csv.control = control
            let frame = try #require(try PostgresSource.load(address, options: o).frame)
            #expect(frame.rowCount == 200_000)
            #expect(control.progress.done == 200_000)
            // A query that waits on the server is cancelled there, promptly.
            var slow = options(query: "select pg_sleep(30)")
            let stop = LoadControl()
            slow.csv.control = stop
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { stop.cancel() }
            let started = Date()
            let cancelled = try #require(error { try PostgresSource.load(address, options: slow) })
            #expect(cancelled.message.hasPrefix("cancelled"), "\(cancelled)")
            #expect(Date().timeIntervalSince(started) < 10)
            // A memory limit stops a result that is too large, naming the query.
            var capped = options(query: "select g from generate_series(1, 100000) g")
            capped.memoryLimit = 100_000
            let big = try #require(error { try PostgresSource.load(address, options: capped) })
            #expect(big.message.contains("larger than the memory"), "\(big)")
        }

        /// `numeric` is read as the nearest float; values with more digits than a float keeps give one warning per
        /// column that names the first and says how to keep every digit.
        @Test(.enabled(if: PostgresServer.unavailable == nil, "\(PostgresServer.unavailable ?? "")"))
        func numericValuesAFloatRoundsAreSaid() throws {
            let pg = try ready()
            let query = "select * from (values (1, 0.1::numeric, 12.50::numeric), (2, 12345678901234567890.123::numeric, 3::numeric), "
                + "(3, 0.30000000000000004::numeric, NULL), (4, 'NaN'::numeric, 7::numeric)) as t(id, wide, narrow)"
            let result = try PostgresSource.load(pg.address(withPassword: true), options: options(query: query))
            let frame = try #require(result.frame)
            #expect(try frame.requireColumn("wide")[1] == .float(12345678901234567890.123))
            #expect(try frame.requireColumn("narrow")[0] == .float(12.5))
            let lines = result.warnings.map(\.message)
            #expect(lines.filter { $0.contains("more digits than a float keeps") }.count == 1, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("column \"wide\" (numeric): 1 value has more digits than a float keeps and was rounded (first at row 2: 12345678901234567890.123)") && $0.contains("wide::text") }, "\(lines)")
        }

        @Test func decimalsAreExactWhenTheirDigitsSurvive() {
            for text in ["0", "-0.000", "12.50", "0.1", "-123456789012345", "0.30000000000000004", "1000000000000000000000000"] {
                #expect(PostgresDecimal.isExact(text, Double(text) ?? .nan), "\(text)")
            }
            #expect(!PostgresDecimal.isExact("9007199254740993.0", 9007199254740993.0))
            #expect(!PostgresDecimal.isExact("12345678901234567890.123", 12345678901234567890.123))
            #expect(PostgresDecimal.isExact("12345678901234567000", 12345678901234567000))
            #expect(!PostgresDecimal.isExact("0.12345678901234567891", 0.12345678901234567891))
            #expect(PostgresDecimal.isExact("NaN", .nan))
            #expect(PostgresDecimal.significantDigits("-000120.0300") == Array("12003".utf8))
        }

        @Test func isoTimesParse() {
            #expect(PostgresTime.microseconds("1970-01-01") == 0)
            #expect(PostgresTime.microseconds("1970-01-01 00:00:01.5") == 1_500_000)
            #expect(PostgresTime.microseconds("1970-01-01 01:00:00+01") == 0)
            #expect(PostgresTime.microseconds("1970-01-01 00:00:00-05:30") == 19_800_000_000)
            #expect(PostgresTime.microseconds("infinity") == nil)
            #expect(PostgresTime.microseconds("0044-03-15 BC") == nil)
            #expect(PostgresTime.microseconds("2024-13-01") == nil)
        }
    }
}

final class AskedFor: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func note(_ s: String) { lock.withLock { list.append(s) } }
    var targets: [String] { lock.withLock { list } }
}

