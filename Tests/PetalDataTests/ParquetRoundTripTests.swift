import Foundation
import Testing
@testable import PetalData

/// Petal's Parquet writer read back by Petal's reader, and damaged files: every truncation and many random
/// byte changes of real files give a `PetalError` naming the file (or load), never a crash.
@Suite struct ParquetRoundTripTests {
    /// Every column type, nulls in each, a text column with a missing-marker string and non-ASCII text.
    static func sample(rows: Int) throws -> Frame {
        var valid = Bitmap(count: rows, value: true)
        for i in stride(from: 3, to: rows, by: 7) { valid[i] = false }
        let words = ["NA", "", "naïve", "a,b \"q\"", "日本", "plain"]
        return try Frame(columns: [
            Column(name: "i", storage: .int((0..<rows).map { Int64($0) * 1_000_003 - 7_000_000 }), validity: valid),
            Column(name: "x", storage: .float((0..<rows).map { Double($0) / 7 - 3 }), validity: valid),
            Column(name: "flag", storage: .bool((0..<rows).map { $0 % 3 == 0 }), validity: valid),
            Column(name: "day", storage: .datetime((0..<rows).map { Int64($0 - rows / 2) * 86_400_000_000 }, dateOnly: true), validity: valid),
            Column(name: "at", storage: .datetime((0..<rows).map { Int64($0) * 3_600_000_123 - 10_000_000 }, dateOnly: false), validity: valid),
            Column(name: "word", storage: .text(codes: (0..<rows).map { Int32($0 % words.count) }, dictionary: TextDictionary(words)), validity: valid),
            Column(name: "full", storage: .int((0..<rows).map { Int64($0 % 5) })),
        ])
    }

    static func assertEqual(_ a: Frame, _ b: Frame) {
        #expect(a.columnNames == b.columnNames)
        #expect(a.rowCount == b.rowCount)
        for (x, y) in zip(a.columns, b.columns) {
            #expect(x.type == y.type, "\(x.name)")
            var bad = 0
            for r in 0..<min(x.count, y.count) where x[r] != y[r] { bad += 1 }
            #expect(bad == 0, "\(x.name): \(bad) rows differ")
        }
    }

    @Test(arguments: [2500, 1250, 1000, 7], [true, false]) func writtenFramesReadBackEqual(rowGroupSize: Int, compressed: Bool) throws {
        let frame = try Self.sample(rows: 2500)
        let bytes = try ParquetWriter.encode(frame, rowGroupSize: rowGroupSize, compressed: compressed)
        let (back, warnings) = try ParquetReader.read(bytes: bytes, file: "round.parquet")
        #expect(warnings.isEmpty)
        Self.assertEqual(frame, back)
    }

    /// A fuzzed file (the parquet fuzz target's crash input 1796062484, copied to Tests/Fixtures/parquet) whose text column has a row group
    /// with an empty dictionary: its missing rows' placeholder codes indexed the merged dictionary's map and trapped.
    /// It must read (or be refused), never crash.
    @Test func aRowGroupWithAnEmptyTextDictionaryDoesNotTrap() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Repo.path("Tests/Fixtures/parquet/fuzzed-empty-text-dictionary.bin"))))
        do { _ = try ParquetReader.read(bytes: bytes, file: "fuzzed.parquet") } catch is PetalError {}
    }

    @Test func emptyFramesAndSaveThroughTheRegistry() throws {
        let dir = TempDir()
        let empty = try Self.sample(rows: 0)
        let path = dir.url.appendingPathComponent("empty.parquet").path
        #expect(try FrameWriter.write(empty, to: path) == "parquet")
        let back = try #require(try Loaders.load(path: path).frame)
        Self.assertEqual(empty, back)
        let full = try Self.sample(rows: 50)
        let other = dir.url.appendingPathComponent("data.out").path
        #expect(try FrameWriter.write(full, to: other, format: "parquet") == "parquet")
        Self.assertEqual(full, try #require(try Loaders.load(path: other).frame))
    }

    /// Every prefix of a real file (pyarrow's, and Petal's own) fails with a PetalError or (for prefixes that
    /// happen to parse) loads; nothing crashes.
    @Test(arguments: ["pyarrow-snappy-v1-dict.parquet", "pyarrow-delta-v2.parquet", "polars-zstd.parquet"])
    func everyTruncationIsAnError(file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ParquetFixtureTests.folder + "/" + file)))
        for n in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: PetalError.self) { try ParquetReader.read(bytes: Array(bytes.prefix(n)), file: "cut.parquet") }
        }
    }

    /// A file is read with pread a page at a time into windows the threads reuse (`ParquetSource`): the same
    /// values as the bytes read in memory, for files of one chunk per column and of hundreds (row groups of 7 rows).
    @Test(arguments: [2500, 7], [true, false]) func filesReadWithPreadEqualTheBytesInMemory(rowGroupSize: Int, compressed: Bool) throws {
        let dir = TempDir()
        let frame = try Self.sample(rows: 2500)
        let bytes = try ParquetWriter.encode(frame, rowGroupSize: rowGroupSize, compressed: compressed)
        let path = dir.url.appendingPathComponent("pread.parquet").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (fromFile, warnings) = try ParquetReader.read(path: path)
        #expect(warnings.isEmpty)
        Self.assertEqual(frame, fromFile)
        for name in ["pyarrow-snappy-v1-dict.parquet", "pyarrow-delta-v2.parquet", "polars-zstd.parquet", "pyarrow-none-v2-dict.parquet"] {
            let fixture = ParquetFixtureTests.folder + "/" + name
            let inMemory = try ParquetReader.read(bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture))), file: name).0
            Self.assertEqual(inMemory, try ParquetReader.read(path: fixture).0)
        }
    }

    /// Every prefix of a file on disk, and a file that shrinks after it was opened: a PetalError naming it.
    @Test func truncatedFilesOnDiskAreErrors() throws {
        let dir = TempDir()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ParquetFixtureTests.folder + "/pyarrow-snappy-v1-dict.parquet")))
        let path = dir.url.appendingPathComponent("cut.parquet").path
        for n in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 60)) {
            try Data(bytes.prefix(n)).write(to: URL(fileURLWithPath: path))
            let e = try #require(throws: PetalError.self) { try ParquetReader.read(path: path) }
            #expect(e.location?.file == path)
        }
        // Opened at full size, then cut to half before its bytes are read.
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        #expect(truncate(path, off_t(bytes.count / 2)) == 0)
        let e = try #require(throws: PetalError.self) {
            try ParquetReader.read(ParquetSource(descriptor: fd, count: bytes.count), file: path, options: LoadOptions())
        }
        #expect(e.message.contains("changed while it was read"), "\(e.message)")
    }

    /// Random byte changes, everywhere and in the footer: a PetalError or a load, never a crash or a hang.
    @Test(arguments: ["pyarrow-none-v2-dict.parquet", "pyarrow-gzip-v1-plain.parquet", "pyarrow-delta-bytes-v1.parquet", "pyarrow-int96.parquet"])
    func damagedBytesGiveErrors(file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ParquetFixtureTests.folder + "/" + file)))
        var rng = SplitMix64(seed: 16)
        var errors = 0
        for trial in 0..<600 {
            var damaged = bytes
            let changes = 1 + Int(rng.next() % 4)
            for _ in 0..<changes {
                // Half the trials hit the footer, where one byte changes the meaning of everything after it.
                let footer = trial % 2 == 0
                let lower = footer ? max(0, bytes.count - 2000) : 0
                let i = lower + Int(rng.next() % UInt64(bytes.count - lower))
                damaged[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            do { _ = try ParquetReader.read(bytes: damaged, file: "damaged.parquet") } catch is PetalError { errors += 1 }
        }
        #expect(errors > 0)
    }

    @Test func headerProblemsNameTheFile() throws {
        let good = try ParquetWriter.encode(try Self.sample(rows: 10))
        let cases: [([UInt8], String)] = [
            ([], "too short"),
            (Array("hello,world\n1,2\n".utf8), "does not start with"),
            (Array(("PAR1" + String(repeating: "x", count: 40)).utf8), "does not end with"),
            (Array(good.dropLast(4)) + Array("PARE".utf8), "encrypted"),
            (Array(good.dropLast(8)) + [0xFF, 0xFF, 0xFF, 0x7F] + Array("PAR1".utf8), "footer's length"),
        ]
        for (bytes, message) in cases {
            let e = try #require(throws: PetalError.self) { try ParquetReader.read(bytes: bytes, file: "bad.parquet") }
            #expect(e.description.contains(message), "\(e)")
            #expect(e.location?.file == "bad.parquet")
        }
    }

    @Test func aFooterClaimingBillionsOfRowsIsRefusedBeforeAllocating() throws {
        var options = LoadOptions()
        options.memoryLimit = 1 << 20
        let bytes = try ParquetWriter.encode(try Self.sample(rows: 200_000), compressed: true)
        let e = try #require(throws: PetalError.self) { try ParquetReader.read(bytes: bytes, file: "big.parquet", options: options) }
        #expect(e.message.contains("more than the memory allowed"), "\(e)")
    }
}
