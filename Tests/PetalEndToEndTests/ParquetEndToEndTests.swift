import Foundation
import Testing

/// Parquet through the real binary: `open` of pyarrow's and polars' files, `save … to x.parquet` and back,
/// a damaged file reported with its name, and `help open`.
@Suite struct ParquetEndToEndTests {
    @Test func openSaveAndOpenAgain() throws {
        let dir = Petal.freshFolder("parquet")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("penguins.parquet").path
        let r = try Petal.run(["exec", "open Tests/Fixtures/parquet/polars-zstd.parquet as p; open samples/penguins.csv; "
                               + "save penguins to \(out); open \(out) as back; nulls back; describe back.body_mass_g"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("p: 60 rows × 16 columns"))
        #expect(r.stdout.contains("saved penguins (344 rows) to \(out) as parquet"))
        #expect(r.stdout.contains("back: 344 rows × 8 columns"))
        #expect(r.stdout.contains("body_mass_g        int        2  0.6%"))
    }

    @Test func aDamagedFileIsNamedAndTheSessionGoesOn() throws {
        let dir = Petal.freshFolder("parquet-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: Petal.root.appendingPathComponent("Tests/Fixtures/parquet/pyarrow-snappy-v1-dict.parquet"))
        let bad = dir.appendingPathComponent("cut.parquet").path
        FileManager.default.createFile(atPath: bad, contents: bytes.prefix(bytes.count / 2))
        let r = try Petal.run(["exec", "--json", "open \(bad) as t; open samples/iris.csv"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("\"file\": \"\(bad)\"") == true, "\(lines.first ?? "")")
        #expect(lines.first?.contains("PAR1") == true)
        #expect(lines.last?.contains("\"ok\": true") == true)
    }

    @Test func helpOpenShowsParquet() throws {
        let r = try Petal.run(["help", "open"])
        #expect(r.status == 0)
        #expect(r.stdout.contains(".parquet"))
        #expect(r.stdout.contains("Parquet"))
    }
}
