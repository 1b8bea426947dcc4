import Foundation
import Testing
@testable import PetalData

/// RFC 4180 corners (quotes, CR/LF/CRLF mixes, empty fields, BOMs, whitespace, ragged rows) read as pandas reads
/// them. The cases and pandas' answers are in Tests/Fixtures/pandas/rfc4180.json, written by generate_rfc4180.py.
@Suite struct RFC4180Tests {
    struct Fixture: Decodable, Sendable {
        var pandas: String
        var cases: [Case]
    }
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: String
        var error: String?
        var columns: [PandasColumn]?
        var testDescription: String { name }
    }
    struct PandasColumn: Decodable, Sendable {
        var name: String
        var kind: String
        var values: [Cell]
    }
    enum Cell: Decodable, Equatable, Sendable {
        case null, bool(Bool), number(Double), text(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let d = try? c.decode(Double.self) { self = .number(d) } else { self = .text(try c.decode(String.self)) }
        }
    }

    /// Where Petal deliberately differs: pandas pads a short row with missing values; Petal refuses it, naming
    /// the line (on_bad_lines=skip|warn drops it).
    static let refusedByPetal: Set<String> = ["ragged_short_row", "lone_cr_splits_field"]

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: Repo.path("Tests/Fixtures/pandas/rfc4180.json"))
        guard let data = try? Data(contentsOf: url), let f = try? JSONDecoder().decode(Fixture.self, from: data) else {
            return Fixture(pandas: "missing", cases: [])
        }
        return f
    }()

    @Test func fixtureIsPresent() {
        #expect(Self.fixture.cases.count >= 40)
    }

    @Test(arguments: fixture.cases)
    func readsAsPandas(_ c: Case) throws {
        let bytes = try #require(Data(base64Encoded: c.bytes)).map { $0 }
        if c.error != nil || Self.refusedByPetal.contains(c.name) {
            let e = try #require(throws: PetalError.self, "\(c.name)") { try CSVReader.read(bytes: bytes, file: "case.csv") }
            #expect(e.location?.line != nil, "\(c.name): \(e)")
            return
        }
        let (frame, _) = try CSVReader.read(bytes: bytes, file: "case.csv")
        let columns = try #require(c.columns)
        #expect(frame.columnNames == columns.map(\.name), "\(c.name)")
        for (k, expected) in columns.enumerated() where k < frame.columns.count {
            let column = frame.columns[k]
            #expect(column.count == expected.values.count, "\(c.name).\(expected.name)")
            if !expected.values.isEmpty {
                #expect(Self.kindAgrees(column, expected), "\(c.name).\(expected.name): Petal \(column.type), pandas \(expected.kind)")
            }
            for (r, want) in expected.values.enumerated() where r < column.count {
                #expect(Self.same(column[r], want), "\(c.name).\(expected.name)[\(r)]: Petal \(column[r]), pandas \(want)")
            }
        }
    }

    /// pandas turns an int column with missing values into floats; Petal keeps ints with nulls.
    static func kindAgrees(_ column: Column, _ expected: PandasColumn) -> Bool {
        switch expected.kind {
        case "int": return column.type == .int
        case "float": return column.type == .float || (column.type == .int && column.nullCount > 0)
        case "bool": return column.type == .bool
        default: return column.type == .text
        }
    }

    static func same(_ v: Value, _ cell: Cell) -> Bool {
        switch (v, cell) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.text(let a), .text(let b)): return a == b
        case (_, .number(let b)): return v.doubleValue == b
        default: return false
        }
    }
}
