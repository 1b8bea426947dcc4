import Foundation
import Testing
@testable import PetalData

/// Parquet files written by pyarrow and polars (Tests/Fixtures/parquet, made by its generate.py), read by Petal
/// and compared with what pandas read from the same files (expected.json): names, types, nulls and values.
/// `ParquetInteropTests` runs the same comparison on a larger set generated at test time.
@Suite struct ParquetFixtureTests {
    static let folder = Repo.path("Tests/Fixtures/parquet")

    @Test func everyCommittedFileMatchesPandas() throws {
        let checked = try ParquetExpectations.compare(folder: Self.folder)
        #expect(checked >= 9)
    }

    @Test func nestedColumnsAreSkippedWithAWarning() throws {
        let result = try Loaders.load(path: Self.folder + "/nested.parquet")
        let frame = try #require(result.frame)
        #expect(frame.columnNames == ["id"])
        let text = result.warnings.map(\.description).joined(separator: "\n")
        #expect(text.contains("skipped column \"tags\""), "\(text)")
        #expect(text.contains("skipped column \"point\""), "\(text)")
    }

    @Test func theRegistryChoosesParquetByExtensionAndContent() throws {
        #expect(try Loaders.loader(for: Self.folder + "/polars-zstd.parquet", options: LoadOptions()).formatName == "parquet")
        let dir = TempDir()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.folder + "/pyarrow-snappy-v1-dict.parquet")))
        let renamed = dir.file("data.bin", bytes)
        #expect(try Loaders.loader(for: renamed, options: LoadOptions()).formatName == "parquet")
        #expect(try Loaders.load(path: renamed).frame?.rowCount == 60)
        #expect(try Loaders.writer(for: "out.parquet").formatName == "parquet")
        #expect(throws: PetalError.self) { try Loaders.writer(for: "out.sqlite") }
    }

    @Test func cancellingStopsTheLoad() throws {
        var options = LoadOptions()
        let control = LoadControl()
        control.cancel()
        options.csv.control = control
        let error = try #require(throws: PetalError.self) {
            try Loaders.load(path: Self.folder + "/pyarrow-gzip-v1-plain.parquet", options: options)
        }
        #expect(error.message.contains("cancelled"))
    }

    @Test func progressCountsEveryPage() throws {
        var options = LoadOptions()
        let control = LoadControl()
        options.csv.control = control
        _ = try Loaders.load(path: Self.folder + "/pyarrow-zstd-v2-plain.parquet", options: options)
        #expect(control.progress.total > 0)
        #expect(control.progress.done == control.progress.total)
    }
}

/// Reads expected.json (written by Tests/Fixtures/parquet/generate.py) and compares each file with Petal's load.
enum ParquetExpectations {
    /// Compares every file listed in `folder`/expected.json; returns how many were checked.
    static func compare(folder: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(json["files"] as? [String: [String: Any]])
        for (name, entry) in files.sorted(by: { $0.key < $1.key }) {
            let valuesEntry = (entry["same_values_as"] as? String).flatMap { files[$0] } ?? entry
            let columns = try #require(entry["columns"] as? [[String: Any]])
            let valueColumns = try #require(valuesEntry["columns"] as? [[String: Any]])
            let result = try Loaders.load(path: folder + "/" + name)
            let frame = try #require(result.frame)
            #expect(frame.rowCount == entry["rows"] as? Int, "\(name) rows")
            #expect(frame.columnNames == columns.compactMap { $0["name"] as? String }, "\(name) columns")
            for (expected, values) in zip(columns, valueColumns) {
                let column = try frame.requireColumn(try #require(expected["name"] as? String))
                let arrow = expected["arrow"] as? String ?? ""
                #expect(column.type == petalType(arrow: arrow), "\(name) \(column.name): \(column.type) for \(arrow)")
                let cells = try #require(values["values"] as? [Any])
                var mismatches: [String] = []
                for (row, cell) in cells.enumerated() where !same(column[row], cell) {
                    mismatches.append("row \(row): \(column[row]) vs \(cell)")
                }
                #expect(mismatches.isEmpty, "\(name) \(column.name): \(mismatches.prefix(3).joined(separator: "; "))")
            }
        }
        return files.count
    }

    /// The Petal type an Arrow type (as pandas' pyarrow reports it) should load as.
    static func petalType(arrow: String) -> ColumnType {
        if arrow.hasPrefix("int") || arrow.hasPrefix("uint") { return .int }
        if arrow == "double" || arrow == "float" { return .float }
        if arrow == "bool" { return .bool }
        if arrow.hasPrefix("date32") { return .date }
        if arrow.hasPrefix("timestamp") { return .datetime }
        return .text
    }

    /// A Petal value against a JSON cell (null; numbers; microseconds for dates and timestamps).
    static func same(_ v: Value, _ cell: Any) -> Bool {
        if cell is NSNull { return v.isNull }
        switch v {
        case .null: return false
        case .int(let x): return (cell as? NSNumber)?.int64Value == x
        case .float(let x): return close(x, (cell as? NSNumber)?.doubleValue)
        case .bool(let x): return (cell as? NSNumber)?.boolValue == x
        case .datetime(let x, _): return (cell as? NSNumber)?.int64Value == x
        case .text(let s): return cell as? String == s
        }
    }
}
