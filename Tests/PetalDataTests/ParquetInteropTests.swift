import Foundation
import Testing
@testable import PetalData

/// Parquet against pyarrow, polars and pandas at test time: every encoding, codec and page version pyarrow
/// writes (and polars' files) on 5,000 rows in several row groups and many pages, read by Petal and compared
/// with what pandas reads; and Petal's files read by pandas with equal values and types. Needs a Python with
/// pyarrow and pandas (polars optional): `.build/venv` from scripts/python-venv, or `PETAL_PARQUET_PYTHON`;
/// skipped with a message otherwise.
@Suite struct ParquetInteropTests {
    static let python = ProcessInfo.processInfo.environment["PETAL_PARQUET_PYTHON"].map { URL(fileURLWithPath: $0) }
        ?? Repo.root.appendingPathComponent(".build/venv/bin/python")
    static let script = Repo.path("Tests/Fixtures/parquet/generate.py")
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: python.path) && (try? run(["-c", "import pyarrow, pandas"])) != nil
    }

    /// Runs the venv's python with `arguments`; its standard output, or an error with its standard error.
    @discardableResult
    static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PetalError("python failed: " + (String(data: errors, encoding: .utf8) ?? ""))
        }
        return data
    }

    @Test(.enabled(if: available, "skipped: needs .build/venv with pyarrow and pandas (scripts/python-venv creates it)"))
    func filesFromPyarrowAndPolarsMatchPandas() throws {
        let dir = TempDir()
        try Self.run([Self.script, "write", dir.url.path, "--rows", "5000"])
        let checked = try ParquetExpectations.compare(folder: dir.url.path)
        #expect(checked >= 20, "\(checked) files")
    }

    @Test(.enabled(if: available, "skipped: needs .build/venv with pyarrow and pandas (scripts/python-venv creates it)"),
          arguments: [3000, 1000])
    func petalFilesReadBackInPandas(rowGroupSize: Int) throws {
        let dir = TempDir()
        let frame = try ParquetRoundTripTests.sample(rows: 3000)
        let path = dir.url.appendingPathComponent("petal.parquet").path
        try FrameWriter.writeAtomically(try ParquetWriter.encode(frame, rowGroupSize: rowGroupSize), to: path)
        let json = try #require(try JSONSerialization.jsonObject(with: try Self.run([Self.script, "read", path])) as? [String: Any])
        #expect(json["rows"] as? Int == frame.rowCount)
        let columns = try #require(json["columns"] as? [[String: Any]])
        #expect(columns.compactMap { $0["name"] as? String } == frame.columnNames)
        // The Arrow type pandas read each column as, and its pandas dtype (ints and booleans with nulls become
        // float64 and object in pandas, as they do for any Parquet file).
        let arrow: [ColumnType: String] = [.int: "int64", .float: "double", .bool: "bool", .date: "date32[day]",
                                           .datetime: "timestamp[us]", .text: "string"]
        for (expected, column) in zip(columns, frame.columns) {
            #expect(expected["arrow"] as? String == arrow[column.type], "\(column.name): \(expected["arrow"] ?? "?")")
            let dtype = expected["dtype"] as? String ?? ""
            switch column.type {
            case .int: #expect(dtype == (column.nullCount > 0 ? "float64" : "int64"), "\(column.name) \(dtype)")
            case .float: #expect(dtype == "float64")
            case .datetime: #expect(dtype == "datetime64[us]", "\(column.name) \(dtype)")
            case .text: #expect(dtype == "str" || dtype == "object" || dtype == "string", "\(column.name) \(dtype)")
            default: break
            }
            let cells = try #require(expected["values"] as? [Any])
            var bad: [String] = []
            for (row, cell) in cells.enumerated() where !ParquetExpectations.same(column[row], cell) { bad.append("row \(row): \(column[row]) vs \(cell)") }
            #expect(bad.isEmpty, "\(column.name): \(bad.prefix(3))")
        }
    }
}
